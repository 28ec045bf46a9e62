import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { invokeTool } from "../../../src/tools/invoke-tool.ts";
import { defaultToolPolicy } from "../../../src/tools/tool.ts";
import { ToolRegistry } from "../../../src/tools/tool-registry.ts";
import { defaultWebPolicy, type SearchBackendSettings } from "../../../src/tools/web/web-policy.ts";
import { createWebSearchTool } from "../../../src/tools/web/web-search.ts";
import { Workspace } from "../../../src/tools/workspace.ts";
import { type LocalWebServer, startLocalWebServer } from "./local-web-server.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

async function fakeService(status: number, answer: unknown): Promise<LocalWebServer & { received: Received[] }> {
  const received: Received[] = [];
  const service = await startLocalWebServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, body });
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(answer));
    });
  });
  cleanups.push(() => service.close());
  return { ...service, received };
}

async function search(input: unknown, settings: SearchBackendSettings | undefined, secrets: string[] = []) {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-search-"));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  const warnings: string[] = [];
  const outcome = await invokeTool(createWebSearchTool({ requireApproval: true }), JSON.stringify(input), {
    workspace: new Workspace(folder),
    signal: new AbortController().signal,
    // allowHosts stays empty: the search service is the user's own address, so 127.0.0.1 is not refused.
    policy: { ...defaultToolPolicy(), secrets, web: { ...defaultWebPolicy(), search: settings } },
    warn: (message) => warnings.push(message),
  });
  return { ...outcome, warnings };
}

describe("web_search", () => {
  it("asks a self-hosted SearXNG for JSON and lists title, URL and snippet", async () => {
    const searxng = await fakeService(200, {
      query: "arctic fox",
      results: [
        {
          title: "Arctic fox - Wikipedia",
          url: "https://en.wikipedia.org/wiki/Arctic_fox",
          content: "The arctic fox\n is a small fox.",
        },
        { title: "Arctic fox facts", url: "https://example.org/fox", content: "" },
        { title: "Third", url: "https://example.org/3", content: "third result" },
      ],
    });
    const outcome = await search({ query: "arctic fox", count: 2 }, { provider: "searxng", url: `${searxng.url}/` });
    expect(outcome).toMatchObject({ isError: false, warnings: [] });
    expect(outcome.output).toBe(
      'Results for "arctic fox":\n' +
        "1. Arctic fox - Wikipedia\n   https://en.wikipedia.org/wiki/Arctic_fox\n   The arctic fox is a small fox.\n" +
        "2. Arctic fox facts\n   https://example.org/fox",
    );
    expect(searxng.received).toMatchObject([{ method: "GET", url: "/search?q=arctic+fox&format=json" }]);
  });

  it("sends Brave its key in X-Subscription-Token and Tavily its key as a bearer token", async () => {
    vi.stubEnv("BRAVE_SEARCH_KEY_FOR_TEST", "brave-key-0123456789abcdef");
    vi.stubEnv("TAVILY_SEARCH_KEY_FOR_TEST", "tvly-key-0123456789abcdef");
    const brave = await fakeService(200, {
      web: { results: [{ title: "Brave hit", url: "https://brave.example/1", description: "from brave" }] },
    });
    const tavily = await fakeService(200, {
      results: [{ title: "Tavily hit", url: "https://tavily.example/1", content: "from tavily" }],
    });
    const braveOutcome = await search(
      { query: "fox" },
      { provider: "brave", apiKeyEnv: "BRAVE_SEARCH_KEY_FOR_TEST", url: `${brave.url}/res/v1/web/search` },
    );
    expect(braveOutcome.output).toBe('Results for "fox":\n1. Brave hit\n   https://brave.example/1\n   from brave');
    expect(brave.received[0]).toMatchObject({ url: "/res/v1/web/search?q=fox&count=8" });
    expect(brave.received[0]!.headers["x-subscription-token"]).toBe("brave-key-0123456789abcdef");
    const tavilyOutcome = await search(
      { query: "fox", count: 3 },
      { provider: "tavily", apiKeyEnv: "TAVILY_SEARCH_KEY_FOR_TEST", url: `${tavily.url}/search` },
    );
    expect(tavilyOutcome.output).toBe('Results for "fox":\n1. Tavily hit\n   https://tavily.example/1\n   from tavily');
    expect(tavily.received[0]).toMatchObject({ method: "POST", body: '{"query":"fox","max_results":3}' });
    expect(tavily.received[0]!.headers.authorization).toBe("Bearer tvly-key-0123456789abcdef");
  });

  it("names a missing key variable, and a failing service's answer never shows the key", async () => {
    const missing = await search({ query: "fox" }, { provider: "brave", apiKeyEnv: "NO_SUCH_SEARCH_KEY_VARIABLE" });
    expect(missing.isError).toBe(true);
    expect(missing.output).toContain("Brave search needs an API key in NO_SUCH_SEARCH_KEY_VARIABLE");
    const key = "brave-key-echoed-9876543210";
    vi.stubEnv("BRAVE_SEARCH_KEY_FOR_TEST", key);
    const echoing = await fakeService(401, { error: `invalid token ${key}` });
    const refused = await search(
      { query: "fox" },
      { provider: "brave", apiKeyEnv: "BRAVE_SEARCH_KEY_FOR_TEST", url: `${echoing.url}/` },
      [key],
    );
    expect(refused.isError).toBe(true);
    expect(refused.output).toContain("Brave answered HTTP 401");
    expect(refused.output).not.toContain(key);
  });

  it("with no backend configured is not offered, and a call says so to the model and warns the user", async () => {
    expect(new ToolRegistry([], { web: defaultWebPolicy() }).names).not.toContain("web_search");
    expect(() => new ToolRegistry().select(["web_search"])).toThrow(
      /Unknown tool\(s\): web_search\..*web_search is offered only with a search backend: set web\.search/,
    );
    const searxng = { ...defaultWebPolicy(), search: { provider: "searxng" as const, url: "http://127.0.0.1:1" } };
    expect(new ToolRegistry([], { web: searxng }).names).toContain("web_search");
    // A user tool may not take the name, offered or not.
    const ownSearch = createWebSearchTool({ requireApproval: false });
    expect(() => new ToolRegistry([ownSearch])).toThrow(/"web_search" has the name of a built-in tool/);
    const outcome = await search({ query: "fox" }, undefined);
    expect(outcome.isError).toBe(true);
    expect(outcome.output).toContain("web_search has no search backend configured, so no search was made");
    expect(outcome.warnings).toEqual([
      "web_search has no search backend: set web.search in $TANSUO_HOME/config.json (e.g. SearXNG).",
    ]);
  });

  it("reports a service that does not answer, with its address", async () => {
    const closed = await startLocalWebServer(() => {});
    await closed.close();
    const outcome = await search({ query: "fox" }, { provider: "searxng", url: closed.url });
    expect(outcome.isError).toBe(true);
    expect(outcome.output).toContain(`SearXNG at ${closed.url} did not answer (`);
  });
});
