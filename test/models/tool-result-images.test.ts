import type { LanguageModelV3Prompt } from "@ai-sdk/provider";
import { afterEach, describe, expect, it } from "vitest";
import { Catalog } from "../../src/models/catalog.ts";
import { resolveModel } from "../../src/models/resolve-model.ts";
import { type DeepSeekServer, startDeepSeekServer } from "../support/deepseek-server/index.ts";
import { tinyPng } from "../support/tiny-images.ts";

const apiKey = "sk-openai-format-test-0001";
const servers: DeepSeekServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const png = tinyPng(1, 2, [1, 2, 3]);
const dataUrl = `data:image/png;base64,${png.toString("base64")}`;

/** A conversation whose tool returned text and an image, as History builds it for a vision model. */
const prompt: LanguageModelV3Prompt = [
  { role: "user", content: [{ type: "text", text: "Look at shot.png" }] },
  {
    role: "assistant",
    content: [{ type: "tool-call", toolCallId: "call_1", toolName: "read_file", input: { path: "shot.png" } }],
  },
  {
    role: "tool",
    content: [
      {
        type: "tool-result",
        toolCallId: "call_1",
        toolName: "read_file",
        output: {
          type: "content",
          value: [
            { type: "text", text: '"shot.png": PNG image, 1×2' },
            { type: "image-data", data: png.toString("base64"), mediaType: "image/png" },
          ],
        },
      },
    ],
  },
];

async function call(modelId: string, env: Record<string, string>) {
  const server = await startDeepSeekServer({ apiKey, script: [{ content: "A dark pixel pair." }] });
  servers.push(server);
  const resolved = await resolveModel(modelId, {
    catalog: Catalog.builtIn(),
    env,
    modelsDirectory: "/nonexistent",
    baseUrl: modelId === "gpt-4o" ? `${server.url}/v1` : server.url,
    retryPolicy: { maxRetries: 0, initialDelayMilliseconds: 0, maxDelayMilliseconds: 0 },
  });
  await resolved.model.doGenerate({ prompt });
  return (server.requests[0]!.body as { messages: unknown[] }).messages.slice(-2);
}

const expectedTail = [
  { role: "tool", tool_call_id: "call_1", content: '"shot.png": PNG image, 1×2' },
  {
    role: "user",
    content: [
      { type: "text", text: "Images returned by the tool calls above:" },
      { type: "image_url", image_url: { url: dataUrl } },
    ],
  },
];

describe("a tool result with an image on chat-completions wires", () => {
  it("our DeepSeek/OpenAI-format provider sends the text in the tool message and the image as a data URL after it", async () => {
    expect(await call("deepseek-chat", { DEEPSEEK_API_KEY: apiKey })).toEqual(expectedTail);
  });

  it("the AI SDK's OpenAI chat model does the same, instead of sending the base64 as JSON text", async () => {
    const tail = await call("gpt-4o", { OPENAI_API_KEY: apiKey });
    expect(tail[0]).toEqual(expectedTail[0]);
    expect(tail[1]).toMatchObject({ role: "user", content: [{ type: "text" }, { type: "image_url" }] });
    expect(JSON.stringify(tail[1])).toContain(dataUrl);
  });
});
