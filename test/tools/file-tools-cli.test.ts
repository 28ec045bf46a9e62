import { execFileSync } from "node:child_process";
import { linkSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, runCli } from "../support/cli-process.ts";
import { startDeepSeekServer } from "../support/deepseek-server/index.ts";

// Reproductions 2 and 6 of issue 8 through the real CLI (bin/tansuo.js, run by tsx): the worker starts there too.
const apiKey = "sk-file-tools-cli-000111";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("tansuo run with hostile files and patterns", () => {
  it("a hostile regex, a FIFO and a hard link out each end with a clear refusal, and the run goes on", async () => {
    const server = await startDeepSeekServer({
      apiKey,
      script: [
        {
          toolCalls: [
            { name: "search_files", arguments: { pattern: "(a+)+$" } },
            { name: "read_file", arguments: { path: "pipe" } },
            { name: "read_file", arguments: { path: "link.txt" } },
          ],
          usage: { promptTokens: 1000, cacheHitTokens: 0, completionTokens: 50 },
        },
        { content: "Done.", usage: { promptTokens: 1200, cacheHitTokens: 0, completionTokens: 5 } },
      ],
    });
    const sandbox = cliSandbox();
    cleanups.push(
      () => server.close(),
      () => rmSync(sandbox.folder, { recursive: true, force: true }),
    );
    mkdirSync(sandbox.workspace, { recursive: true });
    writeFileSync(path.join(sandbox.workspace, "hostile.txt"), `${"a".repeat(40)}!\n`);
    execFileSync("mkfifo", [path.join(sandbox.workspace, "pipe")]);
    writeFileSync(path.join(sandbox.folder, "outside.txt"), "OUTSIDE CANARY\n");
    linkSync(path.join(sandbox.folder, "outside.txt"), path.join(sandbox.workspace, "link.txt"));
    const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: apiKey, TANSUO_RETRY_SCALE: "0.01" };
    const cli = (args: string[]) => runCli(args, { env, cwd: sandbox.workspace });

    const started = Date.now();
    const result = await cli(["run", "--model", "deepseek-v4-flash", "--base-url", server.url, "--json", "look"]);
    const elapsed = Date.now() - started;
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: "succeeded", output: "Done." });
    // The search's own limit is 10 s; the process startup and the other calls take far less than 15 s more.
    expect(elapsed).toBeLessThan(25_000);
    const transcript = JSON.parse((await cli(["runs", "show", JSON.parse(result.stdout).id, "--json"])).stdout);
    const outputs = transcript.steps[0].toolCalls.map((call: { output: string }) => call.output);
    expect(outputs[0]).toContain("search_files stopped: the pattern took longer than 10 s to match");
    expect(outputs[1]).toContain('"pipe" is a FIFO (named pipe), not a regular file');
    expect(outputs[2]).toContain('"link.txt" has 2 hard links');
    expect(JSON.stringify(transcript)).not.toContain("OUTSIDE CANARY");
  }, 60_000);
});
