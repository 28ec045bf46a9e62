import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { executeRun, startRun } from "../../src/agent/index.ts";
import type { CliContext } from "../../src/cli/cli-context.ts";
import { createHooksCommand } from "../../src/cli/commands/hooks.ts";
import { loadSettings } from "../../src/config/load-settings.ts";
import { readProjectHooks, runHooks } from "../../src/config/project-hooks.ts";
import { commandHook, hookScript } from "../agent/hooks/hook-scripts.ts";
import { scriptedHarness } from "../support/agent-harness.ts";

let harness: ReturnType<typeof scriptedHarness>;
afterEach(() => harness?.cleanup());

function captured() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk) => {
    text += chunk;
  });
  return { stream, text: () => text };
}

async function hooksCommand(args: string[], world: { cwd: string; env: NodeJS.ProcessEnv }) {
  const stdout = captured();
  const context = { ...world, settings: loadSettings(world), stdout: stdout.stream } as unknown as CliContext;
  await createHooksCommand(context).parseAsync(args, { from: "user" });
  return stdout.text();
}

describe("project hooks need the user's trust", () => {
  it("do not run until `tansuo hooks trust`, then run; a changed hook needs trust again", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "touch first-marker" } }] },
      { text: "ok" },
      { toolCalls: [{ name: "run_command", input: { command: "touch second-marker" } }] },
      { text: "ok" },
    ]);
    const home = path.join(harness.folder, "home");
    mkdirSync(home);
    const env = { TANSUO_HOME: home };
    const world = { cwd: harness.workspace, env };
    const script = hookScript(
      harness.folder,
      "block.sh",
      "cat > /dev/null; echo 'project policy: no commands' >&2; exit 2",
    );
    const projectFile = path.join(harness.workspace, "tansuo.config.json");
    const hooks = { PreToolUse: [{ matcher: "run_command", hooks: [commandHook(script)] }] };
    writeFileSync(projectFile, JSON.stringify({ hooks }));
    const settings = { task: "t", model: "scripted", workspace: harness.workspace, approval: "auto" as const };

    // Untrusted: left out, with a warning that says how to trust them.
    const warnings: string[] = [];
    harness.runtime.hooks = runHooks(loadSettings(world).hooks, readProjectHooks(world), (message) =>
      warnings.push(message),
    );
    expect(warnings).toEqual([expect.stringContaining("run `tansuo hooks trust` in this folder")]);
    expect(JSON.parse(await hooksCommand(["list", "--json"], world))).toEqual([
      expect.objectContaining({ event: "PreToolUse", command: script, trusted: false }),
    ]);
    const first = await startRun(harness.runtime, settings);
    await executeRun(harness.runtime, first.id);
    expect(existsSync(path.join(harness.workspace, "first-marker"))).toBe(true);

    // Trusted: they run.
    expect(await hooksCommand(["trust"], world)).toContain(`trusted: PreToolUse [run_command] ${script}`);
    expect(Object.keys(JSON.parse(readFileSync(path.join(home, "trusted-hooks.json"), "utf8")))).toEqual([projectFile]);
    harness.runtime.hooks = runHooks(loadSettings(world).hooks, readProjectHooks(world), (message) =>
      warnings.push(message),
    );
    expect(warnings).toHaveLength(1);
    const second = await startRun(harness.runtime, settings);
    await executeRun(harness.runtime, second.id);
    expect(existsSync(path.join(harness.workspace, "second-marker"))).toBe(false);
    expect(JSON.stringify(harness.model.calls[3]?.prompt)).toContain("project policy: no commands");

    // Changed: untrusted again.
    writeFileSync(projectFile, JSON.stringify({ hooks: { PreToolUse: [{ hooks: [commandHook(`${script} -x`)] }] } }));
    expect(readProjectHooks(world)?.trusted).toBe(false);
    rmSync(projectFile);
    expect(readProjectHooks(world)).toBeUndefined();
  });
});
