import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { invokeTool } from "../../../src/tools/invoke-tool.ts";
import { defaultToolPolicy } from "../../../src/tools/tool.ts";
import { createFetchUrlTool } from "../../../src/tools/web/fetch-url.ts";
import { htmlToMarkdown } from "../../../src/tools/web/html-to-markdown.ts";
import { defaultWebPolicy, type WebPolicy } from "../../../src/tools/web/web-policy.ts";
import { Workspace } from "../../../src/tools/workspace.ts";
import { type LocalWebServer, startLocalWebServer } from "./local-web-server.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const nestedTables = (count: number) =>
  `<html><head><title>Deep</title></head><body><p>TOP-TEXT</p>${"<table><tr><td>".repeat(count)}DEEP-TEXT</body></html>`;

/** The longest a 10 ms timer was late while `work` ran: a blocked event loop shows as a long delay. */
async function longestTimerDelay<T>(work: Promise<T>): Promise<{ value: T; longestDelay: number }> {
  let longestDelay = 0;
  let expected = Date.now() + 10;
  const timer = setInterval(() => {
    longestDelay = Math.max(longestDelay, Date.now() - expected);
    expected = Date.now() + 10;
  }, 10);
  try {
    return { value: await work, longestDelay };
  } finally {
    clearInterval(timer);
  }
}

describe("fetch_url on hostile pages", () => {
  it("gives a page of 20,000 nested tables as plain text with a note, quickly, with the event loop free", async () => {
    const site: LocalWebServer = await startLocalWebServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end(nestedTables(20_000));
    });
    cleanups.push(() => site.close());
    const folder = mkdtempSync(path.join(tmpdir(), "tansuo-web-"));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const started = Date.now();
    const { value: outcome, longestDelay } = await longestTimerDelay(
      invokeTool(createFetchUrlTool({ requireApproval: false }), JSON.stringify({ url: `${site.url}/deep` }), {
        workspace: new Workspace(folder),
        signal: new AbortController().signal,
        policy: { ...defaultToolPolicy(), web: { ...defaultWebPolicy(), allowHosts: ["127.0.0.1"] } },
        warn: () => {},
      }),
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(longestDelay).toBeLessThan(1_000);
    expect(outcome.isError).toBe(false);
    expect(outcome.output).toMatch(/was not turned into Markdown because its elements nest about 200\d\d deep/);
    expect(outcome.output).toContain("TOP-TEXT");
    expect(outcome.output).toContain("DEEP-TEXT");
  });

  it("ends a conversion that runs past its time limit and keeps the event loop free meanwhile", async () => {
    const limits = { maximumCharacters: 1_500_000, maximumDepth: 1_000_000, timeLimitMilliseconds: 500 };
    const started = Date.now();
    const { value: text, longestDelay } = await longestTimerDelay(
      htmlToMarkdown(nestedTables(3_000), new URL("http://example.test/"), undefined, limits),
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(longestDelay).toBeLessThan(300);
    expect(text).toMatch(/took longer than 0\.5 s|the converter failed on it/);
    expect(text).toContain("DEEP-TEXT");
  });

  it("gives a page larger than the cap as plain text, skipping scripts and styles", async () => {
    const limits = { maximumCharacters: 1_000, maximumDepth: 512, timeLimitMilliseconds: 5_000 };
    const html = `<html><head><style>.x{}</style><script>var HIDDEN=1</script></head><body><p>Fish &amp; chips</p>${"<p>more</p>".repeat(200)}</body></html>`;
    const text = await htmlToMarkdown(html, new URL("http://example.test/"), undefined, limits);
    expect(
      text.startsWith(`[This page was not turned into Markdown because the page is ${html.length} characters`),
    ).toBe(true);
    expect(text).toContain("Fish & chips");
    expect(text).not.toContain("HIDDEN");
    expect(text).not.toContain(".x{}");
  });
});

async function fetchFrom(
  handler: Parameters<typeof startLocalWebServer>[0],
  web: Partial<WebPolicy> = {},
): Promise<{ isError: boolean; output: string }> {
  const site = await startLocalWebServer(handler);
  cleanups.push(() => site.close());
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-web-"));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  return invokeTool(createFetchUrlTool({ requireApproval: false }), JSON.stringify({ url: `${site.url}/page` }), {
    workspace: new Workspace(folder),
    signal: new AbortController().signal,
    policy: { ...defaultToolPolicy(), web: { ...defaultWebPolicy(), allowHosts: ["127.0.0.1"], ...web } },
    warn: () => {},
  });
}

describe("fetch_url and Content-Encoding", () => {
  it("decodes a gzip page, and cuts a gzip bomb at the cap counted in decoded bytes", async () => {
    const page = await fetchFrom((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip" });
      response.end(gzipSync("Plain words, compressed."));
    });
    expect(page.isError).toBe(false);
    expect(page.output).toContain("Plain words, compressed.");
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, "a"));
    const cut = await fetchFrom(
      (_request, response) => {
        response.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip" });
        response.end(bomb);
      },
      { maximumBytes: 100_000 },
    );
    expect(cut.isError).toBe(false);
    expect(cut.output).toContain("[Only the first 100000 bytes were read; the rest of the page is left out.]");
  });

  it("refuses an encoding it cannot decode, and binary bytes sent without a type", async () => {
    const unknown = await fetchFrom((_request, response) => {
      response.writeHead(200, { "content-type": "text/html", "content-encoding": "zstd" });
      response.end("xx");
    });
    expect(unknown.isError).toBe(true);
    expect(unknown.output).toContain('was sent with Content-Encoding "zstd", which fetch_url cannot decode');
    const binary = await fetchFrom((_request, response) => {
      response.writeHead(200);
      response.end(Buffer.from(Array.from({ length: 2_000 }, (_, index) => 1 + (index % 250))));
    });
    expect(binary.isError).toBe(true);
    expect(binary.output).toContain("which it does not turn into text");
  });
});
