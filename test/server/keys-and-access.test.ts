import { describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/config/settings-schema.ts";
import { Catalog } from "../../src/models/catalog.ts";
import {
  createGateway,
  hashApiKey,
  isLoopbackHost,
  issueApiKey,
  startServer,
  UnprotectedBindError,
} from "../../src/server/index.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { bearer, chatBody, inMemoryGateway } from "./support/in-memory-gateway.ts";

describe("API keys", () => {
  it("are tsk_ and 32 random bytes, shown once; the store keeps only a hash and a short prefix", async () => {
    const store = new SqliteStore(":memory:");
    const issued = await issueApiKey(store, { name: "app", budgetUsd: "5", requestsPerMinute: 60, concurrency: 4 });
    expect(issued.key).toMatch(/^tsk_[A-Za-z0-9_-]{43}$/);
    const [stored] = await store.listApiKeys();
    expect(stored).toMatchObject({ name: "app", budgetUsd: "5", requestsPerMinute: 60, concurrency: 4 });
    expect(stored?.hash).toBe(hashApiKey(issued.key));
    expect(issued.key.startsWith(stored!.prefix)).toBe(true);
    expect(stored!.prefix.length).toBeLessThan(16);
    expect(JSON.stringify(await store.listApiKeys())).not.toContain(issued.key);
    store.close();
  });
});

describe("who may call", () => {
  it("lets anyone in on a loopback bind while no key exists, and meters them with no key id", async () => {
    const { gateway, store } = inMemoryGateway();
    const response = await gateway.app.request("/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer anything" },
      body: chatBody(),
    });
    expect(response.status).toBe(200);
    expect((await store.usageRows())[0]?.keyId).toBeUndefined();
  });

  it("requires a key on a non-loopback bind even with no key (the server refuses to start that way anyway)", async () => {
    const { gateway } = inMemoryGateway({ bindHost: "0.0.0.0" });
    const response = await gateway.app.request("/v1/models");
    expect(response.status).toBe(401);
  });

  it("requires a valid, unrevoked key once one exists; health needs none", async () => {
    const { gateway, store } = inMemoryGateway();
    const issued = await issueApiKey(store, { name: "app" });
    expect((await gateway.app.request("/health")).status).toBe(200);
    expect((await gateway.app.request("/v1/models")).status).toBe(401);
    expect((await gateway.app.request("/v1/models", { headers: bearer("tsk_wrong") })).status).toBe(401);
    expect((await gateway.app.request("/v1/models", { headers: bearer(issued.key) })).status).toBe(200);

    await issueApiKey(store, { name: "other" });
    expect(await store.revokeApiKey(issued.record.prefix)).toBe(true);
    const revoked = await gateway.app.request("/v1/models", { headers: bearer(issued.key) });
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ error: { code: "revoked_api_key" } });
  });

  it("keeps each key's usage to itself", async () => {
    const { gateway, store } = inMemoryGateway();
    const alice = await issueApiKey(store, { name: "alice" });
    const bob = await issueApiKey(store, { name: "bob", budgetUsd: "1" });
    for (const key of [alice.key, alice.key, bob.key]) {
      const response = await gateway.app.request("/v1/chat/completions", {
        method: "POST",
        headers: bearer(key),
        body: chatBody(),
      });
      expect(response.status).toBe(200);
    }
    const aliceUsage = (await (await gateway.app.request("/v1/usage", { headers: bearer(alice.key) })).json()) as {
      data: { key_id: string; requests: number; model: string; day: string; prompt_tokens: number; cost_usd: string }[];
      total_cost_usd: string;
      key: { id: string; spent_usd: string };
    };
    expect(aliceUsage.data).toHaveLength(1);
    expect(aliceUsage.data[0]).toMatchObject({
      key_id: alice.record.id,
      requests: 2,
      model: "deepseek-v4-flash",
      prompt_tokens: 200,
    });
    expect(aliceUsage.data[0]?.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // 100 miss tokens at 0.14 + 10 output tokens at 0.28, per million, twice.
    expect(aliceUsage.total_cost_usd).toBe("0.0000336");
    expect(aliceUsage.key).toMatchObject({ id: alice.record.id, spent_usd: "0.0000336" });
    const bobUsage = (await (await gateway.app.request("/v1/usage", { headers: bearer(bob.key) })).json()) as {
      data: { key_id: string; requests: number }[];
      key: { budget_usd: string };
    };
    expect(bobUsage.data).toEqual([expect.objectContaining({ key_id: bob.record.id, requests: 1 })]);
    expect(bobUsage.key.budget_usd).toBe("1");
  });
});

describe("binding", () => {
  it("knows loopback addresses", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"]) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "example.com"]) expect(isLoopbackHost(host)).toBe(false);
  });

  it("refuses to listen beyond loopback with no key, saying how to create one", async () => {
    const store = new SqliteStore(":memory:");
    const options = {
      store,
      settings: settingsSchema.parse({}),
      catalog: Catalog.builtIn(),
      resolveModel: async () => {
        throw new Error("not used");
      },
      host: "0.0.0.0",
      port: 0,
    };
    const refused = await startServer(options).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(UnprotectedBindError);
    expect((refused as Error).message).toContain("tansuo keys create");
    store.close();
  });

  it("starts on loopback and answers health", async () => {
    const store = new SqliteStore(":memory:");
    const server = await startServer({
      store,
      settings: settingsSchema.parse({}),
      catalog: Catalog.builtIn(),
      resolveModel: async () => {
        throw new Error("not used");
      },
      port: 0,
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: "ok" });
    await server.close();
    store.close();
  });
});

describe("anything else", () => {
  it("refuses a chunked body past the limit while it streams in", async () => {
    const { gateway, calls } = inMemoryGateway({ bodyLimitBytes: 1024 });
    const chunk = new TextEncoder().encode("x".repeat(512));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 4; index++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await gateway.app.request("/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(calls.calls).toHaveLength(0);
  });

  it("answers a small chunked body like any other", async () => {
    const { gateway } = inMemoryGateway({ bodyLimitBytes: 1024 });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(chatBody()));
        controller.close();
      },
    });
    const response = await gateway.app.request("/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      choices: [{ message: { content: "Hello from the scripted model." } }],
    });
  });

  it("answers an unknown route with a 404 in OpenAI's shape", async () => {
    const { gateway } = inMemoryGateway();
    const response = await gateway.app.request("/v1/nothing-here");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "unknown_route", type: "not_found_error" } });
  });

  it("creates a gateway without listening", () => {
    const store = new SqliteStore(":memory:");
    const gateway = createGateway({
      store,
      settings: settingsSchema.parse({ agents: { helper: { instructions: "Help." } } }),
      catalog: Catalog.builtIn(),
      resolveModel: async () => {
        throw new Error("not used");
      },
    });
    const ids = gateway.context.models.list().map((model) => model.id);
    expect(ids).toContain("agent:helper");
    expect(ids).toContain("deepseek-v4-flash");
  });
});
