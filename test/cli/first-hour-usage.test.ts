import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, runCli } from "../support/cli-process.ts";

let sandbox: ReturnType<typeof cliSandbox>;
afterEach(() => rmSync(sandbox.folder, { recursive: true, force: true }));

/** The runs the store holds, as `runs list --json` prints them. */
async function savedRuns(env: Record<string, string>, cwd: string): Promise<unknown[]> {
  const listed = await runCli(["runs", "list", "--json"], { env, cwd });
  return JSON.parse(listed.stdout) as unknown[];
}

describe("a new user's first mistakes with `tansuo run`", () => {
  it("refuses a workspace that does not exist or is a file with exit 2, one line, and no run saved", async () => {
    sandbox = cliSandbox();
    const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: "sk-never-used" };
    const missing = path.join(sandbox.folder, "no-such-folder");
    const absent = await runCli(["run", "-m", "deepseek-chat", "-w", missing, "list the files"], {
      env,
      cwd: sandbox.folder,
    });
    expect(absent.exitCode).toBe(2);
    expect(absent.stderr).toBe(
      `tansuo: Workspace ${missing} does not exist. Create it (mkdir -p ${missing}), or name an existing folder.\n`,
    );
    const file = path.join(sandbox.folder, "notes.txt");
    writeFileSync(file, "not a folder");
    const isFile = await runCli(["run", "-m", "deepseek-chat", "-w", file, "list the files"], {
      env,
      cwd: sandbox.folder,
    });
    expect(isFile.exitCode).toBe(2);
    expect(isFile.stderr).toBe(
      `tansuo: Workspace ${file} is a file, not a folder. Name the folder the agent may work in (e.g. its parent).\n`,
    );
    expect(await savedRuns(env, sandbox.folder)).toEqual([]);
  });

  it("refuses the same workspace mistakes in `tansuo chat` before reading a message", async () => {
    sandbox = cliSandbox();
    const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: "sk-never-used" };
    const file = path.join(sandbox.folder, "notes.txt");
    writeFileSync(file, "not a folder");
    const chat = await runCli(["chat", "-m", "deepseek-v4-flash", "-w", file], {
      env,
      cwd: sandbox.folder,
      input: "hello\n",
    });
    expect(chat.exitCode).toBe(2);
    expect(chat.stderr).toBe(
      `tansuo: Workspace ${file} is a file, not a folder. Name the folder the agent may work in (e.g. its parent).\n`,
    );
    expect(await savedRuns(env, sandbox.folder)).toEqual([]);
  });

  it("refuses an unknown --model and a missing .gguf with exit 2 and no failed run that advises resuming", async () => {
    sandbox = cliSandbox();
    const env = { TANSUO_HOME: sandbox.home };
    const unknown = await runCli(["run", "-m", "nope/bad", "say hi"], { env, cwd: sandbox.folder });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/^tansuo: Unknown model "nope\/bad"\. Run `tansuo models`/);
    expect(unknown.stderr).not.toMatch(/resume/);
    const gguf = path.join(sandbox.folder, "missing.gguf");
    const missing = await runCli(["run", "-m", gguf, "say hi"], { env, cwd: sandbox.folder });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe(
      `tansuo: No model file at ${gguf}. Check the path, or pass an hf:<user>/<repo>/<file>.gguf URI to download one.\n`,
    );
    expect(await savedRuns(env, sandbox.folder)).toEqual([]);
  });
});
