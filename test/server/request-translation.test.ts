import { describe, expect, it } from "vitest";
import { chatCompletionRequestSchema } from "../../src/server/chat-request-schema.ts";
import { chatRequestToCallOptions } from "../../src/server/chat-request-to-call-options.ts";
import { InvalidRequestError } from "../../src/server/gateway-errors.ts";
import { readJsonBody } from "../../src/server/read-json-body.ts";
import { tinyGif, tinyPng } from "../support/tiny-images.ts";

const pngBase64 = tinyPng().toString("base64");

const parse = (body: Record<string, unknown>) =>
  chatCompletionRequestSchema.parse({ model: "m", messages: [{ role: "user", content: "hi" }], ...body });

describe("an OpenAI request as provider call options", () => {
  it("maps every message role, reasoning, tool calls and tool results", () => {
    const options = chatRequestToCallOptions(
      parse({
        messages: [
          { role: "developer", content: [{ type: "text", text: "Be brief." }] },
          {
            role: "user",
            content: [
              { type: "text", text: "What is this?" },
              { type: "image_url", image_url: { url: `data:image/png;base64,${pngBase64}` } },
              // Declared as PNG, but the bytes are a GIF: the type sent on is the content's.
              { type: "image_url", image_url: { url: `data:image/png;base64,${tinyGif.toString("base64")}` } },
            ],
          },
          {
            role: "assistant",
            content: null,
            reasoning_content: "Look it up.",
            tool_calls: [
              { id: "a", type: "function", function: { name: "lookup", arguments: '{"q":"cat"}' } },
              { id: "b", type: "function", function: { name: "lookup", arguments: "not json" } },
            ],
          },
          { role: "tool", tool_call_id: "a", content: "a cat" },
          { role: "tool", tool_call_id: "b", content: [{ type: "text", text: "also a cat" }] },
        ],
      }),
    );
    expect(options.prompt).toEqual([
      { role: "system", content: "Be brief." },
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "file", mediaType: "image/png", data: pngBase64 },
          {
            type: "file",
            mediaType: "image/gif",
            data: "R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==",
          },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "Look it up." },
          { type: "tool-call", toolCallId: "a", toolName: "lookup", input: { q: "cat" } },
          { type: "tool-call", toolCallId: "b", toolName: "lookup", input: "not json" },
        ],
      },
      {
        role: "tool",
        content: [
          { type: "tool-result", toolCallId: "a", toolName: "lookup", output: { type: "text", value: "a cat" } },
          { type: "tool-result", toolCallId: "b", toolName: "lookup", output: { type: "text", value: "also a cat" } },
        ],
      },
    ]);
  });

  it("maps sampling, tools, tool choice, response format and output allowance", () => {
    const options = chatRequestToCallOptions(
      parse({
        max_tokens: 100,
        max_completion_tokens: 50,
        temperature: 0.5,
        top_p: 0.9,
        frequency_penalty: 0.1,
        presence_penalty: -0.1,
        stop: "END",
        seed: 3,
        tools: [{ type: "function", function: { name: "noop" } }],
        tool_choice: "required",
        response_format: { type: "json_schema", json_schema: { name: "answer", schema: { type: "object" } } },
        thinking: { type: "disabled" },
      }),
    );
    expect(options).toMatchObject({
      maxOutputTokens: 50,
      temperature: 0.5,
      topP: 0.9,
      frequencyPenalty: 0.1,
      presencePenalty: -0.1,
      stopSequences: ["END"],
      seed: 3,
      tools: [{ type: "function", name: "noop", inputSchema: { type: "object", properties: {} } }],
      toolChoice: { type: "required" },
      responseFormat: { type: "json", name: "answer", schema: { type: "object" } },
      providerOptions: { tansuo: { thinking: "disabled" } },
    });
  });

  it("refuses a tool result that answers no earlier call", () => {
    const request = parse({ messages: [{ role: "tool", tool_call_id: "ghost", content: "?" }] });
    expect(() => chatRequestToCallOptions(request)).toThrow(InvalidRequestError);
  });
});

describe("image parts", () => {
  const translate = (url: string) => {
    try {
      chatRequestToCallOptions(
        parse({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url } }] }] }),
      );
      return undefined;
    } catch (error) {
      return error as InvalidRequestError;
    }
  };

  it("refuses http(s) URLs, data URLs that are not images by content, and other schemes, naming the part", () => {
    expect(translate("https://example.com/cat.png")).toMatchObject({
      status: 400,
      code: "unsupported_image_url",
      param: "messages[0].content[0].image_url.url",
    });
    expect(translate("https://example.com/cat.png")?.message).toContain("only as base64 data URLs");
    const text = Buffer.from("not a picture").toString("base64");
    expect(translate(`data:image/png;base64,${text}`)).toMatchObject({ status: 400, code: "invalid_image" });
    expect(translate(`data:image/png;base64,${text}`)?.message).toContain("is not an image Tansuo can send");
    expect(translate("file:///etc/passwd")).toMatchObject({ code: "unsupported_image_url" });
  });
});

describe("reading the body", () => {
  const read = (text: string) => {
    try {
      readJsonBody(text, chatCompletionRequestSchema);
      return undefined;
    } catch (error) {
      return error as InvalidRequestError;
    }
  };

  it("names the failing field, however deep", () => {
    expect(read('{"messages": []}')).toMatchObject({ param: "model", code: "missing_required_parameter" });
    expect(read('{"model": "m", "messages": [{"role": "robot", "content": "x"}]}')).toMatchObject({
      param: "messages[0].role",
    });
    expect(
      read('{"model": "m", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]}'),
    ).toMatchObject({ param: "messages[0].content[0].image_url.url" });
    expect(read('{"model": "m", "messages": [{"role": "user", "content": "x"}], "n": 2}')?.message).toContain(
      "only 1 choice",
    );
  });

  it("ignores fields it does not use", () => {
    expect(
      read('{"model": "m", "messages": [{"role": "user", "content": "x"}], "user": "u1", "store": false}'),
    ).toBeUndefined();
  });
});
