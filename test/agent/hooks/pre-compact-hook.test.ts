import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { executeRun, type RunEvent, startRun } from "../../../src/agent/index.ts";
import type { ScriptedStep } from "../../../src/testing/index.ts";
import { scriptedHarness } from "../../support/agent-harness.ts";
import { commandHook, hookScript } from "./hook-scripts.ts";

let harness: ReturnType<typeof scriptedHarness>;
afterEach(() => harness?.cleanup());

// As in compaction-step.test.ts: a 7,500-token window, each step 1,000 tokens larger, so step 6 compacts.
const toolStep = (index: number): ScriptedStep => ({
  toolCalls: [{ id: `call_${index}`, name: "read_file", input: { path: `part-${index}.txt` } }],
  usage: { inputTokens: 1_000 * (index + 1), outputTokens: 20 },
});

describe("PreCompact hooks", () => {
  it("hear of a compaction before its step, with Claude Code's trigger field", async () => {
    harness = scriptedHarness(
      [
        ...[0, 1, 2, 3, 4, 5].map(toolStep),
        { text: "summary of parts 0 and 1", usage: { inputTokens: 6_100, outputTokens: 30 } },
        { text: "all parts read", usage: { inputTokens: 2_000, outputTokens: 5 } },
      ],
      {
        contextWindow: 7_500,
        price: { effectiveFrom: "2026-01-01", inputCacheHit: "0.01", inputCacheMiss: "0.1", output: "1" },
      },
    );
    for (let index = 0; index < 6; index++)
      writeFileSync(path.join(harness.workspace, `part-${index}.txt`), `${index}`);
    // In the workspace: a sandboxed hook can write nowhere else.
    const seen = path.join(harness.workspace, "pre-compact.json");
    const script = hookScript(harness.folder, "pre-compact.sh", `cat > ${seen}`);
    harness.runtime.hooks = { PreCompact: [{ hooks: [commandHook(script)] }] };
    const run = await startRun(harness.runtime, {
      task: "read the parts",
      model: "scripted",
      workspace: harness.workspace,
      tools: ["read_file"],
      approval: "auto",
    });
    const events: RunEvent[] = [];
    const finished = await executeRun(harness.runtime, run.id, { onEvent: (event) => events.push(event) });
    expect(finished).toMatchObject({ status: "succeeded", stepCount: 8 });
    expect(JSON.parse(readFileSync(seen, "utf8"))).toMatchObject({
      hook_event_name: "PreCompact",
      trigger: "auto",
      session_id: run.id,
    });
    const types = events.map((event) => (event.type === "hook" ? `hook:${event.event}` : event.type));
    expect(types.indexOf("hook:PreCompact")).toBeGreaterThan(-1);
    expect(types.indexOf("hook:PreCompact")).toBeLessThan(types.indexOf("compaction"));
  });
});
