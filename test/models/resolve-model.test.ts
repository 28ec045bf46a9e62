import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Catalog } from "../../src/models/catalog.ts";
import { findEntry, resolveModel } from "../../src/models/resolve-model.ts";

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A server that records the Authorization header it receives and answers a minimal completion. */
async function captureServer() {
  const authorizations: (string | undefined)[] = [];
  const server = createServer((request, response) => {
    authorizations.push(request.headers.authorization);
    request.resume();
    request.on("end", () => {
      response.setHeader("content-type", "application/json");
      response.end(
        JSON.stringify({
          choices: [{ message: { content: "ok" }, finish_reason: "stop" }],
          usage: { prompt_tokens: 1, completion_tokens: 1 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, authorizations };
}

const ask = { prompt: [{ role: "user" as const, content: [{ type: "text" as const, text: "hi" }] }] };

describe("resolveModel sends each key only where it belongs", () => {
  it("an ad-hoc openai-compatible/<model> gets no catalog host or key", async () => {
    const server = await captureServer();
    const resolved = await resolveModel("openai-compatible/qwen2.5-coder", {
      catalog: Catalog.builtIn(),
      env: { DASHSCOPE_API_KEY: "sk-dashscope-SECRET", OPENAI_API_KEY: "sk-openai-SECRET" },
      modelsDirectory: "/nonexistent",
      baseUrl: server.url,
    });
    await resolved.model.doGenerate(ask);
    expect(server.authorizations).toEqual([undefined]);
  });

  it("OPENAI_BASE_URL moves OpenAI and ad-hoc servers, never DashScope or Ark models", async () => {
    const server = await captureServer();
    const env = { OPENAI_BASE_URL: server.url, DASHSCOPE_API_KEY: "sk-dashscope-SECRET" };
    const qwen = findEntry(Catalog.builtIn(), "qwen-plus");
    expect(qwen.baseUrl).toMatch(/dashscope/);
    const adHoc = await resolveModel("openai-compatible/local", {
      catalog: Catalog.builtIn(),
      env,
      modelsDirectory: "/x",
    });
    await adHoc.model.doGenerate(ask);
    expect(server.authorizations).toHaveLength(1);
    // qwen-plus keeps its own host: the request never reaches the local server.
    const resolved = await resolveModel("qwen-plus", {
      catalog: Catalog.builtIn(),
      env,
      modelsDirectory: "/x",
      retryPolicy: { maxRetries: 0, initialDelayMilliseconds: 1, maxDelayMilliseconds: 1 },
    });
    await Promise.resolve(resolved.model.doGenerate({ ...ask, abortSignal: AbortSignal.timeout(200) })).catch(
      () => undefined,
    );
    expect(server.authorizations).toHaveLength(1);
  });

  it("an unknown model under a budget-less catalog entry is named clearly", async () => {
    await expect(resolveModel("nope", { catalog: Catalog.builtIn(), env: {}, modelsDirectory: "/x" })).rejects.toThrow(
      /Unknown model "nope"/,
    );
  });
});
