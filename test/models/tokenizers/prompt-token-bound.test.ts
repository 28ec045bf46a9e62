import type { LanguageModelV3FunctionTool, LanguageModelV3Prompt } from "@ai-sdk/provider";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Catalog } from "../../../src/models/catalog.ts";
import { resolveModel } from "../../../src/models/resolve-model.ts";
import type { ResolvedModel } from "../../../src/models/resolved-model.ts";
import { promptTokenBound } from "../../../src/models/tokenizers/prompt-tokens.ts";
import { tokenizerFor } from "../../../src/models/tokenizers/tokenizer-registry.ts";
import { type DeepSeekServer, startDeepSeekServer } from "../../support/deepseek-server/index.ts";

type Message = LanguageModelV3Prompt[number];

// Realistic pieces in several languages, code and tool output; random graphemes add what nobody thought of.
const fragments = [
  "Read the file and tell me which tests fail, then fix the smallest thing that makes them pass.",
  "请阅读这个文件，找出失败的测试，然后做最小的修改让它们通过。",
  "北京今天的天气怎么样？明天会下雨吗？请用摄氏度回答。",
  "このファイルを読んで、失敗しているテストを教えてください。",
  "def add(a, b):\n    return a + b\n\nassert add(2, 3) == 5\n",
  "export function median(values: number[]): number {\n  const sorted = [...values].sort((a, b) => a - b);\n  return sorted[Math.floor(sorted.length / 2)]!;\n}\n",
  '{"temperature": 21.5, "unit": "celsius", "城市": "北京", "forecast": [{"day": "周二", "rain": 0.3}]}',
  "$ npm test\n\n FAIL  test/median.test.ts\n  ✕ median of an even count (3 ms)\n    Expected: 2.5\n    Received: 3\n",
  "Done ✅ — 3 files changed 🎉 (src/median.ts, test/median.test.ts, README.md)",
];
const text = fc
  .array(fc.oneof(fc.constantFrom(...fragments), fc.string({ unit: "grapheme", maxLength: 40 })), {
    minLength: 1,
    maxLength: 5,
  })
  .map((parts) => parts.join("\n"));

const toolNames = ["read_file", "run_command", "get_weather", "search_code"];
const toolCall = fc.record({
  name: fc.constantFrom(...toolNames),
  input: fc.dictionary(fc.constantFrom("path", "command", "city", "query", "limit"), fc.oneof(text, fc.integer())),
});

/** One step of an agent's history: tool calls and their results, or an answer and the user's next message. */
const step = fc.oneof(
  fc
    .record({
      reasoning: fc.option(text, { nil: undefined }),
      calls: fc.array(fc.tuple(toolCall, text), { minLength: 1, maxLength: 3 }),
    })
    .map(({ reasoning, calls }) => ({ kind: "tools" as const, reasoning, calls })),
  fc.record({ answer: text, next: text }).map(({ answer, next }) => ({ kind: "answer" as const, answer, next })),
);

// A system prompt of an agent's size (about 120 tokens): under about 70 tokens the margin's +1 and its rounding up
// alone are over 5% of the prompt, and such prompts cost nothing worth bounding closely.
const systemPrompt =
  "You are a coding agent working in the user's repository. Use the tools to read files, run commands and search " +
  "the code. Read before you change anything; keep each change as small as the task allows; run the tests after " +
  "every change and read their output. When the work is done, answer in the user's language: say what you changed, " +
  "where, and why, and what you could not do. 回答要简洁，说明你改了什么、在哪里改的以及为什么。";

type Step = typeof step extends fc.Arbitrary<infer Taken> ? Taken : never;

function promptOf(system: string, task: string, steps: readonly Step[]): LanguageModelV3Prompt {
  const prompt: Message[] = [
    { role: "system", content: system },
    { role: "user", content: [{ type: "text", text: task }] },
  ];
  steps.forEach((taken, index) => {
    if (taken.kind === "answer") {
      prompt.push({ role: "assistant", content: [{ type: "text", text: taken.answer }] });
      prompt.push({ role: "user", content: [{ type: "text", text: taken.next }] });
      return;
    }
    const ids = taken.calls.map((_call, position) => `call_${index}_${position}`);
    prompt.push({
      role: "assistant",
      content: [
        ...(taken.reasoning ? [{ type: "reasoning" as const, text: taken.reasoning }] : []),
        ...taken.calls.map(([call], position) => ({
          type: "tool-call" as const,
          toolCallId: ids[position]!,
          toolName: call.name,
          input: JSON.stringify(call.input),
        })),
      ],
    });
    prompt.push({
      role: "tool",
      content: taken.calls.map(([call, result], position) => ({
        type: "tool-result" as const,
        toolCallId: ids[position]!,
        toolName: call.name,
        output: { type: "text" as const, value: result },
      })),
    });
  });
  return prompt;
}

const tools: LanguageModelV3FunctionTool[] = toolNames.map((name) => ({
  type: "function",
  name,
  description: `${name.replaceAll("_", " ")}: see its parameters. 参数见下。`,
  inputSchema: { type: "object", properties: { path: { type: "string" }, limit: { type: "integer" } } },
}));

let server: DeepSeekServer;
let resolved: ResolvedModel;

beforeAll(async () => {
  server = await startDeepSeekServer({ countTokens: "deepseek-v3", fallback: () => ({ content: "ok" }) });
  resolved = await resolveModel("deepseek-v4-flash", {
    catalog: Catalog.builtIn(),
    env: { DEEPSEEK_API_KEY: "sk-test" },
    modelsDirectory: "/nonexistent",
    baseUrl: server.url,
    retryPolicy: { maxRetries: 0, initialDelayMilliseconds: 0, maxDelayMilliseconds: 0 },
  });
});
afterAll(() => server.close());

describe("promptTokenBound with the DeepSeek V3 tokenizer", () => {
  it("is at least the prompt tokens the provider reports and at most 5% over them", async () => {
    const tokenizer = await tokenizerFor(resolved.entry);
    expect(tokenizer?.name).toBe("deepseek-v3");
    await fc.assert(
      fc.asyncProperty(text, fc.array(step, { maxLength: 4 }), fc.boolean(), async (task, steps, withTools) => {
        const prompt = promptOf(systemPrompt, task, steps);
        const sentTools = withTools ? tools : undefined;
        const answer = await resolved.model.doGenerate({ prompt, tools: sentTools });
        const reported = answer.usage.inputTokens.total!;
        const bound = promptTokenBound(tokenizer, resolved.entry, prompt, sentTools);
        expect(bound).toBeGreaterThanOrEqual(reported);
        expect(bound).toBeLessThanOrEqual(1.05 * reported);
      }),
      { numRuns: 40 },
    );
  });
});
