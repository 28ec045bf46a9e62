import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, runCli } from "../support/cli-process.ts";
import { startDeepSeekServer } from "../support/deepseek-server/index.ts";

const apiKey = "sk-hooks-cli-secret-000333";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

// The README's example hook, as a user would paste it.
const blockRmRf = `#!/bin/sh
input=$(cat)
case "$input" in
  *'rm -rf'*) echo "Blocked: rm -rf is not allowed. Delete the files you mean by name." >&2; exit 2 ;;
esac
exit 0
`;

function sandboxWithHook() {
  const sandbox = cliSandbox();
  mkdirSync(sandbox.workspace, { recursive: true });
  mkdirSync(sandbox.home, { recursive: true });
  const script = path.join(sandbox.folder, "block-rm-rf.sh");
  writeFileSync(script, blockRmRf);
  chmodSync(script, 0o755);
  cleanups.push(() => rmSync(sandbox.folder, { recursive: true, force: true }));
  const hooks = { PreToolUse: [{ matcher: "Bash|run_command", hooks: [{ type: "command", command: script }] }] };
  return { ...sandbox, script, hooks };
}

describe("hooks from the CLI", () => {
  it("a home-config PreToolUse hook blocks run_command; the next request to DeepSeek carries its message", async () => {
    const sandbox = sandboxWithHook();
    writeFileSync(path.join(sandbox.home, "config.json"), JSON.stringify({ hooks: sandbox.hooks }));
    const server = await startDeepSeekServer({
      apiKey,
      script: [
        {
          toolCalls: [{ name: "run_command", arguments: { command: "touch marker && rm -rf build" } }],
          usage: { promptTokens: 900, completionTokens: 30 },
        },
        { content: "I will not delete the folder.", usage: { promptTokens: 1000, completionTokens: 10 } },
      ],
    });
    cleanups.push(() => server.close());
    const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: apiKey, TANSUO_RETRY_SCALE: "0.01" };
    const result = await runCli(
      ["run", "--model", "deepseek-chat", "--base-url", server.url, "--approval", "auto", "--json", "clean up"],
      { env, cwd: sandbox.workspace },
    );
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: "succeeded", output: "I will not delete the folder." });
    const second = server.requests[1]!.body as { messages: { role: string; content: string }[] };
    const tool = second.messages.find((message) => message.role === "tool");
    expect(tool?.content).toContain("Blocked: rm -rf is not allowed. Delete the files you mean by name.");
    expect(existsSync(path.join(sandbox.workspace, "marker"))).toBe(false);
    expect(result.stderr).not.toContain(apiKey);
  });
});
