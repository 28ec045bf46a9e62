import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { invokeTool } from "../../../src/tools/invoke-tool.ts";
import { defaultToolPolicy } from "../../../src/tools/tool.ts";
import { createFetchUrlTool } from "../../../src/tools/web/fetch-url.ts";
import { pinnedGet } from "../../../src/tools/web/pinned-request.ts";
import { defaultWebPolicy, type WebPolicy } from "../../../src/tools/web/web-policy.ts";
import { Workspace } from "../../../src/tools/workspace.ts";
import { articlePage, type LocalWebServer, startLocalWebServer } from "./local-web-server.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function server(...args: Parameters<typeof startLocalWebServer>): Promise<LocalWebServer> {
  const started = await startLocalWebServer(...args);
  cleanups.push(() => started.close());
  return started;
}

const fetchUrl = createFetchUrlTool({ requireApproval: true });

async function fetchPage(url: string, web: Partial<WebPolicy> = {}, warnings: string[] = []) {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-web-"));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  return invokeTool(fetchUrl, JSON.stringify({ url }), {
    workspace: new Workspace(folder),
    signal: new AbortController().signal,
    policy: { ...defaultToolPolicy(), web: { ...defaultWebPolicy(), allowHosts: ["127.0.0.1"], ...web } },
    warn: (message) => warnings.push(message),
  });
}

describe("fetch_url", () => {
  it("turns an article page into Markdown without its navigation, ads and footer", async () => {
    const site = await server((_request, response) => {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(articlePage);
    });
    const outcome = await fetchPage(`${site.url}/foxes/north.html`);
    expect(outcome.isError).toBe(false);
    expect(outcome.output.startsWith(`URL: ${site.url}/foxes/north.html\nStatus: 200 · Content-Type: text/html`)).toBe(
      true,
    );
    expect(outcome.output).toContain("# Foxes of the north");
    expect(outcome.output).toContain("The arctic fox lives in the far north");
    expect(outcome.output).toContain("dozens of entrances");
    expect(outcome.output).toContain(`[more about its diet](${site.url}/foxes/diet)`);
    for (const noise of [
      "NAVIGATION-MENU-TEXT",
      "BUY-NOW-ADVERTISEMENT",
      "SIDEBAR-SPONSORED-ADVERT",
      "FOOTER-COPYRIGHT",
    ]) {
      expect(outcome.output).not.toContain(noise);
    }
  });

  it("returns JSON and plain text as they are, and refuses binary content with a note", async () => {
    const site = await server((request, response) => {
      if (request.url === "/data.json") {
        response.writeHead(200, { "content-type": "application/json" });
        response.end('{"answer":42}');
      } else {
        response.writeHead(200, { "content-type": "image/png" });
        response.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
      }
    });
    const json = await fetchPage(`${site.url}/data.json`);
    expect(json.output).toBe(
      `URL: ${site.url}/data.json\nStatus: 200 · Content-Type: application/json\n\n{"answer":42}`,
    );
    const image = await fetchPage(`${site.url}/picture.png`);
    expect(image.isError).toBe(true);
    expect(image.output).toContain(`${site.url}/picture.png is image/png (8 bytes read)`);
  });

  it("follows a redirect chain by hand and says where it started", async () => {
    const site = await server((request, response) => {
      const next: Record<string, string> = { "/a": "/b", "/b": "c", "/c": `${site.url}/final` };
      const location = next[request.url ?? ""];
      if (location) {
        response.writeHead(request.url === "/b" ? 307 : 302, { location });
        response.end();
      } else {
        response.writeHead(200, { "content-type": "text/plain" });
        response.end("arrived");
      }
    });
    const outcome = await fetchPage(`${site.url}/a`);
    expect(outcome.output).toBe(
      `URL: ${site.url}/final\nStatus: 200 · Content-Type: text/plain\n` +
        `Redirected from: ${site.url}/a → ${site.url}/b → ${site.url}/c\n\narrived`,
    );
    expect(site.hits).toEqual(["/a", "/b", "/c", "/final"]);
  });

  it("stops after 5 redirects", async () => {
    const site = await server((request, response) => {
      response.writeHead(302, { location: `/hop${Number((request.url ?? "/hop0").slice(4)) + 1}` });
      response.end();
    });
    const outcome = await fetchPage(`${site.url}/hop0`);
    expect(outcome.isError).toBe(true);
    expect(outcome.output).toContain(`fetch_url stopped after 5 redirects (from ${site.url}/hop0, last to /hop6)`);
    expect(site.hits).toEqual(["/hop0", "/hop1", "/hop2", "/hop3", "/hop4", "/hop5"]);
  });

  it("refuses a redirect to an address that is not allowed, before sending it anything", async () => {
    const inside = await server((_request, response) => response.end("internal secrets"), "127.0.0.2");
    const targets = [`${inside.url}/admin`, `http://[::1]:${inside.port}/`, "http://169.254.169.254/latest/meta-data/"];
    const site = await server((request, response) => {
      response.writeHead(302, { location: targets[Number((request.url ?? "/0").slice(1))] });
      response.end();
    });
    const reasons = [
      `127.0.0.2 is a loopback address, not a public one, so nothing was sent. The user can allow it by adding "127.0.0.2" to web.allowHosts`,
      `::1 is a loopback address`,
      `169.254.169.254 is a cloud metadata address`,
    ];
    for (const [index, reason] of reasons.entries()) {
      const outcome = await fetchPage(`${site.url}/${index}`);
      expect(outcome.isError).toBe(true);
      expect(outcome.output).toContain(reason);
    }
    expect(inside.hits).toEqual([]);
    expect(site.hits).toEqual(["/0", "/1", "/2"]);
  });

  it("refuses a loopback address that web.allowHosts does not list, and private and metadata ones outright", async () => {
    const site = await server((_request, response) => response.end("should not be read"));
    const outcome = await fetchPage(`${site.url}/`, { allowHosts: [] });
    expect(outcome).toEqual({
      isError: true,
      output:
        `fetch_url refused ${site.url}: 127.0.0.1 is a loopback address, not a public one, so nothing was sent. ` +
        `The user can allow it by adding "127.0.0.1" to web.allowHosts in $TANSUO_HOME/config.json.`,
    });
    const byName = await fetchPage(`http://localhost:${site.port}/`, { allowHosts: [] });
    expect(byName.output).toMatch(/refused http:\/\/localhost:\d+: localhost \((127\.0\.0\.1|::1)\) is a loopback/);
    expect((await fetchPage("http://10.0.0.1/", { allowHosts: [] })).output).toContain("10.0.0.1 is a private address");
    expect((await fetchPage("http://[::ffff:169.254.169.254]/")).output).toContain("is a cloud metadata address");
    expect(site.hits).toEqual([]);
  });

  it("refuses other schemes and URLs with credentials", async () => {
    const file = await fetchPage("file:///etc/passwd");
    expect(file).toEqual({
      isError: true,
      output: "fetch_url reads only http:// and https:// URLs; file: is refused.",
    });
    expect((await fetchPage("ftp://127.0.0.1/x")).output).toContain("ftp: is refused");
    expect((await fetchPage("not a url")).output).toContain('needs an absolute http:// or https:// URL; "not a url"');
    const site = await server((_request, response) => response.end("no"));
    const credentials = await fetchPage(`http://user:hunter2pass@127.0.0.1:${site.port}/`);
    expect(credentials.output).toContain("refuses URLs with a user name or password");
    expect(credentials.output).not.toContain("hunter2pass");
    expect(site.hits).toEqual([]);
  });

  it("reads a huge page only up to the size cap, and the output is cut for the model", async () => {
    let sent = 0;
    const site = await server((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      const line = `${"x".repeat(1023)}\n`;
      const write = () => {
        while (sent < 64 * 1024 * 1024) {
          sent += line.length;
          if (!response.write(line)) return void response.once("drain", write);
        }
        response.end();
      };
      response.on("close", () => response.removeAllListeners("drain"));
      write();
    });
    const outcome = await fetchPage(`${site.url}/huge.txt`, { maximumBytes: 1024 * 1024 });
    expect(outcome.isError).toBe(false);
    expect(outcome.output).toContain("[Only the first 1048576 bytes were read; the rest of the page is left out.]");
    expect(outcome.output).toMatch(/\[\.\.\. \d+ characters omitted \.\.\.\]/);
    expect(outcome.output.length).toBeLessThan(21_000);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it("gives up on a page that does not answer in time", async () => {
    const site = await server(() => {
      // Never answers.
    });
    const started = Date.now();
    const outcome = await fetchPage(`${site.url}/slow`, { timeoutMilliseconds: 300 });
    expect(outcome).toEqual({
      isError: true,
      output: `fetch_url failed: no full answer from ${site.url} within 0.3 s; try again later or another page`,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("gives up on a page whose body trickles in past the timeout", async () => {
    const site = await server((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.write("first bytes");
      // The rest never comes.
    });
    const outcome = await fetchPage(`${site.url}/trickle`, { timeoutMilliseconds: 300 });
    expect(outcome).toEqual({
      isError: true,
      output: `fetch_url failed: no full answer from ${site.url} within 0.3 s; try again later or another page`,
    });
  });

  it("connects to the address that was checked, whatever the name resolves to later", async () => {
    const site = await server((request, response) => response.end(`host header ${request.headers.host}`));
    const response = await pinnedGet(
      new URL(`http://rebind.invalid:${site.port}/`),
      { address: "127.0.0.1", family: 4 },
      { maximumBytes: 1000, signal: new AbortController().signal },
    );
    expect(response.body.toString()).toBe(`host header rebind.invalid:${site.port}`);
  });
});
