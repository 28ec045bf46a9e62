import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { continueRun, executeRun, type RunEvent, startRun } from "../../../src/agent/index.ts";
import { scriptedHarness } from "../../support/agent-harness.ts";
import { commandHook, hookScript } from "./hook-scripts.ts";

let harness: ReturnType<typeof scriptedHarness>;
afterEach(() => harness?.cleanup());

const settings = (task = "do the task") => ({ task, model: "scripted", workspace: harness.workspace });
const promptText = (call: number) => JSON.stringify(harness.model.calls[call]?.prompt);

describe("Stop, UserPromptSubmit, SessionStart and PermissionRequest hooks", () => {
  it("a Stop hook that exits 2 sends the run on once with its message; the repeat sees stop_hook_active", async () => {
    harness = scriptedHarness([{ text: "first answer" }, { text: "second answer" }]);
    // In the workspace: a sandboxed hook can write nowhere else.
    const seen = path.join(harness.workspace, "stop-inputs.txt");
    // Blocks the first stop only (as Claude Code's docs advise: check stop_hook_active).
    const script = hookScript(
      harness.folder,
      "stop.sh",
      `input=$(cat)
echo "$input" >> ${seen}
case "$input" in *'"stop_hook_active":true'*) exit 0 ;; esac
echo "run the tests before you finish" >&2
exit 2`,
    );
    harness.runtime.hooks = { Stop: [{ hooks: [commandHook(script)] }] };
    const run = await startRun(harness.runtime, settings());
    const finished = await executeRun(harness.runtime, run.id);
    expect(finished.status).toBe("succeeded");
    expect(finished.output).toBe("second answer");
    expect(promptText(1)).toContain("run the tests before you finish");
    const inputs = readFileSync(seen, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(inputs.map((input) => input.stop_hook_active)).toEqual([false, true]);
    expect(inputs[0]).toMatchObject({ hook_event_name: "Stop", last_assistant_message: "first answer" });
    // Stored with the run: a later continuation rebuilds the same prompt without running the hook again.
    expect((await harness.store.getRun(run.id))?.settings.hookMessages).toEqual([
      { afterStep: 0, content: expect.stringContaining("run the tests before you finish") },
    ]);
  });

  it("a Stop hook that always blocks lets the run finish after three continuations", async () => {
    harness = scriptedHarness([{ text: "a" }, { text: "b" }, { text: "c" }, { text: "d" }]);
    const script = hookScript(
      harness.folder,
      "stop.sh",
      'cat > /dev/null; echo \'{"decision":"block","reason":"again"}\'',
    );
    harness.runtime.hooks = { Stop: [{ hooks: [commandHook(script)] }] };
    const run = await startRun(harness.runtime, settings());
    const finished = await executeRun(harness.runtime, run.id);
    expect(finished).toMatchObject({ status: "succeeded", output: "d", stepCount: 4 });
    harness.model.assertFinished();
  });

  it("a Stop message is rebuilt from the store on the next turn: the earlier prompt stays a prefix", async () => {
    harness = scriptedHarness([{ text: "first" }, { text: "second" }, { text: "third" }]);
    const marker = path.join(harness.folder, "stop-runs");
    const script = hookScript(
      harness.folder,
      "stop.sh",
      `input=$(cat)
echo x >> ${marker}
case "$input" in *'"stop_hook_active":true'*) exit 0 ;; esac
[ "$(wc -l < ${marker})" -gt 1 ] && exit 0
echo "check once more" >&2; exit 2`,
    );
    harness.runtime.hooks = { Stop: [{ hooks: [commandHook(script)] }] };
    const run = await startRun(harness.runtime, settings());
    await executeRun(harness.runtime, run.id);
    await continueRun(harness.runtime, run.id, "one more thing");
    const [, second, third] = harness.model.calls;
    expect(JSON.stringify(third?.prompt.slice(0, second!.prompt.length))).toBe(JSON.stringify(second?.prompt));
    expect(promptText(2)).toContain("check once more");
  });

  it("a UserPromptSubmit hook refuses a task (nothing stored) and adds context to another", async () => {
    harness = scriptedHarness([
      {
        text: "ok",
        expect: (options) => expect(JSON.stringify(options.prompt)).toContain("branch: main"),
      },
    ]);
    const script = hookScript(
      harness.folder,
      "prompt.sh",
      `input=$(cat)
case "$input" in *secret-project*) echo "that project is off limits" >&2; exit 2 ;; esac
echo "branch: main"`,
    );
    harness.runtime.hooks = { UserPromptSubmit: [{ hooks: [commandHook(script)] }] };
    await expect(startRun(harness.runtime, settings("open secret-project"))).rejects.toThrow(
      /UserPromptSubmit hook refused this prompt: that project is off limits/,
    );
    expect(await harness.store.listRuns({})).toHaveLength(0);
    const run = await startRun(harness.runtime, settings("fix the bug"));
    expect(run.settings.task).toBe("fix the bug\n\nbranch: main");
    await executeRun(harness.runtime, run.id);
    await expect(continueRun(harness.runtime, run.id, "now secret-project")).rejects.toThrow(/off limits/);
    expect(await harness.store.listRunMessages(run.id)).toHaveLength(0);
  });

  it("SessionStart additionalContext goes into a new run's task", async () => {
    harness = scriptedHarness([{ text: "ok" }]);
    const script = hookScript(
      harness.folder,
      "start.sh",
      `cat > /dev/null
echo '{"hookSpecificOutput":{"hookEventName":"SessionStart","additionalContext":"the tests run with make test"}}'`,
    );
    harness.runtime.hooks = { SessionStart: [{ hooks: [commandHook(script)] }] };
    const run = await startRun(harness.runtime, settings());
    await executeRun(harness.runtime, run.id);
    expect(promptText(0)).toContain("the tests run with make test");
  });

  it("a PermissionRequest hook answers where a person would be asked", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "touch allowed-marker" } }] },
      { toolCalls: [{ name: "run_command", input: { command: "touch denied-marker" } }] },
      { text: "done" },
    ]);
    const script = hookScript(
      harness.folder,
      "permission.sh",
      `input=$(cat)
case "$input" in
  *allowed-marker*) echo '{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"allow"}}}' ;;
  *) echo '{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"deny","message":"not this one"}}}' ;;
esac`,
    );
    harness.runtime.hooks = { PermissionRequest: [{ matcher: "run_command", hooks: [commandHook(script)] }] };
    // approval "ask" without an approver: without the hook the run would wait for a person.
    const run = await startRun(harness.runtime, { ...settings(), approval: "ask" });
    const events: RunEvent[] = [];
    const finished = await executeRun(harness.runtime, run.id, { onEvent: (event) => events.push(event) });
    expect(finished.status).toBe("succeeded");
    expect(existsSync(path.join(harness.workspace, "allowed-marker"))).toBe(true);
    expect(existsSync(path.join(harness.workspace, "denied-marker"))).toBe(false);
    expect(promptText(2)).toContain("not this one");
  });
});
