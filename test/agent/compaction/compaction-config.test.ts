import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compactionSettingsOf } from "../../../src/agent/compaction/compaction-settings.ts";
import { configuredAgentRun } from "../../../src/agent/configured-agent.ts";
import { settingsSchema } from "../../../src/config/settings-schema.ts";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("the compaction config key", () => {
  it("is read at top level and per agent, the agent's keys winning, into the run's settings", () => {
    const settings = settingsSchema.parse({
      defaultModel: "deepseek-v4-flash",
      compaction: { windowShare: 0.7, budgetShare: 0.3 },
      agents: { coder: { instructions: "code", compaction: { windowShare: 0.5 } } },
    });
    const workspace = mkdtempSync(path.join(tmpdir(), "tansuo-compaction-config-"));
    folders.push(workspace);
    const run = configuredAgentRun(settings, "coder", { task: "t", defaultWorkspace: workspace });
    expect(run.compaction).toEqual({ windowShare: 0.5, budgetShare: 0.3 });
  });

  it("defaults to 0.8 of the window and 0.25 of the budget left, and refuses a share above 1", () => {
    expect(compactionSettingsOf(undefined)).toEqual({ model: undefined, windowShare: 0.8, budgetShare: 0.25 });
    const refused = settingsSchema.safeParse({ compaction: { windowShare: 1.5 } });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(["compaction", "windowShare"]);
  });
});
