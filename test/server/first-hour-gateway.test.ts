import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type FixtureOptions,
  type GatewayFixture,
  startGatewayFixture,
  upstreamApiKey,
} from "./support/gateway-fixture.ts";

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const usage = { promptTokens: 20, completionTokens: 5 };
const hello = [{ role: "user" as const, content: "Say hello." }];

async function start(options: FixtureOptions = {}): Promise<GatewayFixture> {
  fixture = await startGatewayFixture(options);
  return fixture;
}

describe("the gateway for a client's first requests", () => {
  it("lists only the models it can call: no model of a provider without a key, no missing .gguf", async () => {
    const missingGguf = path.join("/nonexistent-folder", "model.gguf");
    const gateway = await start({
      settings: { agents: { helper: { instructions: "Help.", model: "deepseek-v4-flash" } } },
      gateway: { extraModels: [missingGguf] },
    });
    const ids = (await gateway.client().models.list()).data.map((model) => model.id);
    expect(ids).toContain("deepseek-v4-flash");
    expect(ids).toContain("agent:helper");
    // The fixture's gateway has a DeepSeek key only: OpenAI's and Anthropic's models cannot be called here.
    expect(ids).not.toContain("gpt-5-mini");
    expect(ids.filter((id) => id.startsWith("claude"))).toEqual([]);
    expect(ids).not.toContain(missingGguf);
    expect(gateway.upstream.requests).toHaveLength(0);
  });

  it("refuses an agent whose workspace is a file with a 400 invalid_workspace and creates no run", async () => {
    const gateway = await start({
      settings: (upstreamUrl) => {
        const file = path.join(path.dirname(new URL(import.meta.url).pathname), "first-hour-gateway.test.ts");
        return {
          models: [{ id: "deepseek-v4-flash", baseUrl: upstreamUrl }],
          agents: { filer: { instructions: "Help.", model: "deepseek-v4-flash", workspace: file } },
        };
      },
    });
    const answer = await fetch(`${gateway.server.url}/v1/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ agent: "filer", task: "List the files." }),
    });
    expect(answer.status).toBe(400);
    const error = ((await answer.json()) as { error: Record<string, string> }).error;
    expect(error).toMatchObject({ type: "invalid_request_error", code: "invalid_workspace", param: "workspace" });
    expect(error.message).toMatch(/^Agent "filer" cannot run: Workspace .*first-hour-gateway\.test\.ts is a file/);
    expect(await gateway.store.listRuns({ limit: 10 })).toEqual([]);
    expect(gateway.upstream.requests).toHaveLength(0);
  });

  it("maps reasoning_effort from the official OpenAI client to thinking on models that have it", async () => {
    const gateway = await start({
      upstream: { fallback: () => ({ content: "Hello.", usage }) },
      resolveOptions: { providers: { "openai-compatible": { apiKey: upstreamApiKey } } },
      settings: (upstreamUrl) => ({
        models: [
          { id: "deepseek-v4-flash", baseUrl: upstreamUrl },
          { id: "qwen-max", baseUrl: upstreamUrl },
        ],
      }),
    });
    const client = gateway.client();
    const sent = async (model: string, effort?: "none" | "minimal" | "low" | "medium" | "high") => {
      await client.chat.completions.create({
        model,
        messages: hello,
        ...(effort ? { reasoning_effort: effort } : {}),
      } as Parameters<typeof client.chat.completions.create>[0]);
      const body = gateway.upstream.requests.at(-1)?.body as Record<string, unknown>;
      return body.thinking;
    };
    expect(await sent("deepseek-v4-flash", "high")).toEqual({ type: "enabled" });
    expect(await sent("deepseek-v4-flash", "low")).toEqual({ type: "enabled" });
    expect(await sent("deepseek-v4-flash", "minimal")).toEqual({ type: "disabled" });
    expect(await sent("deepseek-v4-flash", "none")).toEqual({ type: "disabled" });
    // Without the field the model's own default stays; a model without thinking gets no switch at all.
    expect(await sent("deepseek-v4-flash")).toBeUndefined();
    expect(await sent("qwen-max", "high")).toBeUndefined();
    expect(gateway.upstream.requests).toHaveLength(6);
  });
});
