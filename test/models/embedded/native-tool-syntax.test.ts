import type { LanguageModelV3FunctionTool, LanguageModelV3Prompt } from "@ai-sdk/provider";
import {
  type ChatWrapper,
  GeneralChatWrapper,
  Llama3_1ChatWrapper,
  Llama3ChatWrapper,
  MistralChatWrapper,
  QwenChatWrapper,
} from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDocumentedTools } from "../../../src/models/embedded/chat-wrapper-choice.ts";
import { convertPrompt } from "../../../src/models/embedded/convert-prompt.ts";
import { createEmbeddedModel, type EmbeddedLanguageModel } from "../../../src/models/embedded/index.ts";
import { nativeCallSyntax } from "../../../src/models/embedded/native-call-syntax.ts";
import { parseNativeCalls } from "../../../src/models/embedded/parse-native-calls.ts";
import { documentedFunctions } from "../../../src/models/embedded/tool-protocol.ts";
import { tinyModelPath } from "../../support/tiny-model.ts";

const readFile = {
  name: "read_file",
  description: "Reads a file",
  inputSchema: { type: "object", properties: { path: { type: "string", maxLength: 8 } }, required: ["path"] },
};

const prompt: LanguageModelV3Prompt = [
  { role: "user", content: [{ type: "text", text: "Read a.txt" }] },
  {
    role: "assistant",
    content: [
      { type: "text", text: "Reading." },
      { type: "tool-call", toolCallId: "c1", toolName: "read_file", input: '{"path":"a.txt"}' },
    ],
  },
  {
    role: "tool",
    content: [
      { type: "tool-result", toolCallId: "c1", toolName: "read_file", output: { type: "text", value: "hello" } },
    ],
  },
];

function rendered(chatWrapper: ChatWrapper): string {
  const wrapper = withDocumentedTools(chatWrapper, documentedFunctions([readFile]));
  return wrapper.generateContextState({ chatHistory: convertPrompt(prompt) }).contextText.toString();
}

describe("history in each chat wrapper's own tool language", () => {
  it("Qwen: tools in <tools>, the call in <tool_call>, the result in <tool_response> from the user's side", () => {
    const text = rendered(new QwenChatWrapper());
    expect(text).toContain('<tools>\n{"type": "function", "function": {"name": "read_file"');
    expect(text).toContain('Reading.<tool_call>\n{"name": "read_file", "arguments": {"path": "a.txt"}}\n</tool_call>');
    expect(text).toContain('<|im_start|>user\n<tool_response>\n"hello"\n</tool_response><|im_end|>');
    expect(text.endsWith("<|im_start|>assistant\n")).toBe(true);
  });

  it("Llama 3.1: the call as <function=...>, the result in the ipython role", () => {
    const text = rendered(new Llama3_1ChatWrapper({ todayDate: null }));
    expect(text).toContain('Reading.<function=read_file>{"path": "a.txt"}</function><|eom_id|>');
    expect(text).toContain('<|start_header_id|>ipython<|end_header_id|>\n\n"hello"<|eot_id|>');
  });

  it("Llama 3: the call as ||call: name(...), the result in the function_call_result role", () => {
    const text = rendered(new Llama3ChatWrapper());
    expect(text).toContain('Reading.||call: read_file({"path": "a.txt"})');
    expect(text).toContain('<|start_header_id|>function_call_result<|end_header_id|>\n\n"hello"<|eot_id|>');
  });

  it("Mistral: tools in [AVAILABLE_TOOLS], the call in [TOOL_CALLS], the result in [TOOL_RESULTS]", () => {
    const text = rendered(new MistralChatWrapper());
    expect(text).toContain('[AVAILABLE_TOOLS][{"type": "function", "function": {"name": "read_file"');
    expect(text).toContain('Reading.[TOOL_CALLS][{"name": "read_file", "arguments": {"path": "a.txt"}}]');
    expect(text).toContain('[TOOL_RESULTS]{"name": "read_file", "content": "hello"}[/TOOL_RESULTS]');
  });

  it("generic: the call as ||call: name(...) and the result as ||result:", () => {
    const text = rendered(new GeneralChatWrapper());
    expect(text).toContain("// Reads a file\nfunction read_file(params: {");
    expect(text).toContain('Reading.||call: read_file({"path": "a.txt"})\n||result: "hello"');
  });

  it("reads back parallel calls in the wrapper's syntax, and knows a call cut short", () => {
    const syntax = nativeCallSyntax(new MistralChatWrapper());
    const text =
      '[TOOL_CALLS][{"name": "read_file", "arguments": {"path": "a"}}, {"name": "read_file", "arguments": {"path": "b"}}]';
    expect(parseNativeCalls(text, syntax, ["read_file"])).toEqual({
      calls: [
        { toolName: "read_file", input: '{"path": "a"}' },
        { toolName: "read_file", input: '{"path": "b"}' },
      ],
      complete: true,
    });
    expect(parseNativeCalls('[TOOL_CALLS][{"name": "read_file", "arguments": {"pa', syntax, ["read_file"])).toEqual({
      calls: [],
      complete: false,
    });
  });
});

describe("the tiny GGUF through a forced chat wrapper", () => {
  let model: EmbeddedLanguageModel;
  const tool: LanguageModelV3FunctionTool = { type: "function", ...readFile };

  beforeAll(async () => {
    model = createEmbeddedModel({
      modelPath: tinyModelPath,
      contextSize: 2048,
      gpu: false,
      threads: 1,
      chatWrapper: "qwen",
    });
    expect((await model.load()).chatTemplate).toBe("Qwen");
  });

  afterAll(async () => {
    await model.close();
  });

  it("writes a call in Qwen's <tool_call> syntax that comes back as a tool call, then continues after its result", async () => {
    const first = await model.doGenerate({
      prompt: [{ role: "user", content: [{ type: "text", text: "Read a file." }] }],
      tools: [tool],
      toolChoice: { type: "required" },
      maxOutputTokens: 400,
      seed: 1,
    });
    const calls = first.content.filter((part) => part.type === "tool-call");
    expect(calls.length).toBeGreaterThan(0);
    // Random weights may write calls until the output limit; the calls written whole still come back.
    expect(first.finishReason.unified).toBe("tool-calls");
    for (const call of calls) {
      expect(call.toolName).toBe("read_file");
      expect(typeof JSON.parse(call.input).path).toBe("string");
    }
    const [call] = calls;
    if (call?.type !== "tool-call") throw new Error("no call");
    const second = await model.doGenerate({
      prompt: [
        { role: "user", content: [{ type: "text", text: "Read a file." }] },
        { role: "assistant", content: [call] },
        {
          role: "tool",
          content: [
            {
              type: "tool-result",
              toolCallId: call.toolCallId,
              toolName: "read_file",
              output: { type: "text", value: "hello" },
            },
          ],
        },
      ],
      tools: [tool],
      toolChoice: { type: "auto" },
      maxOutputTokens: 8,
      seed: 2,
    });
    // The history with the call was reused: the earlier prompt and the answer's call are in the context already.
    expect(second.usage.inputTokens.cacheRead).toBeGreaterThan(0);
    expect(["stop", "length", "tool-calls"]).toContain(second.finishReason.unified);
    expect(second.providerMetadata?.embedded?.generationTokensPerSecond).toBeGreaterThan(0);
  });
});
