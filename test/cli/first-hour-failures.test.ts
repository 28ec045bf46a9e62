import { mkdirSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, runCli } from "../support/cli-process.ts";

let sandbox: ReturnType<typeof cliSandbox>;
let blocker: Server | undefined;
afterEach(async () => {
  rmSync(sandbox.folder, { recursive: true, force: true });
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
});

async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as { port: number }).port };
}

describe("what a new user sees when the network or the port is not there", () => {
  it("shows each retry's whole cause, URL and reason, on one line", async () => {
    sandbox = cliSandbox();
    mkdirSync(sandbox.workspace, { recursive: true });
    const { server, port } = await listening();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const url = `http://127.0.0.1:${port}/v1`;
    const result = await runCli(["run", "-m", "openai-compatible/local-model", "--base-url", url, "say hi"], {
      env: { TANSUO_HOME: sandbox.home, TANSUO_RETRY_SCALE: "0.001" },
      cwd: sandbox.workspace,
    });
    expect(result.exitCode).toBe(1);
    const retries = `${result.stdout}${result.stderr}`.split("\n").filter((line) => line.startsWith("… retry"));
    expect(retries).toHaveLength(4);
    expect(retries[0]).toMatch(
      new RegExp(
        `^… retry 1 in [\\d.]+s: Could not reach openai-compatible at ${url}/chat/completions: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`,
      ),
    );
  });

  it("says in one line that the port of `tansuo serve` is taken, with no stack", async () => {
    sandbox = cliSandbox();
    const taken = await listening();
    blocker = taken.server;
    const result = await runCli(["serve", "--port", String(taken.port)], {
      env: { TANSUO_HOME: sandbox.home },
      cwd: sandbox.folder,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      `tansuo: Port ${taken.port} on 127.0.0.1 is already in use (another \`tansuo serve\`, or another program). ` +
        "Stop it, or pick another port with --port (0 picks a free one).\n",
    );
  });
});
