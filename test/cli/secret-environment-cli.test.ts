import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, runCli } from "../support/cli-process.ts";
import { startDeepSeekServer } from "../support/deepseek-server/index.ts";

const customKey = "cu5t0mK3yValue9QwErTy7788ZZ";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("tansuo run: a model key read from a variable of any name", () => {
  it("never reaches run_command, so no piece of it is stored (sandbox required)", async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash substring expansion, not a template
    const command = 'echo "[${MYLLM_KEY:0:6},${MYLLM_KEY:6:6},${MYLLM_KEY:12:6}]"';
    const server = await startDeepSeekServer({
      apiKey: customKey,
      script: [
        {
          toolCalls: [{ name: "run_command", arguments: { command } }],
          usage: { promptTokens: 90, completionTokens: 9 },
        },
        { content: "done", usage: { promptTokens: 95, completionTokens: 2 } },
      ],
    });
    const sandbox = cliSandbox();
    mkdirSync(sandbox.workspace, { recursive: true });
    mkdirSync(sandbox.home, { recursive: true });
    cleanups.push(
      () => server.close(),
      () => rmSync(sandbox.folder, { recursive: true, force: true }),
    );
    const model = {
      id: "my-llm",
      provider: "deepseek",
      upstreamModel: "deepseek-chat",
      baseUrl: server.url,
      apiKeyEnv: "MYLLM_KEY",
      contextWindow: 64000,
      maxOutputTokens: 8000,
      capabilities: { tools: true },
    };
    writeFileSync(
      path.join(sandbox.home, "config.json"),
      JSON.stringify({ models: [model], shell: { sandbox: "required" } }),
    );
    const env = { TANSUO_HOME: sandbox.home, MYLLM_KEY: customKey, TANSUO_RETRY_SCALE: "0.01" };
    const cli = (args: string[]) => runCli(args, { env, cwd: sandbox.workspace });
    const result = await cli(["run", "--model", "my-llm", "--approval", "auto", "--json", "print the key"]);
    expect(result.exitCode).toBe(0);
    const run = JSON.parse(result.stdout);
    const shown = (await cli(["runs", "show", run.id, "--json"])).stdout;
    expect(shown).toContain("[,,]");
    const database = readFileSync(path.join(sandbox.home, "tansuo.db")).toString("latin1");
    for (const piece of [customKey.slice(0, 6), customKey.slice(6, 12), customKey.slice(12, 18)]) {
      expect(shown).not.toContain(piece);
      expect(database).not.toContain(piece);
    }
  }, 60_000);
});
