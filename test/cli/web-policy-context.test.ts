import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createCliContext } from "../../src/cli/create-cli-context.ts";

const folders: string[] = [];
const stores: { close(): unknown }[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function contextWith(config: unknown, env: Record<string, string>) {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-web-context-"));
  folders.push(folder);
  const home = path.join(folder, "home");
  mkdirSync(home);
  writeFileSync(path.join(home, "config.json"), JSON.stringify(config));
  const stream = () => new PassThrough();
  const context = createCliContext({
    env: { TANSUO_HOME: home, ...env },
    cwd: folder,
    stdout: stream(),
    stderr: stream(),
    stdin: stream(),
    isTerminal: false,
  });
  stores.push({ close: () => context.openStore().close() });
  return context;
}

describe("the CLI's tool policy for the web tools", () => {
  it("carries config web to the tools and keeps the search key secret whatever its variable is called", () => {
    const context = contextWith(
      { web: { allowHosts: ["127.0.0.1"], search: { provider: "brave", apiKeyEnv: "SEARCH_CREDENTIAL_X" } } },
      { SEARCH_CREDENTIAL_X: "bsa-0123456789abcdefXYZ", TANSUO_WEB_TIMEOUT_MILLISECONDS: "1500" },
    );
    const runtime = context.runtime();
    expect(runtime.toolPolicy.web).toEqual({
      allowHosts: ["127.0.0.1"],
      search: { provider: "brave", apiKeyEnv: "SEARCH_CREDENTIAL_X" },
      requireApproval: true,
      timeoutMilliseconds: 1500,
      maximumBytes: 5 * 1024 * 1024,
    });
    expect(runtime.toolPolicy.secrets).toContain("bsa-0123456789abcdefXYZ");
    expect(runtime.toolPolicy.secretVariables).toContain("SEARCH_CREDENTIAL_X");
    expect(runtime.tools.names.slice(-2)).toEqual(["fetch_url", "web_search"]);
    expect(runtime.tools.get("fetch_url")?.needsApproval).toBe(true);
  });

  it("offers fetch_url without asking under web.requireApproval: false, and no web_search without a backend", () => {
    const runtime = contextWith({ web: { requireApproval: false } }, {}).runtime();
    expect(runtime.tools.get("fetch_url")?.needsApproval).toBe(false);
    expect(runtime.tools.names).not.toContain("web_search");
  });
});
