import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { LanguageModelV3CallOptions, LanguageModelV3Message } from "@ai-sdk/provider";
import { afterEach, describe, expect, it } from "vitest";
import { summaryInstruction } from "../../../src/agent/compaction/compaction-settings.ts";
import { executeRun, type RunEvent, startRun } from "../../../src/agent/index.ts";
import { Catalog } from "../../../src/models/catalog.ts";
import { resolveModel } from "../../../src/models/resolve-model.ts";
import type { ScriptedStep } from "../../../src/testing/index.ts";
import { scriptedHarness } from "../../support/agent-harness.ts";
import { runCli } from "../../support/cli-process.ts";
import { startDeepSeekServer } from "../../support/deepseek-server/index.ts";

// A 7,500-token window: past 0.8 of it (6,000) the run compacts. Each tool step reports a prompt 1,000 tokens
// larger, so the call after step 6 (index 5, 6,000 tokens) is the first whose prompt bound passes the limit.
const contextWindow = 7_500;
const toolStep = (index: number): ScriptedStep => ({
  reasoning: `thinking about part ${index}`,
  toolCalls: [{ id: `call_${index}`, name: "read_file", input: { path: `part-${index}.txt` } }],
  finishReason: "tool-calls",
  usage: { inputTokens: 1_000 * (index + 1), outputTokens: 20 },
});
const summaryAnswer = (expect?: ScriptedStep["expect"]): ScriptedStep => ({
  text: "Read parts 0 and 1: each holds its number.",
  usage: { inputTokens: 6_100, cacheHitTokens: 5_952, outputTokens: 30 },
  expect,
});
const textOf = (message: LanguageModelV3Message | undefined) =>
  message && Array.isArray(message.content)
    ? message.content.map((part) => ("text" in part ? part.text : "")).join("")
    : String(message?.content);

let compactedPrompt: LanguageModelV3CallOptions["prompt"] | undefined;

/** The prompt after compaction, checked as the DeepSeek rules need: every tool call answered, in order. */
function expectCompactedPrompt(options: LanguageModelV3CallOptions) {
  const prompt = options.prompt;
  // A copy: the loop goes on appending to the history the call was given.
  compactedPrompt = [...prompt];
  expect(prompt.map((message) => message.role)).toEqual([
    "system",
    "user",
    "user",
    ...["assistant", "tool", "assistant", "tool", "assistant", "tool", "assistant", "tool"],
  ]);
  expect(textOf(prompt[1])).toBe("read the parts");
  expect(textOf(prompt[2])).toContain("Summary of steps 1-2");
  expect(textOf(prompt[2])).toContain("Read parts 0 and 1");
  const ids = (role: string, type: string) =>
    prompt
      .filter((message) => message.role === role)
      .flatMap((message) => message.content as { type: string; toolCallId?: string }[])
      .filter((part) => part.type === type)
      .map((part) => part.toolCallId);
  expect(ids("assistant", "tool-call")).toEqual(["call_2", "call_3", "call_4", "call_5"]);
  expect(ids("tool", "tool-result")).toEqual(["call_2", "call_3", "call_4", "call_5"]);
  // Reasoning stays on the kept steps' assistant messages (DeepSeek replays it with their tool calls).
  const reasoning = prompt
    .filter((message) => message.role === "assistant")
    .map((message) => (message.content as { type: string }[]).some((part) => part.type === "reasoning"));
  expect(reasoning).toEqual([true, true, true, true]);
}

let harness: ReturnType<typeof scriptedHarness> | undefined;
afterEach(() => {
  harness?.cleanup();
  harness = undefined;
});

function writeParts(workspace: string) {
  for (let index = 0; index < 6; index++) writeFileSync(path.join(workspace, `part-${index}.txt`), `part ${index}\n`);
}

describe("compaction as a step of the run", () => {
  it("summarises the old steps when the prompt nears the window, bills it, and sends the summary after the task", async () => {
    let beforeCompaction: LanguageModelV3CallOptions | undefined;
    harness = scriptedHarness(
      [
        ...[0, 1, 2, 3, 4].map(toolStep),
        { ...toolStep(5), expect: (options) => (beforeCompaction = { ...options, prompt: [...options.prompt] }) },
        summaryAnswer((options) => {
          // The run's own prompt up to the cut, then the instruction: a prefix of what was just sent.
          // Steps 1-2 (system, task, two steps of two messages): the cut, then the instruction.
          expect(options.prompt).toHaveLength(7);
          expect(options.prompt.slice(0, 6)).toEqual(beforeCompaction?.prompt.slice(0, 6));
          expect(textOf(options.prompt.at(-1))).toBe(summaryInstruction);
          expect(options.toolChoice).toEqual({ type: "none" });
        }),
        { text: "all parts read", usage: { inputTokens: 2_000, outputTokens: 5 }, expect: expectCompactedPrompt },
      ],
      {
        contextWindow,
        price: { effectiveFrom: "2026-01-01", inputCacheHit: "0.01", inputCacheMiss: "0.1", output: "1" },
      },
    );
    const scripted = harness.model;
    writeParts(harness.workspace);
    const run = await startRun(harness.runtime, {
      task: "read the parts",
      model: "scripted",
      workspace: harness.workspace,
      tools: ["read_file"],
      approval: "auto",
    });
    const events: RunEvent[] = [];
    const finished = await executeRun(harness.runtime, run.id, { onEvent: (event) => events.push(event) });
    scripted.assertFinished();
    expect(finished).toMatchObject({ status: "succeeded", output: "all parts read", stepCount: 8 });
    const steps = await harness.store.listSteps(run.id);
    // The full history stays in the store; step 7 (index 6) is the compaction, billed at the summariser's usage:
    // 148 missed x $0.1/M + 5,952 hit x $0.01/M + 30 out x $1/M = 0.0000148 + 0.00005952 + 0.00003 = 0.00010432.
    expect(steps.map((step) => step.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(steps[6]!.assistant.compaction).toEqual({
      throughStep: 1,
      summary: expect.stringContaining("Read parts 0 and 1"),
    });
    expect(steps[6]!.costUsd).toBe("0.00010432");
    const compaction = events.find((event) => event.type === "compaction");
    expect(compaction).toMatchObject({ step: 6, compactedSteps: 2, costUsd: "0.00010432" });
    expect(compaction && "reason" in compaction ? compaction.reason : "").toContain("of the 7500-token window");

    // The compacted prompt, sent in thinking mode to the DeepSeek-format server that enforces V3.2's 400 rules
    // (reasoning replayed on tool turns, every tool call id answered): it is accepted.
    const server = await startDeepSeekServer({
      apiKey: "sk-test",
      rules: { reasoningContent: "v3.2-requires-on-tool-turns" },
      script: [{ content: "ok" }],
    });
    try {
      const deepseek = await resolveModel("deepseek-v4-flash", {
        catalog: Catalog.builtIn(),
        env: { DEEPSEEK_API_KEY: "sk-test" },
        modelsDirectory: "/nonexistent",
        baseUrl: server.url,
        retryPolicy: { maxRetries: 0, initialDelayMilliseconds: 0, maxDelayMilliseconds: 0 },
      });
      const answer = await deepseek.model.doGenerate({
        prompt: compactedPrompt!,
        providerOptions: deepseek.thinkingOptions?.("on"),
      });
      expect(answer.content).toContainEqual(expect.objectContaining({ type: "text", text: "ok" }));
      expect(server.requests[0]!.status).toBe(200);
      // On the wire: each kept tool turn replays its own reasoning, and each call id is answered by a tool message.
      const wire = (server.requests[0]!.body as { messages: Record<string, unknown>[] }).messages;
      const toolTurns = wire.filter((message) => message.role === "assistant");
      expect(toolTurns.map((message) => message.reasoning_content)).toEqual(
        [2, 3, 4, 5].map((n) => `thinking about part ${n}`),
      );
      const called = toolTurns.flatMap((message) => (message.tool_calls as { id: string }[]).map((call) => call.id));
      expect(wire.filter((message) => message.role === "tool").map((message) => message.tool_call_id)).toEqual(called);
    } finally {
      await server.close();
    }

    // The transcript shows it: `tansuo runs show` (a real CLI process on the run's store) prints the compaction.
    const home = path.join(harness.folder, "home");
    mkdirSync(home);
    const env = { TANSUO_HOME: home, TANSUO_STORE: path.join(harness.folder, "tansuo.db") };
    const shown = await runCli(["runs", "show", run.id], { env, cwd: harness.workspace });
    expect(shown.stdout).toContain("── step 7 · 6100 in (5952 cached) / 30 out");
    expect(shown.stdout).toContain("compaction: steps 1-2 summarised");
    expect(shown.stdout).toContain("Read parts 0 and 1: each holds its number.");
    const json = JSON.parse((await runCli(["runs", "show", run.id, "--json"], { env, cwd: harness.workspace })).stdout);
    expect(json.steps[6].compaction).toEqual({
      throughStep: 1,
      summary: expect.stringContaining("Read parts 0 and 1"),
    });
  });

  it("resumes correctly after the compaction call failed and after a crash mid-compaction", async () => {
    // One strict script for both processes: the first ends at the failed compaction call, the resume uses the rest.
    harness = scriptedHarness(
      [
        ...[0, 1, 2, 3, 4, 5].map(toolStep),
        { error: new Error("socket hang up") },
        summaryAnswer(),
        { text: "all parts read", usage: { inputTokens: 2_000, outputTokens: 5 }, expect: expectCompactedPrompt },
      ],
      { contextWindow },
    );
    writeParts(harness.workspace);
    const run = await startRun(harness.runtime, {
      task: "read the parts",
      model: "scripted",
      workspace: harness.workspace,
      tools: ["read_file"],
      approval: "auto",
    });
    const failed = await executeRun(harness.runtime, run.id);
    expect(failed.status).toBe("failed");
    expect(harness.model.remaining).toBe(2);
    // As a process killed waiting for the next compaction's answer leaves it: its start stored, no step.
    await harness.store.recordStepStart(run.id, { index: 7, promptTokens: 6_500, maxOutputTokens: 256 });
    const resumed = await executeRun(harness.runtime, run.id);
    harness.model.assertFinished();
    expect(resumed).toMatchObject({ status: "succeeded", output: "all parts read" });
    const steps = await harness.store.listSteps(run.id);
    expect(steps.map((step) => [step.index, step.finishReason, step.assistant.discarded ?? false])).toEqual([
      [0, "tool-calls", false],
      [1, "tool-calls", false],
      [2, "tool-calls", false],
      [3, "tool-calls", false],
      [4, "tool-calls", false],
      [5, "tool-calls", false],
      [6, "no-answer", true],
      [7, "lost-in-crash", true],
      [8, "stop", false],
      [9, "stop", false],
    ]);
    expect(steps[8]!.assistant.compaction?.throughStep).toBe(1);
  });
});
