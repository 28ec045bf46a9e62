import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { cliSandbox, runCli } from "../support/cli-process.ts";

let sandbox: ReturnType<typeof cliSandbox>;
afterEach(() => rmSync(sandbox.folder, { recursive: true, force: true }));

const stackLine = /^\s+at /m;

describe("what the CLI prints for an error", () => {
  it("prints a user's mistake as one line with no stack trace and no bug hint", async () => {
    sandbox = cliSandbox();
    const env = { TANSUO_HOME: sandbox.home };
    const unknownRun = await runCli(["runs", "show", "run-that-is-not-there"], { env, cwd: sandbox.folder });
    expect(unknownRun.exitCode).toBe(1);
    expect(unknownRun.stderr).toBe(
      "tansuo: No run with id run-that-is-not-there. List runs with `tansuo runs list`.\n",
    );
    const badDate = await runCli(["models", "--at", "yesterday"], { env, cwd: sandbox.folder });
    expect(badDate.exitCode).toBe(1);
    expect(badDate.stderr).toBe('tansuo: --at "yesterday" is not a date such as 2025-03-01\n');
    const unknownKey = await runCli(["keys", "revoke", "tsk_nothing"], { env, cwd: sandbox.folder });
    expect(unknownKey.exitCode).toBe(1);
    expect(unknownKey.stderr).toBe(
      'tansuo: No active key with id or prefix "tsk_nothing". List keys with `tansuo keys list`.\n',
    );
  });

  it("prints an operating-system error (a home that is a file) as one line, and bad usage still exits 2", async () => {
    sandbox = cliSandbox();
    const homeFile = path.join(sandbox.folder, "home-is-a-file");
    writeFileSync(homeFile, "");
    const result = await runCli(["runs", "list"], { env: { TANSUO_HOME: homeFile }, cwd: sandbox.folder });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^tansuo: E\w+: .*home-is-a-file/);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    const usage = await runCli(["runs", "list", "--no-such-flag"], {
      env: { TANSUO_HOME: sandbox.home },
      cwd: sandbox.folder,
    });
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).not.toMatch(stackLine);
  });

  it("prints Tansuo's own failure with a hint to report it and the stack trace", async () => {
    sandbox = cliSandbox();
    let stderr = "";
    // A stdout that breaks with a TypeError stands for a bug: nothing in Tansuo classes it.
    const brokenStdout = new Writable({
      write() {
        throw new TypeError("Cannot read properties of undefined (reading 'columns')");
      },
    });
    const exitCode = await main(["node", "tansuo", "models", "--json"], {
      env: { TANSUO_HOME: sandbox.home },
      cwd: sandbox.folder,
      stdout: brokenStdout,
      stderr: new Writable({
        write(chunk, _encoding, done) {
          stderr += chunk;
          done();
        },
      }),
      stdin: new PassThrough(),
      isTerminal: false,
    });
    expect(exitCode).toBe(1);
    const [first, hint] = stderr.split("\n");
    expect(first).toBe("tansuo: Cannot read properties of undefined (reading 'columns')");
    expect(hint).toMatch(/^This is a bug in Tansuo, not a mistake of yours\. Please report it/);
    expect(stderr).toMatch(/TypeError: Cannot read properties of undefined/);
    expect(stderr).toMatch(stackLine);
  });
});
