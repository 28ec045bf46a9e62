import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRunCommandTool } from "../../src/tools/builtin/run-command.ts";
import { invokeTool } from "../../src/tools/invoke-tool.ts";
import { defaultToolPolicy, type ToolPolicy } from "../../src/tools/tool.ts";
import { Workspace } from "../../src/tools/workspace.ts";
import { cliSandbox, runCli } from "../support/cli-process.ts";
import { startDeepSeekServer } from "../support/deepseek-server/index.ts";

const apiKey = "sk-fallback-test-key-778899";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

// What bwrap says inside a container that refuses user namespaces.
const refusingBwrap = `#!/bin/sh
echo "bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2
exit 1
`;

function folders() {
  const sandbox = cliSandbox();
  const bin = path.join(sandbox.folder, "bin");
  for (const folder of [sandbox.workspace, sandbox.home, bin]) mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(bin, "bwrap"), refusingBwrap);
  chmodSync(path.join(bin, "bwrap"), 0o755);
  cleanups.push(() => rmSync(sandbox.folder, { recursive: true, force: true }));
  return { ...sandbox, bwrap: path.join(bin, "bwrap"), bin };
}

async function callDirectly(bwrapPath: string, sandbox: ToolPolicy["sandbox"], workspace: string) {
  const warnings: string[] = [];
  const outcome = await invokeTool(createRunCommandTool({ bwrapPath }), JSON.stringify({ command: "echo ran" }), {
    workspace: new Workspace(workspace),
    signal: new AbortController().signal,
    policy: { ...defaultToolPolicy(), sandbox },
    warn: (message) => warnings.push(message),
  });
  return { ...outcome, warnings };
}

describe("run_command where bubblewrap is missing or refused", () => {
  it("auto: runs the command and warns that it is not sandboxed and how to get a sandbox", async () => {
    const { workspace, bwrap } = folders();
    for (const bwrapPath of [path.join(workspace, "no-such-bwrap"), bwrap]) {
      const outcome = await callDirectly(bwrapPath, "auto", workspace);
      expect(outcome).toMatchObject({ isError: false, output: "exit code 0\nran\n" });
      expect(outcome.warnings).toHaveLength(1);
      expect(outcome.warnings[0]).toMatch(/^run_command runs without a sandbox/);
      expect(outcome.warnings[0]).toContain("apt install bubblewrap");
    }
  });

  it("required: refuses and runs nothing; off: runs without a word", async () => {
    const { workspace, bwrap } = folders();
    const refused = await callDirectly(bwrap, "required", workspace);
    expect(refused.isError).toBe(true);
    expect(refused.output).toMatch(/shell\.sandbox to "required"\), but .*cannot create a sandbox here/);
    expect(refused.output).toContain("Nothing was run");
    expect(await callDirectly(bwrap, "off", workspace)).toEqual({
      isError: false,
      output: "exit code 0\nran\n",
      warnings: [],
    });
  });

  async function runWithTwoCommands(sandbox: ToolPolicy["sandbox"]) {
    const paths = folders();
    writeFileSync(path.join(paths.home, "config.json"), JSON.stringify({ shell: { sandbox } }));
    const server = await startDeepSeekServer({
      apiKey,
      script: [
        {
          toolCalls: [
            { name: "run_command", arguments: { command: "echo one >> log.txt" } },
            { name: "run_command", arguments: { command: "echo two >> log.txt" } },
          ],
        },
        { toolCalls: [{ name: "run_command", arguments: { command: "echo three >> log.txt" } }] },
        { content: "done" },
      ],
    });
    cleanups.push(() => server.close());
    const env = {
      TANSUO_HOME: paths.home,
      DEEPSEEK_API_KEY: apiKey,
      PATH: `${paths.bin}:${process.env.PATH}`,
    };
    const args = ["run", "--model", "deepseek-chat", "--base-url", server.url, "--approval", "auto", "three lines"];
    const result = await runCli(args, { env, cwd: paths.workspace });
    const log = path.join(paths.workspace, "log.txt");
    return { ...result, log: existsSync(log) ? readFileSync(log, "utf8") : undefined };
  }

  it("through the CLI: auto warns once per run however many commands run", async () => {
    const result = await runWithTwoCommands("auto");
    expect(result.exitCode).toBe(0);
    expect(result.log).toBe("one\ntwo\nthree\n");
    expect(result.stderr.match(/run_command runs without a sandbox/g)).toHaveLength(1);
  });

  it("through the CLI: required refuses every command, off warns not at all", async () => {
    const required = await runWithTwoCommands("required");
    expect(required.exitCode).toBe(0);
    expect(required.log).toBeUndefined();
    expect(required.stderr.match(/✗ run_command/g)).toHaveLength(3);
    const off = await runWithTwoCommands("off");
    expect(off.log).toBe("one\ntwo\nthree\n");
    expect(off.stderr).not.toContain("sandbox");
  });
});
