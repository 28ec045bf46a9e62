import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { type FixtureOptions, type GatewayFixture, startGatewayFixture } from "./support/gateway-fixture.ts";
import { inMemoryGateway } from "./support/in-memory-gateway.ts";
import { rawRequest } from "./support/raw-http.ts";

let fixture: GatewayFixture | undefined;
let workspace: string | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
  if (workspace) rmSync(workspace, { recursive: true, force: true });
  workspace = undefined;
});

const trustedOrigin = "https://app.example.com";

/** A keyless gateway with an auto-approving agent whose first step runs a command that leaves a marker file. */
async function startWithShellAgent(options: FixtureOptions = {}): Promise<{ fixture: GatewayFixture; marker: string }> {
  workspace = mkdtempSync(path.join(tmpdir(), "tansuo-browser-guard-"));
  const marker = path.join(workspace, "pwned.txt");
  fixture = await startGatewayFixture({
    upstream: {
      script: [
        { toolCalls: [{ name: "run_command", arguments: { command: "echo pwned > pwned.txt" } }] },
        { content: "done" },
      ],
    },
    ...options,
    settings: {
      agents: {
        ops: {
          instructions: "Run what is asked.",
          model: "deepseek-v4-flash",
          tools: ["run_command"],
          approval: "auto",
          workspace,
        },
      },
      ...options.settings,
    },
  });
  return { fixture, marker };
}

const runBody = JSON.stringify({ agent: "ops", task: "run it" });
// biome-ignore lint/suspicious/noExplicitAny: API JSON is walked freely in assertions.
type Json = Record<string, any>;

describe("the gateway refuses what a foreign web page sends", () => {
  it("reproduction 4: a cross-origin text/plain POST with a foreign Origin and Host starts no run", async () => {
    const { fixture, marker } = await startWithShellAgent();
    const attempts = [
      // A DNS-rebinding page: its own name in Host and Origin, a body a form could send.
      { host: "evil.example:80", origin: "http://evil.example", "content-type": "text/plain;charset=UTF-8" },
      // A page on another site calling the gateway's real address.
      { host: `127.0.0.1:${fixture.server.port}`, origin: "https://evil.example", "content-type": "text/plain" },
      { host: `127.0.0.1:${fixture.server.port}`, origin: "https://evil.example", "content-type": "application/json" },
    ];
    const answers = [];
    for (const headers of attempts) {
      answers.push(await rawRequest(fixture.server.url, { method: "POST", path: "/v1/runs", headers, body: runBody }));
    }
    expect(answers.map((answer) => answer.status)).toEqual([421, 403, 403]);
    expect((answers[0]!.json as Json).error).toMatchObject({ type: "invalid_request_error", code: "host_not_allowed" });
    expect((answers[0]!.json as Json).error.message).toContain("server.allowedHosts");
    expect((answers[1]!.json as Json).error).toMatchObject({ code: "origin_not_allowed", param: "Origin" });
    expect((answers[1]!.json as Json).error.message).toContain("server.allowedOrigins");
    await fixture.server.gateway.agents?.settled();
    expect(await fixture.store.listRuns({ limit: 10 })).toEqual([]);
    expect(fixture.upstream.requests).toHaveLength(0);
    expect(existsSync(marker)).toBe(false);
  });

  it("refuses a text/plain body from a page with no Origin, and a cross-site fetch that hides its origin", async () => {
    const { fixture, marker } = await startWithShellAgent();
    const host = `127.0.0.1:${fixture.server.port}`;
    const plain = await rawRequest(fixture.server.url, {
      method: "POST",
      path: "/v1/runs",
      headers: { host, "content-type": "text/plain" },
      body: runBody,
    });
    expect(plain.status).toBe(415);
    expect((plain.json as Json).error).toMatchObject({ code: "unsupported_media_type", param: "Content-Type" });
    const crossSite = await rawRequest(fixture.server.url, {
      path: "/v1/usage",
      headers: { host, "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
    expect((crossSite.json as Json).error.code).toBe("origin_not_allowed");
    expect(await fixture.store.listRuns({ limit: 10 })).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });

  it("checks Host on every route, /health included: the bound address and localhost with the port, nothing else", async () => {
    fixture = await startGatewayFixture();
    const port = fixture.server.port;
    const statusFor = async (host: string) =>
      (await rawRequest(fixture!.server.url, { path: "/health", headers: { host } })).status;
    expect(await statusFor(`127.0.0.1:${port}`)).toBe(200);
    expect(await statusFor(`localhost:${port}`)).toBe(200);
    expect(await statusFor(`LOCALHOST:${port}`)).toBe(200);
    expect(await statusFor(`evil.example:${port}`)).toBe(421);
    expect(await statusFor("127.0.0.1")).toBe(421);
    expect(await statusFor(`127.0.0.1:${port + 1}`)).toBe(421);
    expect(await statusFor(`localhost.evil.example:${port}`)).toBe(421);
    const refused = await rawRequest(fixture.server.url, { path: "/v1/models", headers: { host: "evil.example" } });
    expect((refused.json as Json).error.message).toContain(`127.0.0.1:${port}`);
  });

  it("takes a name configured in server.allowedHosts, with or without a port", async () => {
    fixture = await startGatewayFixture({
      settings: { server: { allowedHosts: ["gateway.internal", "box.lan:9999"], allowedOrigins: [] } },
    });
    const statusFor = async (host: string) =>
      (await rawRequest(fixture!.server.url, { path: "/health", headers: { host } })).status;
    expect(await statusFor("gateway.internal")).toBe(200);
    expect(await statusFor("gateway.internal:443")).toBe(200);
    expect(await statusFor("box.lan:9999")).toBe(200);
    expect(await statusFor("box.lan:9998")).toBe(421);
    expect(await statusFor("other.internal")).toBe(421);
  });

  it("answers a configured origin with CORS: the preflight, then the run, with Access-Control headers", async () => {
    const { fixture, marker } = await startWithShellAgent({
      settings: { server: { allowedOrigins: [`${trustedOrigin}/`], allowedHosts: [] } },
    });
    const host = `127.0.0.1:${fixture.server.port}`;
    const preflight = await rawRequest(fixture.server.url, {
      method: "OPTIONS",
      path: "/v1/runs",
      headers: {
        host,
        origin: trustedOrigin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type, x-stainless-os",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe(trustedOrigin);
    expect(preflight.headers["access-control-allow-methods"]).toContain("POST");
    const allowedHeaders = String(preflight.headers["access-control-allow-headers"]).split(/,\s*/);
    expect(allowedHeaders).toEqual(expect.arrayContaining(["authorization", "content-type", "x-stainless-os"]));
    expect(preflight.headers.vary).toContain("Origin");

    const started = await rawRequest(fixture.server.url, {
      method: "POST",
      path: "/v1/runs",
      headers: { host, origin: trustedOrigin, "content-type": "application/json" },
      body: runBody,
    });
    expect(started.status).toBe(201);
    expect(started.headers["access-control-allow-origin"]).toBe(trustedOrigin);
    expect(started.headers.vary).toContain("Origin");
    await fixture.server.gateway.agents?.settled();
    // The same request the refusals above stopped does run once its origin is configured.
    expect(existsSync(marker)).toBe(true);

    const refused = await rawRequest(fixture.server.url, {
      method: "OPTIONS",
      path: "/v1/runs",
      headers: { host, origin: "https://app.example.com.evil.example", "access-control-request-method": "POST" },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("gives the official OpenAI client a 403 it can read when a page from another origin is behind it", async () => {
    fixture = await startGatewayFixture();
    const client = new OpenAI({
      baseURL: `${fixture.server.url}/v1`,
      apiKey: "local",
      maxRetries: 0,
      defaultHeaders: { origin: "https://evil.example" },
    });
    const failure = await client.models.list().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((failure as InstanceType<typeof OpenAI.PermissionDeniedError>).code).toBe("origin_not_allowed");
    // Its own origin (a same-origin request) passes.
    const own = await rawRequest(fixture.server.url, {
      path: "/v1/models",
      headers: { host: `127.0.0.1:${fixture.server.port}`, origin: `http://127.0.0.1:${fixture.server.port}` },
    });
    expect(own.status).toBe(200);
  });

  it("in memory, where no port is bound, takes loopback names and still refuses other hosts and origins", async () => {
    const { gateway } = inMemoryGateway();
    expect((await gateway.app.request("/health")).status).toBe(200);
    expect((await gateway.app.request("http://127.0.0.1:1234/health")).status).toBe(200);
    expect((await gateway.app.request("http://evil.example/health")).status).toBe(421);
    const foreign = await gateway.app.request("/v1/models", { headers: { origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
  });
});
