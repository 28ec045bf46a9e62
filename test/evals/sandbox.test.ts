import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pythonExecutable } from "../../src/evals/sandbox/interpreters.ts";
import { type Isolation, isolation, plainIsolation } from "../../src/evals/sandbox/isolation.ts";
import { runInSandbox, type SandboxRequest } from "../../src/evals/sandbox/run-in-sandbox.ts";

const python = (code: string, overrides: Partial<SandboxRequest> = {}) =>
  runInSandbox({
    files: { "program.py": code },
    command: [pythonExecutable(), "program.py"],
    timeoutMs: 5_000,
    addressSpaceMb: 512,
    outputLimitBytes: 64 * 1024,
    ...overrides,
  });

let sandbox: Isolation;
const outside = mkdtempSync(path.join(os.tmpdir(), "tansuo-evals-outside-"));
beforeAll(async () => {
  sandbox = await isolation();
});
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe("the sandbox", () => {
  it("runs a program in a fresh folder, returns its output and removes the folder", async () => {
    const run = await python("import os\nprint(os.getcwd())\nprint(os.listdir('.'))\nos.write(3, b'end')\n");
    expect(run.exitCode).toBe(0);
    expect(run.marker).toBe("end");
    const [folder, listing] = run.stdout.trim().split("\n");
    expect(listing).toBe("['program.py']");
    expect(folder && existsSync(folder)).toBe(false);
  });

  it("kills a program that hangs at the time limit", async () => {
    const run = await python("while True:\n    pass\n", { timeoutMs: 1_500 });
    expect(run.timedOut).toBe(true);
    expect(run.exitCode).toBeNull();
  });

  it("kills a program that floods its output, keeping only the cap", async () => {
    const run = await python("while True:\n    print('x' * 1000)\n", { outputLimitBytes: 10_000 });
    expect(run.outputLimitExceeded).toBe(true);
    expect(run.stdout.length).toBeLessThanOrEqual(10_000);
  });

  it("reports a crash by its signal", async () => {
    const run = await python("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n");
    expect(run.exitCode).toBeNull();
    expect(run.signal).not.toBeNull();
  });

  it("stops a program at the memory limit", async () => {
    const run = await python("data = bytearray(2 * 1024 ** 3)\n");
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain("MemoryError");
  });

  it("stops a program that fills the disk at the file-size limit", async () => {
    const run = await python(
      "with open('big', 'wb') as f:\n    for _ in range(200):\n        f.write(b'x' * 1024 * 1024)\n",
    );
    expect(run.exitCode).not.toBe(0);
    expect(run.signal ?? run.stderr).toMatch(/SIGXFSZ|File too large/);
  });

  it("does not pass the parent's environment (API keys) to the program", async () => {
    process.env.TANSUO_EVALS_TEST_SECRET = "sk-should-not-leak";
    try {
      const run = await python("import os\nprint(os.environ.get('TANSUO_EVALS_TEST_SECRET'))\n");
      expect(run.stdout.trim()).toBe("None");
    } finally {
      delete process.env.TANSUO_EVALS_TEST_SECRET;
    }
  });

  it("refuses writes outside the task folder where namespaces are available", async (context) => {
    if (sandbox.level !== "namespaces") context.skip();
    const target = path.join(outside, "escaped.txt");
    const run = await python(`open(${JSON.stringify(target)}, "w").write("x")\n`);
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain("Read-only file system");
    expect(existsSync(target)).toBe(false);
  });

  it("has no network where namespaces are available", async (context) => {
    if (sandbox.level === "none") context.skip();
    const run = await python("import socket\nsocket.create_connection(('1.1.1.1', 53), timeout=3)\n");
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toMatch(/Network is unreachable|OSError/);
  });

  it("keeps programs apart: one hanging, crashing or flooding does not stop the others", async () => {
    const runs = await Promise.all([
      python("while True:\n    pass\n", { timeoutMs: 1_500 }),
      python("import os\nos.abort()\n"),
      python("while True:\n    print('y' * 4096)\n"),
      python("import os\nprint('fine')\nos.write(3, b'end')\n"),
    ]);
    expect(runs.map((run) => run.exitCode === 0 && run.marker === "end")).toEqual([false, false, false, true]);
  });
});

describe("the plain fallback, where unshare is missing", () => {
  const plain = (code: string, timeoutMs = 5_000) =>
    runInSandbox(
      {
        files: { "program.py": code },
        command: [pythonExecutable(), "program.py"],
        timeoutMs,
        addressSpaceMb: 512,
        outputLimitBytes: 64 * 1024,
      },
      plainIsolation(),
    );

  it("still runs in a fresh folder with limits, a time limit and a real signal on a crash", async () => {
    const ok = await plain("import os\nprint(os.getcwd())\nos.write(3, b'end')\n");
    expect(ok).toMatchObject({ exitCode: 0, marker: "end", isolation: "none" });
    expect(existsSync(ok.stdout.trim())).toBe(false);
    expect((await plain("while True:\n    pass\n", 1_500)).timedOut).toBe(true);
    expect((await plain("import os\nos.abort()\n")).signal).toBe("SIGABRT");
    expect((await plain("data = bytearray(2 * 1024 ** 3)\n")).stderr).toContain("MemoryError");
  });
});
