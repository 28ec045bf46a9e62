import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProviderConnectionError } from "../../src/models/openai-chat/provider-errors.ts";
import { runCommandTool } from "../../src/tools/builtin/run-command.ts";
import { builtinTools } from "../../src/tools/builtin-tools.ts";
import { invokeTool } from "../../src/tools/invoke-tool.ts";
import { knownSecrets } from "../../src/tools/secret-environment.ts";
import { defaultToolPolicy, type ToolContext, type ToolPolicy } from "../../src/tools/tool.ts";
import { Workspace } from "../../src/tools/workspace.ts";
import { cliSandbox, runCli } from "../support/cli-process.ts";

const customKey = "cu5t0mK3yValue9QwErTy7788ZZ";
let folder: string;
let root: string;
let home: string;
const savedEnvironment = { ...process.env };

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), "tansuo-hostile-"));
  root = path.join(folder, "ws");
  home = path.join(folder, "tansuo-home");
  mkdirSync(root);
  mkdirSync(home);
});
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnvironment)) delete process.env[name];
  Object.assign(process.env, savedEnvironment);
  rmSync(folder, { recursive: true, force: true });
});

const context = (policy: Partial<ToolPolicy> = {}): ToolContext => ({
  workspace: new Workspace(root, { hiddenPaths: [home] }),
  signal: new AbortController().signal,
  policy: { ...defaultToolPolicy(), hiddenPaths: [home], ...policy },
  warn: () => {},
});

describe("C: a key named by a model's apiKeyEnv never reaches run_command", () => {
  for (const sandbox of ["required", "off"] as const) {
    it(`keeps MYLLM_KEY out of the command's environment (sandbox ${sandbox})`, async () => {
      const configFile = path.join(home, "config.json");
      writeFileSync(configFile, JSON.stringify({ models: [{ id: "my-llm", apiKeyEnv: "MYLLM_KEY" }] }));
      process.env.MYLLM_KEY = customKey;
      process.env.INNOCENT_COPY = `prefix-${customKey}`;
      const secrets = knownSecrets(process.env, [], [configFile]);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash substring expansion, not a template
      const command = 'echo "[${MYLLM_KEY:0:6},${MYLLM_KEY:6:6},${INNOCENT_COPY:7:6}]"';
      for (const policy of [{ secrets }, { secrets: [], secretVariables: ["MYLLM_KEY"] }]) {
        const outcome = await invokeTool(runCommandTool, JSON.stringify({ command }), context({ sandbox, ...policy }));
        expect(outcome.output).not.toContain(customKey.slice(0, 6));
        expect(outcome.output).not.toContain(customKey.slice(6, 12));
      }
      const outcome = await invokeTool(runCommandTool, JSON.stringify({ command }), context({ sandbox, secrets }));
      expect(outcome.output).toContain("[,,]");
    });
  }
});

describe("D: credentials inside URLs", () => {
  it("knownSecrets takes URL passwords and query tokens from config files and *_BASE_URL variables", () => {
    const configFile = path.join(home, "config.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        models: [{ id: "m", baseUrl: "http://alice:Hunter2-urlpass@127.0.0.1:1/v1" }],
        providers: { openai: { baseUrl: "http://127.0.0.1:1/v1?api_key=query-token-77" } },
      }),
    );
    const secrets = knownSecrets({ DEEPSEEK_BASE_URL: "http://bob:b4sePa55word@127.0.0.1:1" }, [], [configFile]);
    expect(secrets).toEqual(expect.arrayContaining(["Hunter2-urlpass", "query-token-77", "b4sePa55word"]));
    expect(secrets).not.toContain("alice");
  });

  it("run_command output of the config file has the URL password redacted (sandbox off)", async () => {
    const configFile = path.join(home, "config.json");
    writeFileSync(configFile, JSON.stringify({ models: [{ id: "m", baseUrl: "http://alice:Hunter2-urlpass@h/v1" }] }));
    const secrets = knownSecrets({}, [], [configFile]);
    const command = `cat '${configFile}'; cat '${configFile}' | rev; base64 -w0 '${configFile}'`;
    const outcome = await invokeTool(runCommandTool, JSON.stringify({ command }), context({ sandbox: "off", secrets }));
    expect(outcome.output).toContain("[secret redacted]");
    expect(outcome.output).not.toContain("Hunter2-urlpass");
    expect(outcome.output).not.toContain("ssapuru-2retnuH");
    expect(outcome.output).not.toContain(Buffer.from("Hunter2-urlpass").toString("base64").slice(4, 16));
  });

  it("a connection error never shows the URL's userinfo", () => {
    const url = "http://bob:b4sePa55word@127.0.0.1:1/chat/completions";
    const error = new ProviderConnectionError("deepseek", url, new TypeError(`Request to ${url} failed`));
    expect(error.message).toBe(
      "Could not reach deepseek at http://127.0.0.1:1/chat/completions: Request to http://127.0.0.1:1/chat/completions failed",
    );
    expect(error.url).not.toContain("b4sePa55word");
  });

  it("tansuo run --base-url with user:password@ is refused before anything is stored", async () => {
    const sandbox = cliSandbox();
    mkdirSync(sandbox.workspace, { recursive: true });
    try {
      const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: "sk-unused-key-000111" };
      const result = await runCli(
        ["run", "--model", "deepseek-v4-flash", "--base-url", "http://bob:b4sePa55word@127.0.0.1:1", "hi"],
        { env, cwd: sandbox.workspace },
      );
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toContain("would be stored in plain text");
      expect(result.stderr).toContain("$TANSUO_HOME/config.json");
      // Only the terminal shows what the user typed: no database was made to hold it.
      expect(existsSync(path.join(sandbox.home, "tansuo.db"))).toBe(false);
    } finally {
      rmSync(sandbox.folder, { recursive: true, force: true });
    }
  }, 30_000);
});

describe("E: a hard link to a file in a hidden folder", () => {
  const tool = (name: string) => builtinTools.find((candidate) => candidate.name === name)!;
  const call = (name: string, input: unknown) =>
    invokeTool(tool(name), JSON.stringify(input), context({ allowHardLinks: true }));

  beforeEach(() => {
    mkdirSync(path.join(home, "deep"));
    writeFileSync(path.join(home, "deep", "config.json"), '{"apiKey":"HIDDEN CANARY needle"}\n');
    linkSync(path.join(home, "deep", "config.json"), path.join(root, "cfglink"));
    writeFileSync(path.join(folder, "ordinary.txt"), "ORDINARY needle\n");
    linkSync(path.join(folder, "ordinary.txt"), path.join(root, "ordinary-link"));
  });

  it("is refused by read_file, search_files and edit_file even with allowHardLinks", async () => {
    const read = await call("read_file", { path: "cfglink" });
    expect(read.isError).toBe(true);
    expect(read.output).toContain("hidden by Tansuo");
    const search = await call("search_files", { pattern: "needle" });
    expect(search.output).not.toContain("CANARY");
    expect(search.output).toContain("ORDINARY needle");
    const edit = await call("edit_file", { path: "cfglink", old_text: "CANARY", new_text: "x" });
    expect(edit.isError).toBe(true);
    expect(edit.output).toContain("hidden by Tansuo");
    expect(readFileSync(path.join(home, "deep", "config.json"), "utf8")).toContain("CANARY");
  });

  it("a hard link to an ordinary outside file is still read when allowed", async () => {
    const read = await call("read_file", { path: "ordinary-link" });
    expect(read).toEqual({ output: "     1\tORDINARY needle\n     2\t", isError: false });
  });
});
