import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { approveRun, executeRun, type RunEvent, startRun } from "../../src/agent/index.ts";
import { scriptedHarness } from "../support/agent-harness.ts";

let harness: ReturnType<typeof scriptedHarness>;
afterEach(() => harness?.cleanup());

const settings = (approval: "ask" | "auto" | "deny") => ({
  task: "do the task",
  model: "scripted",
  workspace: harness.workspace,
  approval,
});

/** Runs the first step, then leaves its calls as a crash would: committed, marked started, never finished. */
async function crashAfterStart(approval: "ask" | "auto" | "deny") {
  const run = await startRun(harness.runtime, settings("ask"));
  const paused = await executeRun(harness.runtime, run.id);
  expect(paused.status).toBe("awaiting_approval");
  for (const call of await harness.store.listToolCalls(run.id)) {
    await harness.store.updateToolCall(run.id, call.callId, { status: "started", startedAt: new Date().toISOString() });
  }
  await harness.store.updateRunSettings(run.id, { ...(await harness.store.getRun(run.id))!.settings, approval });
  await harness.store.setRunStatus(run.id, "running");
  return run;
}

const sideEffectLines = () => readFileSync(path.join(harness.workspace, "side-effect.txt"), "utf8");

describe("a tool call a crash interrupted", () => {
  it("is not re-run under --approval auto: the run waits, and runs it once a person approves that call", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "echo line >> side-effect.txt" }, id: "append" }] },
      { text: "done" },
    ]);
    writeFileSync(path.join(harness.workspace, "side-effect.txt"), "line\n");
    const run = await crashAfterStart("auto");
    const events: RunEvent[] = [];
    const paused = await executeRun(harness.runtime, run.id, { onEvent: (event) => events.push(event) });
    expect(paused.status).toBe("awaiting_approval");
    expect(events.find((event) => event.type === "approval-required")).toMatchObject({
      calls: [{ callId: "append", toolName: "run_command", interrupted: true }],
    });
    expect(sideEffectLines()).toBe("line\n");
    // Resuming again under auto still does not answer for the person.
    await harness.store.setRunStatus(run.id, "running");
    expect((await executeRun(harness.runtime, run.id)).status).toBe("awaiting_approval");
    expect(sideEffectLines()).toBe("line\n");

    await approveRun(harness.runtime, run.id, { approve: true, callId: "append" });
    expect((await executeRun(harness.runtime, run.id)).status).toBe("succeeded");
    expect(sideEffectLines()).toBe("line\nline\n");
    harness.model.assertFinished();
  });

  it("is not re-run because the tool was allowed 'always' for the run", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "echo line >> side-effect.txt" } }] },
      { text: "adapted" },
    ]);
    writeFileSync(path.join(harness.workspace, "side-effect.txt"), "line\n");
    const run = await crashAfterStart("ask");
    await harness.store.updateRunSettings(run.id, {
      ...(await harness.store.getRun(run.id))!.settings,
      alwaysAllowedTools: ["run_command"],
    });
    const asked: boolean[] = [];
    const paused = await executeRun(harness.runtime, run.id, {
      approver: async (request) => {
        asked.push(request.interrupted);
        return "deny";
      },
    });
    expect(asked).toEqual([true]);
    expect(sideEffectLines()).toBe("line\n");
    expect(paused.status).toBe("succeeded");
    harness.model.assertFinished();
  });

  it("of a read-only tool is re-run by itself, whatever the policy", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "read_file", input: { path: "a.txt" } }] },
      {
        text: "read it",
        expect: (options) => expect(JSON.stringify(options.prompt.at(-1))).toContain("alpha"),
      },
    ]);
    writeFileSync(path.join(harness.workspace, "a.txt"), "alpha");
    // read_file needs no approval, so the first pass runs it; mark it started again as if the process died in it.
    const run = await startRun(harness.runtime, settings("deny"));
    // The finish rides with the next step start, or is written on its own: both fail as if the process died first.
    const { store } = harness;
    const recordStepStart = store.recordStepStart.bind(store);
    const updateToolCalls = store.updateToolCalls.bind(store);
    const finishes = (changes: { change: { status?: string } }[] = []) =>
      changes.some(({ change }) => change.status === "finished");
    let dropFinish = true;
    store.recordStepStart = async (runId, start, options) => {
      if (dropFinish && finishes(options?.along?.toolCalls)) {
        throw new Error("simulated crash before the result was saved");
      }
      return await recordStepStart(runId, start, options);
    };
    store.updateToolCalls = async (runId, changes) => {
      if (!(dropFinish && finishes(changes))) await updateToolCalls(runId, changes);
    };
    await executeRun(harness.runtime, run.id);
    dropFinish = false;
    expect((await harness.store.listToolCalls(run.id))[0]?.status).toBe("started");
    await harness.store.setRunStatus(run.id, "running");
    expect((await executeRun(harness.runtime, run.id)).status).toBe("succeeded");
    harness.model.assertFinished();
  });

  it("answers only the call named, and says which calls wait when the id is wrong", async () => {
    harness = scriptedHarness([
      {
        toolCalls: [
          { name: "run_command", input: { command: "echo one >> side-effect.txt" }, id: "first" },
          { name: "run_command", input: { command: "echo two >> side-effect.txt" }, id: "second" },
        ],
      },
      { text: "done" },
    ]);
    const run = await startRun(harness.runtime, settings("ask"));
    expect((await executeRun(harness.runtime, run.id)).status).toBe("awaiting_approval");
    await expect(approveRun(harness.runtime, run.id, { approve: true, callId: "nope" })).rejects.toThrow(
      /not waiting on a call nope; it waits on first \(run_command\)/,
    );
    await approveRun(harness.runtime, run.id, { approve: true, callId: "first" });
    expect((await executeRun(harness.runtime, run.id)).status).toBe("awaiting_approval");
    expect(sideEffectLines()).toBe("one\n");
    await approveRun(harness.runtime, run.id, { approve: false, callId: "second" });
    expect((await executeRun(harness.runtime, run.id)).status).toBe("succeeded");
    expect(sideEffectLines()).toBe("one\n");
    harness.model.assertFinished();
  });
});
