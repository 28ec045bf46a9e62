import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { afterEach, describe, expect, it } from "vitest";
import { tinyPng } from "../support/tiny-images.ts";
import { type GatewayFixture, startGatewayFixture } from "./support/gateway-fixture.ts";

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const picture = tinyPng(2, 1, [200, 100, 0]);
const pictureUrl = `data:image/png;base64,${picture.toString("base64")}`;

/** The gateway over a fake OpenAI-format upstream that serves a vision model (config) and deepseek-v4-flash (text). */
const startWithVisionModel = () =>
  startGatewayFixture({
    upstream: { script: [{ content: "An orange bar." }] },
    settings: (upstreamUrl) => ({
      models: [
        { id: "deepseek-v4-flash", baseUrl: upstreamUrl },
        {
          id: "deepseek-vl2",
          provider: "openai-compatible",
          upstreamModel: "deepseek-ai/deepseek-vl2",
          baseUrl: upstreamUrl,
          apiKeyEnv: "DEEPSEEK_API_KEY",
          contextWindow: 32768,
          maxOutputTokens: 4096,
          capabilities: { tools: true, vision: true },
        },
      ],
    }),
  });

const userMessageWithImage = (url: string): ChatCompletionMessageParam[] => [
  {
    role: "user",
    content: [
      { type: "text", text: "What is this?" },
      { type: "image_url", image_url: { url } },
    ],
  },
];

describe("image parts in /v1/chat/completions", () => {
  it("forwards a data-URL image to a vision model as an image_url with the same bytes", async () => {
    fixture = await startWithVisionModel();
    const answer = await fixture.client().chat.completions.create({
      model: "deepseek-vl2",
      messages: userMessageWithImage(pictureUrl),
    });
    expect(answer.choices[0]?.message.content).toBe("An orange bar.");
    const body = fixture.upstream.requests[0]?.body as { model: string; messages: unknown[] };
    expect(body.model).toBe("deepseek-ai/deepseek-vl2");
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image_url", image_url: { url: pictureUrl } },
        ],
      },
    ]);
  });

  it("refuses an image for a model without vision with a 400 in OpenAI's format, before any upstream call", async () => {
    fixture = await startWithVisionModel();
    const error = await fixture
      .client()
      .chat.completions.create({ model: "deepseek-v4-flash", messages: userMessageWithImage(pictureUrl) })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, code: "model_not_vision", param: "messages" });
    expect((error as Error).message).toContain("`deepseek-v4-flash` has no vision");
    expect(fixture.upstream.requests).toHaveLength(0);
  });

  it("refuses http(s) image URLs and data URLs that are not images by content, with a 400 naming the part", async () => {
    fixture = await startWithVisionModel();
    const client = fixture.client();
    const send = (url: string) =>
      client.chat.completions
        .create({ model: "deepseek-vl2", messages: userMessageWithImage(url) })
        .catch((caught: unknown) => caught);
    expect(await send("https://example.com/cat.png")).toMatchObject({
      status: 400,
      code: "unsupported_image_url",
      param: "messages[0].content[1].image_url.url",
    });
    const text = `data:image/png;base64,${Buffer.from("a text file").toString("base64")}`;
    expect(await send(text)).toMatchObject({ status: 400, code: "invalid_image" });
    expect(fixture.upstream.requests).toHaveLength(0);
    // The refused requests gave their concurrency slots back: a good one still goes through.
    for (let attempt = 0; attempt < 3; attempt += 1) await send("https://example.com/cat.png");
    const answer = await client.chat.completions.create({
      model: "deepseek-vl2",
      messages: userMessageWithImage(pictureUrl),
    });
    expect(answer.choices[0]?.message.content).toBe("An orange bar.");
  });
});
