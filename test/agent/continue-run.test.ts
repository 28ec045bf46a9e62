import path from "node:path";
import type { LanguageModelV3Message } from "@ai-sdk/provider";
import { afterEach, describe, expect, it } from "vitest";
import {
  addMessage,
  cancelRun,
  continueRun,
  createRuntime,
  executeRun,
  RunStateError,
  startRun,
} from "../../src/agent/index.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { scriptedHarness } from "../support/agent-harness.ts";

let harness: ReturnType<typeof scriptedHarness>;
afterEach(() => harness?.cleanup());

const baseSettings = () => ({ task: "first question", model: "scripted", workspace: harness.workspace });
const userText = (message: LanguageModelV3Message | undefined) =>
  message?.role === "user" ? message.content.map((part) => (part.type === "text" ? part.text : "")).join("") : "";
const assistantText = (message: LanguageModelV3Message | undefined) =>
  message?.role === "assistant" ? message.content.map((part) => (part.type === "text" ? part.text : "")).join("") : "";

describe("continueRun: a conversation as one durable run", () => {
  it("puts each message after the last answer, so every call's prompt starts with the previous call's, byte for byte", async () => {
    // Copied as each call is made: the loop's history is one array that grows after the call.
    const prompts: LanguageModelV3Message[][] = [];
    const record = (options: { prompt: LanguageModelV3Message[] }) => {
      prompts.push(structuredClone(options.prompt));
    };
    harness = scriptedHarness(
      [
        { toolCalls: [{ name: "list_files", input: {} }] },
        { text: "answer one" },
        { text: "answer two" },
        { toolCalls: [{ name: "list_files", input: {} }] },
        { text: "answer three" },
      ].map((step) => ({ ...step, expect: record })),
    );
    const run = await startRun(harness.runtime, baseSettings());
    expect((await executeRun(harness.runtime, run.id)).output).toBe("answer one");
    const second = await continueRun(harness.runtime, run.id, "second question");
    expect(second).toMatchObject({ id: run.id, status: "succeeded", output: "answer two", stepCount: 3 });
    const third = await continueRun(harness.runtime, run.id, "third question");
    expect(third).toMatchObject({ status: "succeeded", output: "answer three", stepCount: 5 });

    expect(prompts).toHaveLength(5);
    for (let index = 1; index < prompts.length; index++) {
      const previous = prompts[index - 1]!;
      expect(JSON.stringify(prompts[index]!.slice(0, previous.length))).toBe(JSON.stringify(previous));
    }
    // Call 3 (the first of the second message): ... answer one, then the person's message last.
    expect(assistantText(prompts[2]!.at(-2))).toBe("answer one");
    expect(userText(prompts[2]!.at(-1))).toBe("second question");
    expect(assistantText(prompts[3]!.at(-2))).toBe("answer two");
    expect(userText(prompts[3]!.at(-1))).toBe("third question");
    expect(prompts[4]!.at(-1)?.role).toBe("tool");
    expect(prompts[4]!.map((message) => message.role)).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
      "assistant",
      "user",
      "assistant",
      "user",
      "assistant",
      "tool",
    ]);
    expect((await harness.store.listRuns()).map((listed) => listed.id)).toEqual([run.id]);
    harness.model.assertFinished();
  });

  it("gives each message --max-steps more steps, and fails at that limit saying so", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "list_files", input: {} }] },
      { text: "answer one" },
      { toolCalls: [{ name: "list_files", input: {} }] },
      { toolCalls: [{ name: "list_files", input: {} }] },
    ]);
    const run = await startRun(harness.runtime, { ...baseSettings(), maxSteps: 2 });
    expect((await executeRun(harness.runtime, run.id)).status).toBe("succeeded");
    const continued = await continueRun(harness.runtime, run.id, "keep going");
    expect(continued).toMatchObject({ status: "failed", stepCount: 4 });
    expect(continued.error).toMatch(/step limit \(2 steps per message\)/);
    harness.model.assertFinished();
  });

  it("spends from the run's one budget across messages: a spent budget ends the continuation before any call", async () => {
    const price = { effectiveFrom: "2020-01-01", inputCacheHit: "0.028", inputCacheMiss: "0.28", output: "0.42" };
    harness = scriptedHarness([{ text: "answer one", usage: { inputTokens: 5000, outputTokens: 2000 } }], { price });
    // The first answer costs 5000 x 0.28 + 2000 x 0.42 per 1M = $0.00224 of $0.003; the next prompt (7000+
    // tokens at $0.28 per 1M) would cost more than the $0.00076 left, so the strict model gets no second call.
    const run = await startRun(harness.runtime, { ...baseSettings(), budgetUsd: "0.003" });
    expect(await executeRun(harness.runtime, run.id)).toMatchObject({ status: "succeeded", costUsd: "0.00224" });
    const continued = await continueRun(harness.runtime, run.id, "and more?");
    expect(continued).toMatchObject({ status: "budget_exhausted", costUsd: "0.00224", stepCount: 1 });
    expect(continued.error).toMatch(/could cost more than the \$0.00076 left/);
    // budget_exhausted may take a message (after the budget is raised, say); with the same budget it ends the same.
    expect((await continueRun(harness.runtime, run.id, "again")).status).toBe("budget_exhausted");
    harness.model.assertFinished();
  });

  it("resumes a continuation that broke off mid-way from the store, in a new runtime, without answering twice", async () => {
    const fatal = Object.assign(new Error("deepseek answered 402 (insufficient balance): Insufficient Balance"), {
      statusCode: 402,
    });
    harness = scriptedHarness([
      { text: "answer one" },
      { toolCalls: [{ name: "list_files", input: {} }] },
      { error: fatal },
      {
        text: "answer two",
        expect: (options) => {
          const roles = options.prompt.map((message) => message.role);
          expect(roles).toEqual(["system", "user", "assistant", "user", "assistant", "tool"]);
          expect(userText(options.prompt[3])).toBe("second question");
        },
      },
    ]);
    const run = await startRun(harness.runtime, baseSettings());
    await executeRun(harness.runtime, run.id);
    const broken = await continueRun(harness.runtime, run.id, "second question");
    expect(broken.status).toBe("failed");
    // As after a crash: another process opens the same file and resumes.
    const store = new SqliteStore(path.join(harness.folder, "tansuo.db"));
    try {
      const other = createRuntime({ store, resolveModel: harness.runtime.resolveModel });
      expect(await executeRun(other, run.id)).toMatchObject({ status: "succeeded", output: "answer two" });
      expect((await store.listRunMessages(run.id)).map((message) => message.content)).toEqual(["second question"]);
    } finally {
      store.close();
    }
    harness.model.assertFinished();
  });

  it("refuses a message to a running, waiting or cancelled run, and an empty one, leaving the run as it was", async () => {
    harness = scriptedHarness([]);
    const run = await startRun(harness.runtime, baseSettings());
    await expect(addMessage(harness.runtime, run.id, "hello")).rejects.toThrow(/is queued; wait for it to end/);
    await harness.store.setRunStatus(run.id, "running");
    await expect(addMessage(harness.runtime, run.id, "hello")).rejects.toThrow(RunStateError);
    await harness.store.setRunStatus(run.id, "awaiting_approval");
    await expect(addMessage(harness.runtime, run.id, "hello")).rejects.toThrow(/tansuo approve/);
    await harness.store.setRunStatus(run.id, "succeeded", { output: "done" });
    await expect(addMessage(harness.runtime, run.id, "  ")).rejects.toThrow(/empty/);
    await cancelRun(harness.runtime, (await startRun(harness.runtime, baseSettings())).id);
    const cancelled = (await harness.store.listRuns()).find((listed) => listed.status === "cancelled")!;
    await expect(addMessage(harness.runtime, cancelled.id, "hello")).rejects.toThrow(/a cancel is final/);
    await expect(addMessage(harness.runtime, "run_missing", "hello")).rejects.toThrow(/No run with id run_missing/);
    expect(await harness.store.listRunMessages(run.id)).toEqual([]);
    expect((await harness.store.getRun(run.id))?.status).toBe("succeeded");
    harness.model.assertFinished();
  });
});
