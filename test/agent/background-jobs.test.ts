import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { hostname } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { executeRun, type RunEvent, startRun } from "../../src/agent/index.ts";
import { processStartTime } from "../../src/tools/jobs/process-start-time.ts";
import { scriptedHarness } from "../support/agent-harness.ts";

let harness: ReturnType<typeof scriptedHarness>;
const spawned: number[] = [];
afterEach(() => {
  for (const pid of spawned.splice(0)) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {}
  }
  harness?.cleanup();
});

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const toolText = (options: { prompt: unknown[] }) => JSON.stringify(options.prompt.at(-1));
const settings = () => ({ task: "serve", model: "scripted", workspace: harness.workspace, approval: "auto" as const });
const prepare = () => {
  harness.runtime.toolPolicy.sandbox = "off";
  harness.runtime.jobsFolder = path.join(harness.folder, "jobs");
};

describe("background jobs", () => {
  it("a server started in the background is reachable by a later call, readable, and gone when the run ends", async () => {
    const port = await freePort();
    const server =
      `node -e "require('http').createServer((q,s)=>{console.log('got '+q.url);s.end('hello from job')})` +
      `.listen(${port},'127.0.0.1',()=>console.log('listening on ${port}'))"`;
    let recordedWhileRunning = false;
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: server, background: true } }] },
      {
        toolCalls: [
          {
            name: "run_command",
            input: { command: `node -e "fetch('http://127.0.0.1:${port}/page').then(r=>r.text()).then(console.log)"` },
          },
        ],
        expect: (options) => {
          expect(toolText(options)).toContain("started job_1");
          expect(toolText(options)).toContain(`listening on ${port}`);
          recordedWhileRunning = existsSync(path.join(harness.folder, "jobs", `${runId}.json`));
        },
      },
      {
        toolCalls: [{ name: "job_output", input: { job_id: "job_1" } }],
        expect: (options) => expect(toolText(options)).toContain("hello from job"),
      },
      {
        text: "served",
        expect: (options) => {
          expect(toolText(options)).toContain("got /page");
          expect(toolText(options)).toContain("job_1 running");
        },
      },
    ]);
    prepare();
    const run = await startRun(harness.runtime, settings());
    const runId = run.id;
    const events: RunEvent[] = [];
    const finished = await executeRun(harness.runtime, run.id, { onEvent: (event) => events.push(event) });
    expect(finished.status).toBe("succeeded");
    expect(recordedWhileRunning).toBe(true);
    const jobEvents = events.filter((event) => event.type === "job");
    expect(jobEvents.map((event) => event.state)).toEqual(["started", "stopped"]);
    const started = (await harness.store.listToolCalls(run.id))[0]!.output ?? "";
    const pid = Number(/pid (\d+)/.exec(started)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(path.join(harness.folder, "jobs", `${run.id}.json`))).toBe(false);
  });

  it("job_stop ends a job's whole process group", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "run_command", input: { command: "sleep 30 & sleep 30; wait", background: true } }] },
      {
        toolCalls: [{ name: "job_stop", input: { job_id: "job_1" } }],
        expect: (options) => expect(toolText(options)).toContain("running"),
      },
      {
        toolCalls: [{ name: "job_output", input: { job_id: "job_9" } }],
        expect: (options) => expect(toolText(options)).toMatch(/job_1 stopped \(signal SIGTERM\)/),
      },
      { text: "stopped", expect: (options) => expect(toolText(options)).toContain("No background job job_9") },
    ]);
    prepare();
    const run = await startRun(harness.runtime, settings());
    const events: RunEvent[] = [];
    expect((await executeRun(harness.runtime, run.id, { onEvent: (event) => events.push(event) })).status).toBe(
      "succeeded",
    );
    expect(events.filter((event) => event.type === "job").map((event) => event.state)).toEqual(["started", "stopped"]);
  });

  it("a crashed owner's recorded jobs are killed when the run executes again; a reused pid is not", async () => {
    harness = scriptedHarness([{ text: "resumed" }]);
    prepare();
    const run = await startRun(harness.runtime, settings());
    const orphan = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
    const bystander = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
    spawned.push(orphan.pid!, bystander.pid!);
    const deadOwner = spawn("true");
    await new Promise((resolve) => deadOwner.once("exit", resolve));
    const owner = { host: hostname(), ownerPid: deadOwner.pid!, ownerStartTime: "1" };
    const record = (jobId: string, pid: number, startTime: string) => ({
      jobId,
      command: "sleep 30",
      pid,
      processGroupId: pid,
      startTime,
      ...owner,
    });
    mkdirSync(harness.runtime.jobsFolder!, { recursive: true });
    writeFileSync(
      path.join(harness.runtime.jobsFolder!, `${run.id}.json`),
      JSON.stringify({
        runId: run.id,
        jobs: [
          record("job_1", orphan.pid!, processStartTime(orphan.pid!)!),
          // The recorded process is gone and its pid belongs to another process now (another start time).
          record("job_2", bystander.pid!, "12345"),
        ],
      }),
    );
    const orphanExit = new Promise((resolve) => orphan.once("exit", (_code, signal) => resolve(signal)));
    expect((await executeRun(harness.runtime, run.id)).status).toBe("succeeded");
    expect(await orphanExit).toBe("SIGKILL");
    expect(isAlive(bystander.pid!)).toBe(true);
    expect(existsSync(path.join(harness.runtime.jobsFolder!, `${run.id}.json`))).toBe(false);
  });
});
