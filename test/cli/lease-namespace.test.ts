import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type CliResult, cliSandbox, repositoryRoot, runCli, spawnCli, waitFor } from "../support/cli-process.ts";
import { startDeepSeekServer } from "../support/deepseek-server/index.ts";

const apiKey = "sk-lease-namespace-000333";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

// A process in a PID namespace of its own, with the same hostname: it sees ESRCH for every pid outside it.
const unshareArguments = ["--pid", "--fork", "--mount-proc"];
const canUnshare = spawnSync("unshare", [...unshareArguments, "true"]).status === 0;
const skipReason = canUnshare ? "" : " (skipped: `unshare --pid --fork --mount-proc` is not permitted here)";

function cliInOwnPidNamespace(args: string[], env: Record<string, string>, cwd: string): Promise<CliResult> {
  const child = spawn(
    "unshare",
    [...unshareArguments, process.execPath, path.join(repositoryRoot, "bin/tansuo.js"), ...args],
    {
      cwd,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: tmpdir(), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on("close", (exitCode) => resolve({ exitCode, stdout, stderr })));
}

const tickUntilReleased = "until [ -e release ]; do echo tick >> ticks; sleep 0.05; done";

describe("a run's lease seen from another PID namespace", () => {
  it.skipIf(!canUnshare)(
    `is refused while the owner renews it, taken only once it lapsed, and the old owner then stops at once${skipReason}`,
    async () => {
      const server = await startDeepSeekServer({
        apiKey,
        script: [
          {
            toolCalls: [{ id: "tick", name: "run_command", arguments: { command: tickUntilReleased } }],
            usage: { promptTokens: 900, completionTokens: 20 },
          },
          { content: "never asked", usage: { promptTokens: 950, completionTokens: 5 } },
        ],
      });
      const sandbox = cliSandbox();
      mkdirSync(sandbox.workspace, { recursive: true });
      const ticks = path.join(sandbox.workspace, "ticks");
      const read = () => (existsSync(ticks) ? readFileSync(ticks, "utf8") : "");
      cleanups.push(
        () => server.close(),
        () => rmSync(sandbox.folder, { recursive: true, force: true }),
        () => writeFileSync(path.join(sandbox.workspace, "release"), ""),
      );
      const env = {
        TANSUO_HOME: sandbox.home,
        DEEPSEEK_API_KEY: apiKey,
        TANSUO_RETRY_SCALE: "0.01",
        TANSUO_LEASE_MILLISECONDS: "1000",
      };
      const cli = (args: string[]) => runCli(args, { env, cwd: sandbox.workspace });
      const owner = spawnCli(
        ["run", "--model", "deepseek-v4-flash", "--base-url", server.url, "--approval", "auto", "--json", "tick"],
        { env, cwd: sandbox.workspace },
      );
      cleanups.push(() => {
        owner.kill("SIGKILL");
      });
      await waitFor(() => read() !== "");
      const [run] = JSON.parse((await cli(["runs", "list", "--json"])).stdout);
      const resume = ["resume", run.id, "--approval", "auto", "--json"];

      // The owner lives and renews: from the other namespace its pid looks gone, which proves nothing.
      const refused = await cliInOwnPidNamespace(resume, env, sandbox.workspace);
      expect(refused.stderr).toMatch(/being executed by another process \(pid \d+ on .*\), which is still alive/);
      expect(refused.exitCode).toBe(1);

      // Stopped, it renews nothing: once its lease lapsed, the other namespace may take the run, as another host.
      owner.kill("SIGSTOP");
      await sleep(2000);
      const taken = await cliInOwnPidNamespace(resume, env, sandbox.workspace);
      owner.kill("SIGCONT");
      expect(JSON.parse(taken.stdout).status).toBe("awaiting_approval");

      const continuedAt = Date.now();
      const ended = await owner.result;
      expect(Date.now() - continuedAt).toBeLessThan(2000);
      expect(ended.stderr).not.toMatch(/UNIQUE/);
      // The old owner asked the model nothing more and wrote no step; the call stays interrupted for a person.
      expect(server.requests).toHaveLength(1);
      const shown = JSON.parse((await cli(["runs", "show", run.id, "--json"])).stdout);
      expect(shown.status).toBe("awaiting_approval");
      expect(shown.steps).toHaveLength(1);
      expect(shown.steps[0].toolCalls[0]).toMatchObject({ callId: "tick", status: "started" });
    },
    30_000,
  );
});
