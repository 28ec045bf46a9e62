import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, runCli, spawnCli, waitFor } from "../support/cli-process.ts";
import { type DeepSeekServerOptions, startDeepSeekServer } from "../support/deepseek-server/index.ts";

const apiKey = "sk-crash-recovery-000222";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: DeepSeekServerOptions, extraEnv: Record<string, string> = {}) {
  const server = await startDeepSeekServer({ apiKey, ...options });
  const sandbox = cliSandbox();
  mkdirSync(sandbox.workspace, { recursive: true });
  cleanups.push(
    () => server.close(),
    () => rmSync(sandbox.folder, { recursive: true, force: true }),
  );
  const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: apiKey, TANSUO_RETRY_SCALE: "0.01", ...extraEnv };
  const cli = (args: string[], overrides: Record<string, string> = {}) =>
    runCli(args, { env: { ...env, ...overrides }, cwd: sandbox.workspace });
  const file = (name: string) => path.join(sandbox.workspace, name);
  const read = (name: string) => (existsSync(file(name)) ? readFileSync(file(name), "utf8") : "");
  return { server, sandbox, env, cli, file, read };
}

// The command appends its line, then waits until the test lets it go: a kill lands after the side effect, always.
const appendThenWait = "echo line >> side-effect.txt; until [ -e release ]; do echo tick >> ticks; sleep 0.05; done";

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe("a tool call a crash interrupted (issue 8, reproduction 5)", () => {
  it("is not re-run by `resume --approval auto`; `tansuo approve` re-runs it", async () => {
    const { server, env, sandbox, cli, file, read } = await setup({
      script: [
        {
          toolCalls: [{ id: "append", name: "run_command", arguments: { command: appendThenWait } }],
          usage: { promptTokens: 900, completionTokens: 20 },
        },
        { content: "Appended.", usage: { promptTokens: 950, completionTokens: 5 } },
      ],
    });
    const child = spawnCli(
      ["run", "--model", "deepseek-v4-flash", "--base-url", server.url, "--approval", "auto", "--json", "append"],
      { env, cwd: sandbox.workspace },
    );
    await waitFor(() => read("side-effect.txt") === "line\n");
    child.kill("SIGKILL");
    await child.result;
    const [run] = JSON.parse((await cli(["runs", "list", "--json"])).stdout);

    const resumed = await cli(["resume", run.id, "--approval", "auto", "--json"]);
    expect(resumed.exitCode).toBe(4);
    expect(JSON.parse(resumed.stdout).status).toBe("awaiting_approval");
    expect(read("side-effect.txt")).toBe("line\n");
    const shown = JSON.parse((await cli(["runs", "show", run.id, "--json"])).stdout);
    expect(shown.steps[0].toolCalls[0]).toMatchObject({ callId: "append", status: "started" });

    writeFileSync(file("release"), "");
    const approved = await cli(["approve", run.id, "--call", "append", "--json"]);
    expect(approved.exitCode).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ status: "succeeded", output: "Appended." });
    // Once by the killed process, once more because a person said so.
    expect(read("side-effect.txt")).toBe("line\nline\n");
    expect(server.remainingScript()).toEqual([]);
  });
});

describe("a run's lease (issue 8, reproduction 6)", () => {
  it("stays with a live owner long past its expiry, and `tansuo cancel` stops the owner's tool within a second or two", async () => {
    const { server, env, sandbox, cli, file, read } = await setup(
      {
        script: [
          {
            toolCalls: [{ name: "run_command", arguments: { command: appendThenWait } }],
            usage: { promptTokens: 900, completionTokens: 20 },
          },
        ],
      },
      { TANSUO_LEASE_MILLISECONDS: "1000" },
    );
    cleanups.push(() => writeFileSync(file("release"), ""));
    const owner = spawnCli(
      ["run", "--model", "deepseek-v4-flash", "--base-url", server.url, "--approval", "auto", "--json", "wait"],
      { env, cwd: sandbox.workspace },
    );
    await waitFor(() => read("ticks") !== "");
    // A stopped process renews nothing, as one whose event loop a tool blocks: its 1 s lease lapses.
    owner.kill("SIGSTOP");
    try {
      await sleep(2500);
      const [run] = JSON.parse((await cli(["runs", "list", "--json"])).stdout);
      const second = await cli(["resume", run.id, "--approval", "auto", "--json"]);
      expect(second.exitCode).toBe(1);
      expect(second.stderr).toMatch(/being executed by another process \(pid \d+ on .*\), which is still alive/);
      expect(read("side-effect.txt")).toBe("line\n");
    } finally {
      owner.kill("SIGCONT");
    }

    const [run] = JSON.parse((await cli(["runs", "list", "--json"])).stdout);
    expect((await cli(["cancel", run.id])).exitCode).toBe(0);
    const cancelledAt = Date.now();
    const ended = await owner.result;
    expect(Date.now() - cancelledAt).toBeLessThan(2000);
    expect(ended.exitCode).toBe(5);
    expect(JSON.parse(ended.stdout).status).toBe("cancelled");
    // The command was killed with its process: it ticks no more.
    const ticks = read("ticks").length;
    await sleep(500);
    expect(read("ticks").length).toBe(ticks);
    expect(read("side-effect.txt")).toBe("line\n");
    // The owner asked for nothing after the cancel.
    expect(server.requests).toHaveLength(1);
  });
});

/** A port nothing listens on now; `forward` later relays it to a server, as an upstream coming back would. */
async function reservePort(): Promise<{ port: number; forward: (target: string) => Promise<() => Promise<void>> }> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return {
    port,
    forward: async (target) => {
      const { hostname, port: targetPort } = new URL(target);
      const sockets = new Set<Socket>();
      const relay: Server = createServer((incoming) => {
        const outgoing = createConnection(Number(targetPort), hostname);
        sockets.add(incoming).add(outgoing);
        incoming.pipe(outgoing).pipe(incoming);
        incoming.on("error", () => outgoing.destroy());
        outgoing.on("error", () => incoming.destroy());
      });
      await new Promise<void>((resolve) => relay.listen(port, "127.0.0.1", resolve));
      return () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          relay.close(() => resolve());
        });
    },
  };
}

describe("a model call that never reached the provider (issue 8, reproduction 8)", () => {
  const answered = { content: "Real answer.", usage: { promptTokens: 1200, completionTokens: 8 } };

  it("costs $0 after a connection refused, says why, and the resume under --budget 0.002 makes a real call", async () => {
    const { server, cli } = await setup({ script: [answered] });
    const upstream = await reservePort();
    const baseUrl = `http://127.0.0.1:${upstream.port}`;
    const failed = await cli([
      "run",
      "--model",
      "deepseek-v4-flash",
      "--base-url",
      baseUrl,
      "--budget",
      "0.002",
      "--json",
      "hi",
    ]);
    expect(failed.exitCode).toBe(1);
    const run = JSON.parse(failed.stdout);
    expect(run).toMatchObject({ status: "failed", costUsd: "0" });
    expect(run.error).toMatch(/ECONNREFUSED/);
    const shown = await cli(["runs", "show", run.id]);
    expect(shown.stdout).toMatch(/\$0 · discarded \(the provider was never reached \(ECONNREFUSED/);

    cleanups.push(await upstream.forward(server.url));
    const resumed = await cli(["resume", run.id, "--json"]);
    expect(resumed.exitCode).toBe(0);
    // deepseek-v4-flash: 1200 prompt tokens at $0.14/M (miss) + 8 output at $0.28/M.
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      status: "succeeded",
      output: "Real answer.",
      costUsd: "0.00017024",
    });
    expect(server.requests).toHaveLength(1);
  });

  it("costs $0 after an upstream 401, and the resume with the right key makes a real call", async () => {
    const { server, cli } = await setup({ script: [answered] });
    const args = ["--model", "deepseek-v4-flash", "--base-url", server.url, "--budget", "0.002", "--json"];
    const failed = await cli(["run", ...args, "hi"], { DEEPSEEK_API_KEY: "sk-wrong-key-999" });
    expect(failed.exitCode).toBe(1);
    const run = JSON.parse(failed.stdout);
    expect(run).toMatchObject({ status: "failed", costUsd: "0" });
    const transcript = JSON.parse((await cli(["runs", "show", run.id, "--json"])).stdout);
    expect(transcript.steps).toHaveLength(1);
    expect(transcript.steps[0]).toMatchObject({ finishReason: "not-billed", costUsd: "0", discarded: true });
    expect(transcript.steps[0].discardReason).toMatch(/error \(HTTP 401\), which is not billed; cost \$0/);

    const resumed = await cli(["resume", run.id, "--json"]);
    expect(resumed.exitCode).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: "succeeded", costUsd: "0.00017024" });
    // The 401 and the answer: no call was made that the upstream did not answer.
    expect(server.requests).toHaveLength(2);
    expect(server.remainingScript()).toEqual([]);
  });
});
