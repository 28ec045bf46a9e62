import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { issueApiKey } from "../../src/server/index.ts";
import { inMemoryGateway } from "./support/in-memory-gateway.ts";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function builtViewer(): string {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-viewer-"));
  folders.push(folder);
  mkdirSync(path.join(folder, "assets"));
  writeFileSync(
    path.join(folder, "index.html"),
    '<!doctype html><script type="module" src="/assets/app-1a2b.js"></script>',
  );
  writeFileSync(path.join(folder, "assets", "app-1a2b.js"), "console.log('viewer');");
  writeFileSync(path.join(folder, "secret.txt"), "not an asset");
  return folder;
}

describe("the built viewer's files", () => {
  it("serves index.html with a strict CSP and no caching, and hashed assets as immutable, without a key", async () => {
    const { gateway, store } = inMemoryGateway({ viewerDirectory: builtViewer() });
    await issueApiKey(store, { name: "someone" });
    const page = await gateway.app.request("/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("content-security-policy")).toMatch(/^default-src 'self'(;|$)/);
    expect(await page.text()).toContain("/assets/app-1a2b.js");
    const script = await gateway.app.request("/assets/app-1a2b.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(script.headers.get("cache-control")).toContain("immutable");
    expect(await script.text()).toBe("console.log('viewer');");
    // The data still needs the key.
    expect((await gateway.app.request("/v1/runs")).status).toBe(401);
  });

  it("answers 404 for assets that are not there or lie outside the assets folder", async () => {
    const { gateway } = inMemoryGateway({ viewerDirectory: builtViewer() });
    for (const asset of [
      "/assets/missing.js",
      "/assets/..%2Fsecret.txt",
      "/assets/%2e%2e/secret.txt",
      "/assets/%E0%A4%A",
    ]) {
      const response = await gateway.app.request(asset);
      expect([asset, response.status]).toEqual([asset, 404]);
    }
  });

  it("answers 503 saying how to build the viewer when it is not built", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "tansuo-viewer-"));
    folders.push(folder);
    const { gateway } = inMemoryGateway({ viewerDirectory: folder });
    const page = await gateway.app.request("/");
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("The viewer is not built: run `npm run build`");
  });
});
