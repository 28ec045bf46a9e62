import type { LanguageModelV3FunctionTool, LanguageModelV3Prompt } from "@ai-sdk/provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Catalog } from "../../../src/models/catalog.ts";
import { createEmbeddedModel } from "../../../src/models/embedded/index.ts";
import { resolveModel } from "../../../src/models/resolve-model.ts";
import type { ResolvedModel } from "../../../src/models/resolved-model.ts";
import { promptTokenBound } from "../../../src/models/tokenizers/prompt-tokens.ts";
import { tokenizerFor } from "../../../src/models/tokenizers/tokenizer-registry.ts";
import { tinyModelPath } from "../../support/tiny-model.ts";

const system =
  "You are a coding agent working in the user's repository. Use the tools to read files and run commands; answer " +
  "in the user's language when the work is done, saying what you changed and why. 回答要简洁。";
const user = (text: string) => ({ role: "user" as const, content: [{ type: "text" as const, text }] });
const tools: LanguageModelV3FunctionTool[] = [
  {
    type: "function",
    name: "read_file",
    description: "Read a file of the workspace.",
    inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  },
];
const withToolTurns: LanguageModelV3Prompt = [
  { role: "system", content: system },
  user("Which test fails? 哪个测试失败了？"),
  {
    role: "assistant",
    content: [
      { type: "text", text: "Reading it first." },
      { type: "tool-call", toolCallId: "call_1", toolName: "read_file", input: '{"path":"test/median.test.ts"}' },
    ],
  },
  {
    role: "tool",
    content: [
      {
        type: "tool-result",
        toolCallId: "call_1",
        toolName: "read_file",
        output: { type: "text", value: "it('median of an even count', () => expect(median([1, 2, 3, 4])).toBe(2.5));" },
      },
    ],
  },
];
// Failed, denied and JSON results: the model reads them reworded ("read_file failed: ...") or as JSON values.
const withOtherResults: LanguageModelV3Prompt = [
  { role: "system", content: "Answer briefly." },
  user("Read both files."),
  {
    role: "assistant",
    content: [
      { type: "tool-call", toolCallId: "call_1", toolName: "read_file", input: '{"path":"a.ts"}' },
      { type: "tool-call", toolCallId: "call_2", toolName: "read_file", input: '{"path":"b.ts"}' },
      { type: "tool-call", toolCallId: "call_3", toolName: "read_file", input: '{"path":"c.json"}' },
    ],
  },
  {
    role: "tool",
    content: [
      {
        type: "tool-result",
        toolCallId: "call_1",
        toolName: "read_file",
        output: { type: "error-text", value: "ENOENT" },
      },
      {
        type: "tool-result",
        toolCallId: "call_2",
        toolName: "read_file",
        output: { type: "execution-denied", reason: "no" },
      },
      {
        type: "tool-result",
        toolCallId: "call_3",
        toolName: "read_file",
        output: { type: "json", value: { name: "tansuo", private: true } },
      },
    ],
  },
];
const prompts: { name: string; prompt: LanguageModelV3Prompt; tools?: LanguageModelV3FunctionTool[] }[] = [
  { name: "system and user", prompt: [{ role: "system", content: system }, user("def add(a, b): return a + b")] },
  { name: "with tools", prompt: [{ role: "system", content: system }, user("Read README.md")], tools },
  { name: "with a tool call and its result", prompt: withToolTurns, tools },
  { name: "with failed, denied and JSON results", prompt: withOtherResults, tools },
];

let resolved: ResolvedModel;
beforeAll(async () => {
  resolved = await resolveModel(tinyModelPath, {
    catalog: Catalog.builtIn(),
    env: {},
    modelsDirectory: "/nonexistent",
    embedded: { contextSize: 2048, gpu: false, threads: 1 },
  });
});
afterAll(() => resolved.close?.());

describe("an embedded model's own tokenizer", () => {
  it("is the count of a loaded .gguf model", async () => {
    expect(resolved.entry.tokenizer).toBe("embedded");
    expect((await tokenizerFor(resolved.entry))?.name).toBe("embedded");
  });

  it.each(prompts)("bounds the prompt tokens the model reports, $name", async ({ prompt, tools: sent }) => {
    const tokenizer = await tokenizerFor(resolved.entry);
    const answer = await resolved.model.doGenerate({ prompt, tools: sent, maxOutputTokens: 4 });
    const reported = answer.usage.inputTokens.total!;
    const bound = promptTokenBound(tokenizer, resolved.entry, prompt, sent);
    expect(bound).toBeGreaterThanOrEqual(reported);
    expect(bound).toBeLessThanOrEqual(1.05 * reported);
  });

  it("bounds a follow-up call from the last call's reported tokens and the messages after it", async () => {
    const tokenizer = await tokenizerFor(resolved.entry);
    const first = await resolved.model.doGenerate({ prompt: withToolTurns, tools, maxOutputTokens: 8 });
    const answer = first.content.flatMap((part) =>
      part.type === "text" ? [{ type: "text" as const, text: part.text }] : [],
    );
    const known = {
      messageCount: withToolTurns.length + 1,
      tokens: first.usage.inputTokens.total! + first.usage.outputTokens.total!,
    };
    const prompt: LanguageModelV3Prompt = [
      ...withToolTurns,
      { role: "assistant", content: answer },
      user("Now fix it, and run the tests again. 然后再运行测试。"),
    ];
    const second = await resolved.model.doGenerate({ prompt, tools, maxOutputTokens: 4 });
    const reported = second.usage.inputTokens.total!;
    expect(promptTokenBound(tokenizer, resolved.entry, prompt, tools, known)).toBeGreaterThanOrEqual(reported);
  });

  // Each chat format renders tools, calls and results its own way; the count follows the one the model is run with.
  it.each(["qwen", "llama3.1", "mistral"] as const)("counts as the %s chat format renders", async (chatWrapper) => {
    const model = createEmbeddedModel({
      modelPath: tinyModelPath,
      contextSize: 2048,
      gpu: false,
      threads: 1,
      chatWrapper,
    });
    try {
      const tokenizer = await model.promptTokenizer();
      const answer = await model.doGenerate({ prompt: withToolTurns, tools, maxOutputTokens: 4 });
      const reported = answer.usage.inputTokens.total!;
      const bound = promptTokenBound(tokenizer, resolved.entry, withToolTurns, tools);
      expect(bound).toBeGreaterThanOrEqual(reported);
      expect(bound).toBeLessThanOrEqual(1.05 * reported);
    } finally {
      await model.close();
    }
  });

  it("is no longer registered once the model is closed: prompts are bounded by bytes again", async () => {
    await resolved.close();
    expect(await tokenizerFor(resolved.entry)).toBeUndefined();
  });
});
