import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runWorker, startRun } from "../../src/agent/index.ts";
import type { RunRecord } from "../../src/store/records.ts";
import { scriptedHarness } from "../support/agent-harness.ts";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const append = (line: string) => ({ name: "run_command", input: { command: `echo ${line} >> effects.txt` } });

describe("a worker's stop (issue 13)", () => {
  it("lets the running step and its tools commit, queues the run again, and another worker continues it", async () => {
    const stop = new AbortController();
    const harness = scriptedHarness([
      { toolCalls: [append("first")] },
      // The stop comes while the second call is out: this step and its command still complete.
      { toolCalls: [append("second")], expect: () => stop.abort() },
      { text: "Both appended." },
    ]);
    cleanups.push(harness.cleanup);
    const run = await startRun(harness.runtime, {
      task: "append twice",
      model: "scripted",
      workspace: harness.workspace,
      approval: "auto",
      onWorkers: true,
    });
    const ended: RunRecord[] = [];
    const first = await runWorker(harness.runtime, {
      concurrency: 1,
      stop: stop.signal,
      idleMilliseconds: 10,
      onFinished: (record) => ended.push(record),
    });
    expect(first).toEqual({ claimed: 1 });
    expect(ended[0]).toMatchObject({ id: run.id, status: "queued", stepCount: 2 });
    const statuses = (await harness.store.listEvents(run.id)).filter((event) => event.type === "status");
    expect(statuses.map((event) => (event.data as { status: string }).status)).toEqual(["running", "queued"]);
    expect((await harness.store.getRun(run.id))?.leaseOwner).toBeUndefined();
    expect(readFileSync(path.join(harness.workspace, "effects.txt"), "utf8")).toBe("first\nsecond\n");

    const again = new AbortController();
    const second = runWorker(harness.runtime, {
      concurrency: 1,
      stop: again.signal,
      idleMilliseconds: 10,
      onFinished: (record) => {
        ended.push(record);
        again.abort();
      },
    });
    expect(await second).toEqual({ claimed: 1 });
    expect(ended[1]).toMatchObject({ id: run.id, status: "succeeded", output: "Both appended.", stepCount: 3 });
    expect(readFileSync(path.join(harness.workspace, "effects.txt"), "utf8")).toBe("first\nsecond\n");
    harness.model.assertFinished();
  });
});
