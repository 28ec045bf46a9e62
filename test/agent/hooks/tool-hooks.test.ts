import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { executeRun, type RunEvent, startRun } from "../../../src/agent/index.ts";
import { scriptedHarness } from "../../support/agent-harness.ts";
import { commandHook, hookScript } from "./hook-scripts.ts";

let harness: ReturnType<typeof scriptedHarness>;
afterEach(() => harness?.cleanup());

const settings = () => ({
  task: "do the task",
  model: "scripted",
  workspace: harness.workspace,
  approval: "auto" as const,
});
const promptText = (call: number) => JSON.stringify(harness.model.calls[call]?.prompt);
const hookEvents = (events: RunEvent[]) => events.filter((event) => event.type === "hook");

// A Claude Code PreToolUse script: reads the event on stdin, refuses `rm -rf` with exit 2 and a message on stderr.
const blockRmRf = `input=$(cat)
case "$input" in
  *'"tool_name":"run_command"'*'rm -rf'*) echo "rm -rf is not allowed here; delete files one by one" >&2; exit 2 ;;
esac
exit 0`;

describe("PreToolUse and PostToolUse hooks in Claude Code's format", () => {
  it("blocks a run_command with exit 2: the model reads the hook's stderr and the command never ran", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "touch ran-marker && rm -rf build" } }] },
      { text: "understood" },
    ]);
    const script = hookScript(harness.folder, "block-rm.sh", blockRmRf);
    harness.runtime.hooks = { PreToolUse: [{ matcher: "Bash|run_command", hooks: [commandHook(script)] }] };
    const run = await startRun(harness.runtime, settings());
    const events: RunEvent[] = [];
    const finished = await executeRun(harness.runtime, run.id, { onEvent: (event) => events.push(event) });
    expect(finished.status).toBe("succeeded");
    expect(promptText(1)).toContain("rm -rf is not allowed here; delete files one by one");
    expect(existsSync(path.join(harness.workspace, "ran-marker"))).toBe(false);
    const [call] = await harness.store.listToolCalls(run.id);
    expect(call).toMatchObject({ status: "finished", isError: true });
    expect(call?.output).toContain("rm -rf is not allowed here");
    expect(hookEvents(events)).toEqual([
      expect.objectContaining({ event: "PreToolUse", command: script, outcome: "blocked" }),
    ]);
    harness.model.assertFinished();
  });

  it("lets a call through with exit 0, and ignores hooks whose matcher names another tool", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "touch ran-marker" } }] },
      { text: "done" },
    ]);
    const script = hookScript(harness.folder, "block-rm.sh", blockRmRf);
    const never = hookScript(harness.folder, "never.sh", "exit 2");
    harness.runtime.hooks = {
      PreToolUse: [
        { matcher: "run_command", hooks: [commandHook(script)] },
        // Whole-name match, as in Claude Code: "run" does not match "run_command".
        { matcher: "run|write_file", hooks: [commandHook(never)] },
      ],
    };
    const run = await startRun(harness.runtime, settings());
    await executeRun(harness.runtime, run.id);
    expect(existsSync(path.join(harness.workspace, "ran-marker"))).toBe(true);
    expect(promptText(1)).not.toContain("hook");
  });

  it("denies with JSON permissionDecision and its reason", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "touch ran-marker" } }] },
      { text: "ok" },
    ]);
    const script = hookScript(
      harness.folder,
      "deny.sh",
      `cat > /dev/null
echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"no commands on Fridays"}}'`,
    );
    harness.runtime.hooks = { PreToolUse: [{ matcher: "run_command", hooks: [commandHook(script)] }] };
    const run = await startRun(harness.runtime, settings());
    await executeRun(harness.runtime, run.id);
    expect(promptText(1)).toContain("no commands on Fridays");
    expect(existsSync(path.join(harness.workspace, "ran-marker"))).toBe(false);
  });

  it("runs the tool with a hook's updatedInput", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "write_file", input: { path: "asked.txt", content: "model" } }] },
      { text: "ok" },
    ]);
    const script = hookScript(
      harness.folder,
      "rewrite.sh",
      `cat > /dev/null
echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","updatedInput":{"path":"changed.txt","content":"hook"}}}'`,
    );
    harness.runtime.hooks = { PreToolUse: [{ matcher: "write_file", hooks: [commandHook(script)] }] };
    const run = await startRun(harness.runtime, settings());
    const events: RunEvent[] = [];
    await executeRun(harness.runtime, run.id, { onEvent: (event) => events.push(event) });
    expect(readFileSync(path.join(harness.workspace, "changed.txt"), "utf8")).toBe("hook");
    expect(existsSync(path.join(harness.workspace, "asked.txt"))).toBe(false);
    expect(hookEvents(events)).toEqual([expect.objectContaining({ outcome: "changed" })]);
  });

  it("appends PostToolUse additionalContext to the stored tool result, and gives the hook the tool's response", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "echo visible-output" } }] },
      { text: "ok" },
    ]);
    // In the workspace: a sandboxed hook can write nowhere else.
    const seen = path.join(harness.workspace, "post-input.json");
    const script = hookScript(
      harness.folder,
      "post.sh",
      `cat > ${seen}
echo '{"hookSpecificOutput":{"hookEventName":"PostToolUse","additionalContext":"lint: 0 problems"}}'`,
    );
    harness.runtime.hooks = { PostToolUse: [{ hooks: [commandHook(script)] }] };
    const run = await startRun(harness.runtime, settings());
    await executeRun(harness.runtime, run.id);
    expect(promptText(1)).toContain("lint: 0 problems");
    const [call] = await harness.store.listToolCalls(run.id);
    expect(call?.output).toContain("visible-output");
    expect(call?.output).toContain("lint: 0 problems");
    const input = JSON.parse(readFileSync(seen, "utf8"));
    expect(input).toMatchObject({
      hook_event_name: "PostToolUse",
      session_id: run.id,
      cwd: harness.workspace,
      tool_name: "run_command",
      tool_input: { command: "echo visible-output" },
    });
    expect(input.tool_response.output).toContain("visible-output");
  });

  it("shows PreToolUse additionalContext to the model with the call's output", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "echo the-output" } }] },
      { text: "ok" },
    ]);
    const script = hookScript(
      harness.folder,
      "pre-context.sh",
      `cat > /dev/null
echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","additionalContext":"the build cache is warm"}}'`,
    );
    harness.runtime.hooks = { PreToolUse: [{ matcher: "run_command", hooks: [commandHook(script)] }] };
    const run = await startRun(harness.runtime, settings());
    await executeRun(harness.runtime, run.id);
    const [call] = await harness.store.listToolCalls(run.id);
    expect(call?.output).toMatch(/the-output[\s\S]*the build cache is warm/);
    expect(promptText(1)).toContain("the build cache is warm");
    harness.model.assertFinished();
  });

  it("times out a hanging hook, reports it, and goes on as if it allowed the call", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "touch ran-marker" } }] },
      { text: "ok" },
    ]);
    const script = hookScript(harness.folder, "hang.sh", "sleep 30");
    harness.runtime.hooks = { PreToolUse: [{ hooks: [commandHook(script, 0.5)] }] };
    const run = await startRun(harness.runtime, settings());
    const events: RunEvent[] = [];
    const started = Date.now();
    const finished = await executeRun(harness.runtime, run.id, { onEvent: (event) => events.push(event) });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(finished.status).toBe("succeeded");
    expect(existsSync(path.join(harness.workspace, "ran-marker"))).toBe(true);
    expect(hookEvents(events)).toEqual([expect.objectContaining({ outcome: "timed-out" })]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: "warning", message: expect.stringContaining("timed out after 0.5 s") }),
    );
  });

  it("reports a hook that cannot start or exits 1 and never takes the run down", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "touch ran-marker" } }] },
      { text: "ok" },
    ]);
    const failing = hookScript(harness.folder, "fail.sh", "echo broken >&2; exit 1");
    harness.runtime.hooks = {
      PreToolUse: [{ hooks: [commandHook(failing), commandHook(path.join(harness.folder, "missing.sh"))] }],
    };
    const run = await startRun(harness.runtime, settings());
    const events: RunEvent[] = [];
    const finished = await executeRun(harness.runtime, run.id, { onEvent: (event) => events.push(event) });
    expect(finished.status).toBe("succeeded");
    expect(existsSync(path.join(harness.workspace, "ran-marker"))).toBe(true);
    expect(hookEvents(events).map((event) => event.type === "hook" && event.outcome)).toEqual(["failed", "failed"]);
  });

  it("answers before a person is asked: a PreToolUse allow runs the call, a block finishes it, nobody waits", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "touch allowed-marker" } }] },
      { toolCalls: [{ name: "run_command", input: { command: "touch x && rm -rf y" } }] },
      { text: "done" },
    ]);
    const block = hookScript(harness.folder, "block-rm.sh", blockRmRf);
    const allow = hookScript(
      harness.folder,
      "allow.sh",
      `cat > /dev/null
echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow"}}'`,
    );
    harness.runtime.hooks = {
      PreToolUse: [{ matcher: "run_command", hooks: [commandHook(block), commandHook(allow)] }],
    };
    // approval "ask" and no approver: without the hooks the run would wait for a person at the first call.
    const run = await startRun(harness.runtime, { ...settings(), approval: "ask" });
    const events: RunEvent[] = [];
    const finished = await executeRun(harness.runtime, run.id, { onEvent: (event) => events.push(event) });
    expect(finished.status).toBe("succeeded");
    expect(existsSync(path.join(harness.workspace, "allowed-marker"))).toBe(true);
    expect(existsSync(path.join(harness.workspace, "x"))).toBe(false);
    expect(promptText(2)).toContain("rm -rf is not allowed here");
    // Each call's hooks ran once, before asking; not again when the call ran.
    expect(hookEvents(events).map((event) => event.type === "hook" && event.outcome)).toEqual([
      "allowed",
      "allowed",
      "blocked",
    ]);
  });
});
