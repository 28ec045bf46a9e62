import type { LanguageModelV3CallOptions, LanguageModelV3FunctionTool, LanguageModelV3Prompt } from "@ai-sdk/provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createEmbeddedModel,
  type EmbeddedLanguageModel,
  EmbeddedModelClosedError,
  PromptTooLongError,
  ToolInputInvalidError,
} from "../../../src/models/embedded/index.ts";
import { tinyModelPath } from "../../support/tiny-model.ts";
import { partsOf, readParts } from "./stream-parts.ts";

const contextSize = 1024;
const userPrompt = (text: string): LanguageModelV3Prompt => [
  { role: "system", content: "You are a helpful assistant." },
  { role: "user", content: [{ type: "text", text }] },
];

// Random weights never close an unbounded string, so string fields carry a maxLength.
const readFile: LanguageModelV3FunctionTool = {
  type: "function",
  name: "read_file",
  description: "Read lines of a text file.",
  inputSchema: {
    type: "object",
    properties: { path: { type: "string", maxLength: 16 }, line: { type: "integer" } },
    required: ["path", "line"],
    additionalProperties: false,
  },
};
const listFiles: LanguageModelV3FunctionTool = {
  type: "function",
  name: "list_files",
  description: "List a directory.",
  inputSchema: {
    type: "object",
    properties: {
      directory: { type: "string", maxLength: 8 },
      depth: { type: "integer", minimum: 1, maximum: 3 },
      hidden: { type: "boolean" },
      sort: { enum: ["name", "size"] },
    },
    required: ["directory"],
  },
};

const validatorFor = (schema: unknown) => z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);

let model: EmbeddedLanguageModel;

beforeAll(async () => {
  // One thread: on a busy 2-core machine, llama.cpp's spinning threads make a tiny model 100 times slower.
  model = createEmbeddedModel({ modelPath: tinyModelPath, contextSize, gpu: false, threads: 1 });
  await model.load();
});

afterAll(async () => {
  await model.close();
});

describe("EmbeddedLanguageModel with a real GGUF model", () => {
  it("reports what it loaded", async () => {
    const info = await model.load();
    expect(info.contextSize).toBe(contextSize);
    expect(info.gpu).toBe(false);
    expect(model.specificationVersion).toBe("v3");
    expect(model.modelId).toBe("llama-2-tiny-random");
  });

  it("streams text deltas that make up the same answer doGenerate gives", async () => {
    const options: LanguageModelV3CallOptions = { prompt: userPrompt("Say hello."), maxOutputTokens: 24 };
    const { stream } = await model.doStream(options);
    const parts = await readParts(stream);

    expect(parts[0]?.type).toBe("stream-start");
    expect(parts.at(-1)?.type).toBe("finish");
    const types = parts.map((part) => part.type);
    expect(types.indexOf("text-start")).toBeLessThan(types.indexOf("text-delta"));
    expect(types.lastIndexOf("text-delta")).toBeLessThan(types.indexOf("text-end"));
    const streamed = partsOf(parts, "text-delta")
      .map((part) => part.delta)
      .join("");
    expect(streamed.length).toBeGreaterThan(0);

    // Greedy decoding is deterministic, and the second call reuses the evaluated prompt.
    const generated = await model.doGenerate(options);
    expect(generated.content).toEqual([{ type: "text", text: streamed }]);
    expect(generated.usage.inputTokens.cacheRead).toBeGreaterThan(0);
  });

  it("counts input and output tokens with the model's tokenizer", async () => {
    const short = await model.doGenerate({ prompt: userPrompt("Hi."), maxOutputTokens: 12 });
    const long = await model.doGenerate({
      prompt: userPrompt("Hi. Please describe the history of the city you like best, in detail."),
      maxOutputTokens: 12,
    });
    for (const { usage } of [short, long]) {
      expect(usage.inputTokens.total).toBeGreaterThan(0);
      expect(usage.inputTokens.noCache).toBe((usage.inputTokens.total ?? 0) - (usage.inputTokens.cacheRead ?? 0));
      expect(usage.outputTokens.total).toBeGreaterThan(0);
      expect(usage.outputTokens.total).toBeLessThanOrEqual(12);
    }
    expect(long.usage.inputTokens.total).toBeGreaterThan((short.usage.inputTokens.total ?? 0) + 10);
  });

  it("makes a grammar-constrained tool call that parses and validates when a call is required", async () => {
    const validate = validatorFor(readFile.inputSchema);
    for (const seed of [1, 2, 3, 4, 5]) {
      const { stream } = await model.doStream({
        prompt: userPrompt("Show me line 3 of notes.txt"),
        tools: [readFile, listFiles],
        toolChoice: { type: "required" },
        maxOutputTokens: 300,
        temperature: 1,
        seed,
      });
      const parts = await readParts(stream);
      const [call] = partsOf(parts, "tool-call");
      expect(call, JSON.stringify(parts)).toBeDefined();
      if (!call) continue;
      const input = JSON.parse(call.input) as Record<string, unknown>;
      expect(call.toolName === "read_file" ? validate.safeParse(input).success : typeof input.directory).toBeTruthy();
      expect(call.toolCallId).toMatch(/^call_/);

      const [start] = partsOf(parts, "tool-input-start");
      expect(start).toEqual({ type: "tool-input-start", id: call.toolCallId, toolName: call.toolName });
      const deltas = partsOf(parts, "tool-input-delta").map((part) => part.delta);
      expect(deltas.join("")).toBe(call.input);
      expect(partsOf(parts, "tool-input-end")).toHaveLength(1);
      expect(partsOf(parts, "finish")[0]?.finishReason.unified).toBe("tool-calls");
      expect(partsOf(parts, "text-delta")).toHaveLength(0);
    }
  });

  it("calls the one tool that toolChoice names, with input valid under its schema", async () => {
    const validate = validatorFor(listFiles.inputSchema);
    const ids = new Set<string>();
    for (const seed of [7, 8, 9]) {
      const result = await model.doGenerate({
        prompt: userPrompt("What is in src?"),
        tools: [readFile, listFiles],
        toolChoice: { type: "tool", toolName: "list_files" },
        maxOutputTokens: 300,
        temperature: 1,
        seed,
      });
      const call = result.content.find((part) => part.type === "tool-call");
      expect(call?.type === "tool-call" && call.toolName).toBe("list_files");
      if (call?.type !== "tool-call") continue;
      expect(validate.safeParse(JSON.parse(call.input)).success).toBe(true);
      ids.add(call.toolCallId);
    }
    expect(ids.size).toBe(3);
  });

  it("lets the model answer in text or call a tool when the choice is auto, and either way it is well formed", async () => {
    const result = await model.doGenerate({
      prompt: userPrompt("Hello"),
      tools: [readFile],
      maxOutputTokens: 40,
    });
    for (const part of result.content) {
      if (part.type === "tool-call") expect(() => JSON.parse(part.input)).not.toThrow();
      else expect(part.type).toBe("text");
    }
  });

  it("reads earlier tool calls and results back from the prompt", async () => {
    const result = await model.doGenerate({
      prompt: [
        ...userPrompt("Show me line 3 of notes.txt"),
        {
          role: "assistant",
          content: [
            { type: "tool-call", toolCallId: "call_1", toolName: "read_file", input: { path: "notes.txt", line: 3 } },
          ],
        },
        {
          role: "tool",
          content: [
            {
              type: "tool-result",
              toolCallId: "call_1",
              toolName: "read_file",
              output: { type: "text", value: "buy milk" },
            },
          ],
        },
      ],
      tools: [readFile],
      maxOutputTokens: 16,
    });
    expect(result.usage.outputTokens.total).toBeGreaterThan(0);
  });

  it("reports a call that breaks a rule the grammar cannot enforce as the model's fault", async () => {
    const strict: LanguageModelV3FunctionTool = {
      type: "function",
      name: "open_page",
      inputSchema: {
        type: "object",
        properties: { url: { type: "string", pattern: "^https://", maxLength: 12 } },
        required: ["url"],
      },
    };
    const { stream } = await model.doStream({
      prompt: userPrompt("Open the docs"),
      tools: [strict],
      toolChoice: { type: "required" },
      maxOutputTokens: 100,
    });
    const parts = await readParts(stream);
    const [error] = partsOf(parts, "error");
    expect(error?.error).toBeInstanceOf(ToolInputInvalidError);
    expect(partsOf(parts, "tool-call")).toHaveLength(0);
  });

  it("constrains a JSON answer to the response format's schema", async () => {
    const schema = {
      type: "object",
      properties: { ok: { type: "boolean" }, count: { type: "integer", minimum: 0, maximum: 9 } },
      required: ["ok", "count"],
      additionalProperties: false,
    };
    const result = await model.doGenerate({
      prompt: userPrompt("Answer in JSON"),
      responseFormat: { type: "json", schema },
      maxOutputTokens: 60,
    });
    const text = result.content.find((part) => part.type === "text");
    expect(text?.type).toBe("text");
    const answer = JSON.parse(text?.type === "text" ? text.text : "");
    expect(validatorFor(schema).safeParse(answer).success).toBe(true);
  });

  it("stops at a stop sequence", async () => {
    const options: LanguageModelV3CallOptions = { prompt: userPrompt("Count to ten."), maxOutputTokens: 40 };
    const full = await model.doGenerate(options);
    const text = full.content[0]?.type === "text" ? full.content[0].text : "";
    const stop = text.slice(Math.floor(text.length / 2), Math.floor(text.length / 2) + 3);
    const stopped = await model.doGenerate({ ...options, stopSequences: [stop] });
    const stoppedText = stopped.content[0]?.type === "text" ? stopped.content[0].text : "";
    expect(text.startsWith(stoppedText)).toBe(true);
    expect(stoppedText.length).toBeLessThan(text.length);
    expect(stopped.finishReason.unified).toBe("stop");
  });

  it("stops promptly when the abort signal fires, and stays usable", async () => {
    const maxOutputTokens = 900;
    const controller = new AbortController();
    const { stream } = await model.doStream({
      prompt: userPrompt("Write a very long story."),
      maxOutputTokens,
      abortSignal: controller.signal,
    });
    const parts = [];
    for await (const part of stream as unknown as AsyncIterable<{ type: string; error?: unknown }>) {
      parts.push(part);
      if (part.type === "text-delta") controller.abort();
    }
    const deltas = parts.filter((part) => part.type === "text-delta");
    expect(deltas.length).toBeLessThan(maxOutputTokens / 10);
    const last = parts.at(-1);
    expect(last?.type).toBe("error");
    expect(last?.error).toMatchObject({ name: "AbortError" });
    expect(parts.some((part) => part.type === "finish")).toBe(false);

    const next = await model.doGenerate({ prompt: userPrompt("Again"), maxOutputTokens: 4 });
    expect(next.usage.outputTokens.total).toBeGreaterThan(0);
  });

  it("rejects doGenerate with the abort reason, also when aborted before the call", async () => {
    const controller = new AbortController();
    const pending = model.doGenerate({
      prompt: userPrompt("Long story"),
      maxOutputTokens: 900,
      abortSignal: controller.signal,
    });
    setImmediate(() => controller.abort());
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await expect(model.doGenerate({ prompt: userPrompt("x"), abortSignal: AbortSignal.abort() })).rejects.toMatchObject(
      { name: "AbortError" },
    );
  });

  it("serves concurrent calls one after another", async () => {
    const results = await Promise.all(
      ["one", "two", "three"].map((text) => model.doGenerate({ prompt: userPrompt(text), maxOutputTokens: 8 })),
    );
    for (const result of results) expect(result.usage.outputTokens.total).toBeGreaterThan(0);
  });

  it("says how long the prompt is and what to do when it does not fit the context", async () => {
    const error = await model
      .doStream({ prompt: userPrompt("word ".repeat(2000)), maxOutputTokens: 10 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PromptTooLongError);
    const tooLong = error as PromptTooLongError;
    expect(tooLong.promptTokens).toBeGreaterThan(contextSize);
    expect(tooLong.contextSize).toBe(contextSize);
    expect(tooLong.message).toContain(`${tooLong.promptTokens} tokens`);
    expect(tooLong.message).toContain("--context");
  });

  it("refuses file parts, which a text-only model cannot read", async () => {
    await expect(
      model.doGenerate({
        prompt: [{ role: "user", content: [{ type: "file", mediaType: "image/png", data: "AAAA" }] }],
      }),
    ).rejects.toThrow(/reads text only/);
  });

  it("ends a running answer with an error when the model is closed", async () => {
    const other = createEmbeddedModel({ modelPath: tinyModelPath, contextSize: 1024, gpu: false, threads: 1 });
    const { stream } = await other.doStream({ prompt: userPrompt("Write a long story."), maxOutputTokens: 900 });
    const reader = stream.getReader();
    await reader.read();
    const closed = other.close();
    const parts = [];
    for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
    await closed;
    expect(parts.at(-1)).toMatchObject({ type: "error", error: expect.any(EmbeddedModelClosedError) });
  });

  it("refuses calls after close", async () => {
    const other = createEmbeddedModel({ modelPath: tinyModelPath, contextSize: 256, gpu: false, threads: 1 });
    await other.doGenerate({ prompt: userPrompt("Hi"), maxOutputTokens: 2 });
    await other.close();
    await expect(other.doGenerate({ prompt: userPrompt("Hi") })).rejects.toBeInstanceOf(EmbeddedModelClosedError);
  });
});
