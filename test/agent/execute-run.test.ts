import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { approveRun, cancelRun, executeRun, type RunEvent, startRun } from "../../src/agent/index.ts";
import { scriptedHarness } from "../support/agent-harness.ts";

let harness: ReturnType<typeof scriptedHarness>;
afterEach(() => harness?.cleanup());

const baseSettings = () => ({ task: "do the task", model: "scripted", workspace: harness.workspace });

describe("executeRun with a strict scripted model", () => {
  it("calls tools, feeds results back in call order, and succeeds with the final answer", async () => {
    harness = scriptedHarness([
      {
        reasoning: "I should write then read.",
        toolCalls: [{ name: "write_file", input: { path: "notes/a.txt", content: "hello" } }],
        usage: { inputTokens: 500, cacheHitTokens: 0, outputTokens: 40 },
      },
      {
        toolCalls: [
          { name: "read_file", input: { path: "notes/a.txt" }, id: "first" },
          { name: "list_files", input: {}, id: "second" },
        ],
        expect: (options) => {
          const last = options.prompt.at(-1);
          expect(last?.role).toBe("tool");
          const assistant = options.prompt.at(-2);
          expect(assistant?.role).toBe("assistant");
          // Reasoning stays in the history; the provider's replay rule decides whether it is sent.
          expect(JSON.stringify(assistant?.content)).toContain("I should write then read.");
        },
      },
      {
        text: "Done: wrote notes/a.txt.",
        expect: (options) => {
          const results = options.prompt.at(-1);
          expect(results?.role).toBe("tool");
          const ids =
            results?.role === "tool" ? results.content.map((part) => (part as { toolCallId: string }).toolCallId) : [];
          expect(ids).toEqual(["first", "second"]);
          expect(JSON.stringify(results?.content)).toContain("hello");
        },
      },
    ]);
    const run = await startRun(harness.runtime, baseSettings());
    const events: RunEvent[] = [];
    const finished = await executeRun(harness.runtime, run.id, { onEvent: (event) => events.push(event) });
    expect(finished.status).toBe("succeeded");
    expect(finished.output).toBe("Done: wrote notes/a.txt.");
    expect(finished.stepCount).toBe(3);
    expect(readFileSync(path.join(harness.workspace, "notes/a.txt"), "utf8")).toBe("hello");
    expect((await harness.store.listToolCalls(run.id)).map((call) => call.status)).toEqual([
      "finished",
      "finished",
      "finished",
    ]);
    expect(events.map((event) => event.type)).toContain("reasoning-delta");
    expect(events.filter((event) => event.type === "tool-result")).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ type: "finished", status: "succeeded" });
    harness.model.assertFinished();
  });

  it("keeps the prompt prefix stable across steps so the provider cache can hit", async () => {
    harness = scriptedHarness([{ toolCalls: [{ name: "list_files", input: {} }] }, { text: "ok" }]);
    const run = await startRun(harness.runtime, baseSettings());
    await executeRun(harness.runtime, run.id);
    const [first, second] = harness.model.calls;
    expect(JSON.stringify(second?.prompt.slice(0, first?.prompt.length))).toBe(JSON.stringify(first?.prompt));
    expect(JSON.stringify(second?.tools)).toBe(JSON.stringify(first?.tools));
    harness.model.assertFinished();
  });

  it("sends invalid arguments back to the model as text it can act on", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "read_file", input: { file: "x" } }] },
      {
        text: "sorry",
        expect: (options) => expect(JSON.stringify(options.prompt.at(-1))).toContain("Invalid arguments for read_file"),
      },
    ]);
    const run = await startRun(harness.runtime, baseSettings());
    expect((await executeRun(harness.runtime, run.id)).status).toBe("succeeded");
    harness.model.assertFinished();
  });

  it("refuses paths that escape the workspace and leaves the outside file untouched", async () => {
    harness = scriptedHarness([
      {
        toolCalls: [
          { name: "write_file", input: { path: "../outside/secret.txt", content: "pwned" } },
          { name: "write_file", input: { path: "/tmp/absolute.txt", content: "pwned" } },
          { name: "write_file", input: { path: "link/secret.txt", content: "pwned" } },
          { name: "read_file", input: { path: "ok\u0000.txt" } },
        ],
      },
      { text: "could not" },
    ]);
    writeFileSync(path.join(harness.outside, "secret.txt"), "original");
    symlinkSync(harness.outside, path.join(harness.workspace, "link"));
    const run = await startRun(harness.runtime, baseSettings());
    await executeRun(harness.runtime, run.id);
    const outputs = (await harness.store.listToolCalls(run.id)).map((call) => call.output ?? "");
    expect(outputs[0]).toMatch(/leaves the workspace/);
    expect(outputs[1]).toMatch(/Absolute paths are refused/);
    expect(outputs[2]).toMatch(/symlink that points outside/);
    expect(outputs[3]).toMatch(/NUL byte/);
    expect(readFileSync(path.join(harness.outside, "secret.txt"), "utf8")).toBe("original");
    expect(existsSync("/tmp/absolute.txt") && readFileSync("/tmp/absolute.txt", "utf8") === "pwned").toBe(false);
    harness.model.assertFinished();
  });

  it("stops at awaiting_approval for run_command without a person, then runs it once approved", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "echo ran >> log.txt" } }] },
      { text: "ran it", expect: (options) => expect(JSON.stringify(options.prompt.at(-1))).toContain("exit code 0") },
    ]);
    const run = await startRun(harness.runtime, { ...baseSettings(), approval: "ask" });
    const paused = await executeRun(harness.runtime, run.id);
    expect(paused.status).toBe("awaiting_approval");
    expect(existsSync(path.join(harness.workspace, "log.txt"))).toBe(false);
    await approveRun(harness.runtime, run.id, { approve: true });
    const finished = await executeRun(harness.runtime, run.id);
    expect(finished.status).toBe("succeeded");
    expect(readFileSync(path.join(harness.workspace, "log.txt"), "utf8")).toBe("ran\n");
    harness.model.assertFinished();
  });

  it("under --approval deny refuses run_command and tells the model", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "touch made.txt" } }] },
      {
        text: "ok",
        expect: (options) => expect(JSON.stringify(options.prompt.at(-1))).toContain("refused run_command"),
      },
    ]);
    const run = await startRun(harness.runtime, { ...baseSettings(), approval: "deny" });
    expect((await executeRun(harness.runtime, run.id)).status).toBe("succeeded");
    expect(existsSync(path.join(harness.workspace, "made.txt"))).toBe(false);
    harness.model.assertFinished();
  });

  it("asks an interactive approver and remembers 'always' for the run", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "echo 1 >> n.txt" } }] },
      { toolCalls: [{ name: "run_command", input: { command: "echo 2 >> n.txt" } }] },
      { text: "done" },
    ]);
    const asked: string[] = [];
    const run = await startRun(harness.runtime, { ...baseSettings(), approval: "ask" });
    const finished = await executeRun(harness.runtime, run.id, {
      approver: async (request) => {
        asked.push(request.input);
        return "always";
      },
    });
    expect(finished.status).toBe("succeeded");
    expect(asked).toHaveLength(1);
    expect(readFileSync(path.join(harness.workspace, "n.txt"), "utf8")).toBe("1\n2\n");
    harness.model.assertFinished();
  });

  it("ends budget_exhausted before a call whose worst case does not fit, never spending past the budget", async () => {
    const price = { effectiveFrom: "2020-01-01", inputCacheHit: "0.028", inputCacheMiss: "0.28", output: "0.42" };
    harness = scriptedHarness(
      [
        {
          toolCalls: [{ name: "list_files", input: {} }],
          usage: { inputTokens: 5000, outputTokens: 2000 },
          expect: (options) => expect(options.maxOutputTokens).toBe(4096),
        },
      ],
      { price },
    );
    // Step 1 costs 5000 x 0.28 + 2000 x 0.42 per 1M = $0.00224; the next prompt alone (7000+ tokens) would
    // then cost more than the $0.00126 left, so no second call is made.
    const run = await startRun(harness.runtime, { ...baseSettings(), budgetUsd: "0.0035" });
    const finished = await executeRun(harness.runtime, run.id);
    expect(finished.status).toBe("budget_exhausted");
    expect(finished.costUsd).toBe("0.00224");
    expect(Number(finished.costUsd)).toBeLessThanOrEqual(0.0035);
    expect(finished.error).toMatch(/could cost more than the \$0.00126 left/);
    harness.model.assertFinished();
  });

  it("fails at the step limit with the reason saved", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "list_files", input: {} }] },
      { toolCalls: [{ name: "list_files", input: {} }] },
    ]);
    const run = await startRun(harness.runtime, { ...baseSettings(), maxSteps: 2 });
    const finished = await executeRun(harness.runtime, run.id);
    expect(finished.status).toBe("failed");
    expect(finished.error).toMatch(/step limit \(2\)/);
    harness.model.assertFinished();
  });

  it("records a fatal model error as failed, resumable later", async () => {
    const fatal = Object.assign(new Error("deepseek answered 402 (insufficient balance): Insufficient Balance"), {
      isRetryable: false,
    });
    harness = scriptedHarness([{ error: fatal }, { text: "back" }]);
    const run = await startRun(harness.runtime, baseSettings());
    const failed = await executeRun(harness.runtime, run.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/402/);
    expect(failed.error).toMatch(/tansuo resume/);
    const resumed = await executeRun(harness.runtime, run.id);
    expect(resumed.status).toBe("succeeded");
    harness.model.assertFinished();
  });

  it("re-runs a tool call that started but never finished only with approval", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "echo x >> side-effect.txt" } }] },
      { text: "done" },
    ]);
    const run = await startRun(harness.runtime, { ...baseSettings(), approval: "ask" });
    // Simulate a crash: the step is committed and the call marked started, but it never finished.
    await executeRun(harness.runtime, run.id);
    const [call] = await harness.store.listToolCalls(run.id);
    await harness.store.updateToolCall(run.id, call!.callId, {
      status: "started",
      startedAt: new Date().toISOString(),
    });
    await harness.store.setRunStatus(run.id, "running");
    const events: RunEvent[] = [];
    const paused = await executeRun(harness.runtime, run.id, { onEvent: (event) => events.push(event) });
    expect(paused.status).toBe("awaiting_approval");
    expect(events.find((event) => event.type === "approval-required")).toMatchObject({
      calls: [{ toolName: "run_command", interrupted: true }],
    });
    await approveRun(harness.runtime, run.id, { approve: false });
    expect((await executeRun(harness.runtime, run.id)).status).toBe("succeeded");
    expect(existsSync(path.join(harness.workspace, "side-effect.txt"))).toBe(false);
    harness.model.assertFinished();
  });

  it("bills an answer DeepSeek cut for lack of resources, discards it, and asks again", async () => {
    const price = { effectiveFrom: "2020-01-01", inputCacheHit: "0.1", inputCacheMiss: "1", output: "2" };
    harness = scriptedHarness(
      [
        { text: "partial ans", finishReason: "error", usage: { inputTokens: 100, outputTokens: 3 } },
        {
          text: "full answer",
          usage: { inputTokens: 100, outputTokens: 5 },
          expect: (options) => expect(JSON.stringify(options.prompt)).not.toContain("partial ans"),
        },
      ],
      { price },
    );
    // The scripted model reports finishReason.raw = unified; mark the first as DeepSeek's cut.
    const original = harness.model.doStream.bind(harness.model);
    let calls = 0;
    harness.model.doStream = async (options) => {
      const result = await original(options);
      if (calls++ > 0) return result;
      const reader = result.stream.getReader();
      return {
        stream: new ReadableStream({
          async pull(controller) {
            const { value, done } = await reader.read();
            if (done) return controller.close();
            controller.enqueue(
              value.type === "finish"
                ? { ...value, finishReason: { unified: "error", raw: "insufficient_system_resource" } }
                : value,
            );
          },
        }),
      };
    };
    const run = await startRun(harness.runtime, baseSettings());
    const finished = await executeRun(harness.runtime, run.id);
    expect(finished).toMatchObject({ status: "succeeded", output: "full answer", stepCount: 2 });
    // Both calls are billed: (100 x 1 + 3 x 2) + (100 x 1 + 5 x 2) per 1M.
    expect(finished.costUsd).toBe("0.000216");
    expect((await harness.store.listSteps(run.id))[0]?.assistant.discarded).toBe(true);
    harness.model.assertFinished();
  });

  it("with tool choice required, offers a finish tool and ends the run with its answer", async () => {
    harness = scriptedHarness([
      {
        toolCalls: [{ name: "list_files", input: {} }],
        expect: (options) => {
          expect(options.toolChoice).toEqual({ type: "required" });
          expect(options.tools?.map((tool) => tool.name)).toContain("finish");
        },
      },
      { toolCalls: [{ name: "finish", input: { answer: "There are no files." } }] },
    ]);
    const run = await startRun(harness.runtime, { ...baseSettings(), toolChoice: "required" });
    const finished = await executeRun(harness.runtime, run.id);
    expect(finished).toMatchObject({ status: "succeeded", output: "There are no files.", stepCount: 2 });
    harness.model.assertFinished();
  });

  it("bills an answer that breaks off mid-stream at an upper-bound estimate, and fails resumably", async () => {
    const price = { effectiveFrom: "2020-01-01", inputCacheHit: "0.1", inputCacheMiss: "1", output: "2" };
    harness = scriptedHarness([], { price });
    harness.model.doStream = async () => ({
      stream: new ReadableStream({
        start(controller) {
          controller.enqueue({ type: "stream-start", warnings: [] });
          controller.enqueue({ type: "text-start", id: "t" });
          controller.enqueue({ type: "text-delta", id: "t", delta: "half an ans" });
          controller.enqueue({ type: "error", error: new Error("connection reset by peer") });
          controller.close();
        },
      }),
    });
    const run = await startRun(harness.runtime, baseSettings());
    const failed = await executeRun(harness.runtime, run.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/connection reset by peer/);
    const [step] = await harness.store.listSteps(run.id);
    expect(step).toMatchObject({ finishReason: "interrupted", assistant: { text: "half an ans", discarded: true } });
    expect(step?.usage.outputTokens).toBe(11);
    expect(Number(failed.costUsd)).toBeGreaterThan(0);
    expect(failed.costUsd).toBe(step?.costUsd);
  });

  it("refuses a budget for a model with no price instead of counting it as free", async () => {
    harness = scriptedHarness([]);
    const run = await startRun(harness.runtime, { ...baseSettings(), budgetUsd: "0.0001" });
    const finished = await executeRun(harness.runtime, run.id);
    expect(finished.status).toBe("failed");
    expect(finished.error).toMatch(/no price in the catalog, so a budget cannot be enforced/);
    harness.model.assertFinished();
  });

  it("keeps later calls of a step waiting behind one that needs approval", async () => {
    harness = scriptedHarness([
      {
        toolCalls: [
          { name: "run_command", input: { command: "echo a > first.txt" } },
          { name: "write_file", input: { path: "second.txt", content: "b" } },
        ],
      },
      { text: "done" },
    ]);
    const run = await startRun(harness.runtime, { ...baseSettings(), approval: "ask" });
    expect((await executeRun(harness.runtime, run.id)).status).toBe("awaiting_approval");
    expect(existsSync(path.join(harness.workspace, "second.txt"))).toBe(false);
    await approveRun(harness.runtime, run.id, { approve: true });
    expect((await executeRun(harness.runtime, run.id)).status).toBe("succeeded");
    expect(readFileSync(path.join(harness.workspace, "first.txt"), "utf8")).toBe("a\n");
    expect(readFileSync(path.join(harness.workspace, "second.txt"), "utf8")).toBe("b");
    harness.model.assertFinished();
  });

  it("replaces empty or repeated tool-call ids so every call is kept", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "list_files", input: {}, id: "call_0" }] },
      {
        toolCalls: [
          { name: "list_files", input: {}, id: "call_0" },
          { name: "list_files", input: {}, id: "" },
        ],
      },
      {
        text: "ok",
        expect: (options) => {
          const ids = options.prompt.flatMap((message) =>
            message.role === "tool" ? message.content.map((part) => (part as { toolCallId: string }).toolCallId) : [],
          );
          expect(new Set(ids).size).toBe(3);
        },
      },
    ]);
    const run = await startRun(harness.runtime, baseSettings());
    expect((await executeRun(harness.runtime, run.id)).status).toBe("succeeded");
    expect(await harness.store.listToolCalls(run.id)).toHaveLength(3);
    harness.model.assertFinished();
  });

  it("a resumed run whose last step finished through `finish` ends there, without another model call", async () => {
    harness = scriptedHarness([{ toolCalls: [{ name: "finish", input: { answer: "all done" } }] }]);
    const run = await startRun(harness.runtime, { ...baseSettings(), toolChoice: "required" });
    expect((await executeRun(harness.runtime, run.id)).output).toBe("all done");
    await harness.store.setRunStatus(run.id, "failed", {
      error: "pretend the process died before the status was written",
    });
    expect((await executeRun(harness.runtime, run.id)).status).toBe("succeeded");
    harness.model.assertFinished();
  });

  it("an interrupted run (Ctrl-C) ends failed and can be resumed, unlike a cancel", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "sleep 20" } }] },
      { text: "resumed" },
    ]);
    const run = await startRun(harness.runtime, { ...baseSettings(), approval: "auto" });
    const interrupt = new AbortController();
    const running = executeRun(harness.runtime, run.id, { signal: interrupt.signal });
    await new Promise((resolve) => setTimeout(resolve, 300));
    interrupt.abort();
    const stopped = await running;
    expect(stopped.status).toBe("failed");
    expect(stopped.error).toMatch(/interrupted by the user; `tansuo resume/);
    await harness.store.updateToolCall(run.id, (await harness.store.listToolCalls(run.id))[0]!.callId, {
      status: "denied",
      output: "stopped",
    });
    expect((await executeRun(harness.runtime, run.id)).status).toBe("succeeded");
    harness.model.assertFinished();
  });

  it("refuses to execute a run another live process holds", async () => {
    harness = scriptedHarness([]);
    const run = await startRun(harness.runtime, baseSettings());
    // The parent process (vitest's) is alive: its lease holds however old it is.
    expect(await harness.store.claimRun(run.id, `${hostname()}:${process.ppid}:other`, 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(executeRun(harness.runtime, run.id)).rejects.toThrow(/being executed by another process/);
    harness.model.assertFinished();
  });

  it("runs read-only calls of a step together and the others one at a time, results in call order", async () => {
    harness = scriptedHarness([
      {
        toolCalls: [
          { name: "read_file", input: { path: "a.txt" }, id: "read-a" },
          { name: "read_file", input: { path: "b.txt" }, id: "read-b" },
          { name: "write_file", input: { path: "c.txt", content: "c" }, id: "write-c" },
          { name: "write_file", input: { path: "d.txt", content: "d" }, id: "write-d" },
        ],
      },
      {
        text: "ok",
        expect: (options) => {
          const results = options.prompt.at(-1);
          const ids =
            results?.role === "tool" ? results.content.map((part) => (part as { toolCallId: string }).toolCallId) : [];
          expect(ids).toEqual(["read-a", "read-b", "write-c", "write-d"]);
        },
      },
    ]);
    writeFileSync(path.join(harness.workspace, "a.txt"), "a");
    writeFileSync(path.join(harness.workspace, "b.txt"), "b");
    const order: string[] = [];
    // Each tool's run is observed where it happens: the step commit marks all four started before any runs.
    const tools = harness.runtime.tools;
    const select = tools.select.bind(tools);
    tools.select = (names) =>
      select(names).map((tool) => ({
        ...tool,
        execute: async (input: never, context: never) => {
          const { path: file } = input as { path: string };
          const id = { "a.txt": "read-a", "b.txt": "read-b", "c.txt": "write-c", "d.txt": "write-d" }[file];
          order.push(`start ${id}`);
          try {
            return await tool.execute(input, context);
          } finally {
            order.push(`finish ${id}`);
          }
        },
      }));
    const run = await startRun(harness.runtime, baseSettings());
    expect((await executeRun(harness.runtime, run.id)).status).toBe("succeeded");
    expect(order.slice(0, 2)).toEqual(["start read-a", "start read-b"]);
    expect(order.slice(4)).toEqual(["start write-c", "finish write-c", "start write-d", "finish write-d"]);
    harness.model.assertFinished();
  });

  it("cancelling stops the run", async () => {
    harness = scriptedHarness([{ toolCalls: [{ name: "run_command", input: { command: "sleep 20" } }] }]);
    const run = await startRun(harness.runtime, { ...baseSettings(), approval: "auto" });
    const running = executeRun(harness.runtime, run.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await cancelRun(harness.runtime, run.id);
    expect((await running).status).toBe("cancelled");
    harness.model.assertFinished();
  });
});
