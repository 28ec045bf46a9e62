import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ownerHost } from "../../src/store/process-owner.ts";
import { settings, usage } from "./contract-fixtures.ts";
import type { StoreUnderTest } from "./store-under-test.ts";

/** The RunStateStore every Store must be: runs, steps committed whole, tool calls, leases and step starts. */
export function runStateContract(name: string, open: () => StoreUnderTest) {
  describe(`RunStateStore contract: ${name}`, () => {
    it("creates, lists and updates runs, newest first, filtered by owner", async () => {
      const { store, cleanup } = open();
      const first = await store.createRun({ settings });
      const second = await store.createRun({ settings: { ...settings, task: "second" }, ownerKeyId: "key_a" });
      expect(first.status).toBe("queued");
      expect((await store.listRuns()).map((run) => run.id)).toEqual([second.id, first.id]);
      expect((await store.listRuns({ ownerKeyId: "key_a" })).map((run) => run.id)).toEqual([second.id]);
      expect(await store.setRunStatus(first.id, "failed", { error: "boom" })).toMatchObject({
        status: "failed",
        error: "boom",
      });
      expect(await store.getRun("nope")).toBeUndefined();
      cleanup();
    });

    it("filters runs by status, model, task text, page and update time, newest first, with a limit", async () => {
      const { store, cleanup } = open();
      const oldest = await store.createRun({ settings: { ...settings, task: "Fix the 100% CPU bug" } });
      const middle = await store.createRun({ settings: { ...settings, model: "other", task: "write docs" } });
      const newest = await store.createRun({ settings: { ...settings, task: "fix the parser" }, ownerKeyId: "key_a" });
      await store.setRunStatus(middle.id, "running");
      const ids = async (filter: Parameters<typeof store.listRuns>[0]) =>
        (await store.listRuns(filter)).map((run) => run.id);
      expect(await ids({ status: "running" })).toEqual([middle.id]);
      expect(await ids({ model: "m" })).toEqual([newest.id, oldest.id]);
      expect(await ids({ taskContains: "FIX" })).toEqual([newest.id, oldest.id]);
      // Characters LIKE would take as patterns are searched as themselves.
      expect(await ids({ taskContains: "100%" })).toEqual([oldest.id]);
      expect(await ids({ taskContains: "_" })).toEqual([]);
      expect(await ids({ beforeRunId: newest.id })).toEqual([middle.id, oldest.id]);
      expect(await ids({ beforeRunId: middle.id, limit: 1 })).toEqual([oldest.id]);
      expect(await ids({ beforeRunId: "run_unknown" })).toEqual([]);
      expect(await ids({ taskContains: "fix", ownerKeyId: "key_a" })).toEqual([newest.id]);
      expect(await ids({ limit: 2 })).toEqual([newest.id, middle.id]);
      const changed = (await store.getRun(middle.id))!.updatedAt;
      expect(await ids({ updatedSince: changed })).toContain(middle.id);
      expect(await ids({ updatedSince: "2999-01-01T00:00:00.000Z" })).toEqual([]);
      cleanup();
    });

    it("commits a step, its ledger row and its tool calls in one transaction, adding exact totals", async () => {
      const { store, cleanup } = open();
      const run = await store.createRun({ settings });
      for (const [index, cost] of [["0.1"], ["0.2"]].entries()) {
        await store.commitStep({
          step: {
            runId: run.id,
            index,
            assistant: { text: "", toolCalls: [{ id: `c${index}`, name: "read_file", input: "{}" }] },
            finishReason: "tool_calls",
            usage: usage(100, 10),
            costUsd: cost[0]!,
            price: { output: "1" },
            model: "m",
            createdAt: new Date().toISOString(),
          },
          ledger: {
            at: new Date().toISOString(),
            runId: run.id,
            model: "m",
            usage: usage(100, 10),
            costUsd: cost[0]!,
            price: {},
          },
          toolCalls: [
            {
              runId: run.id,
              stepIndex: index,
              position: 0,
              callId: `c${index}`,
              toolName: "read_file",
              input: "{}",
              status: "planned",
              isError: false,
            },
          ],
        });
      }
      const after = (await store.getRun(run.id))!;
      expect(after.costUsd).toBe("0.3");
      expect(after.stepCount).toBe(2);
      expect(after.usage.inputTokens).toBe(200);
      expect((await store.listSteps(run.id)).map((step) => step.index)).toEqual([0, 1]);
      await store.updateToolCall(run.id, "c0", { status: "finished", output: "ok", isError: false });
      expect((await store.listToolCalls(run.id)).map((call) => call.status)).toEqual(["finished", "planned"]);
      cleanup();
    });

    it("a failing step commit leaves nothing behind", async () => {
      const { store, cleanup } = open();
      const run = await store.createRun({ settings });
      const step = {
        runId: run.id,
        index: 0,
        assistant: { text: "x", toolCalls: [] },
        finishReason: "stop",
        usage: usage(1, 1),
        costUsd: "0.5",
        price: {},
        model: "m",
        createdAt: new Date().toISOString(),
      };
      const call = {
        runId: run.id,
        stepIndex: 0,
        position: 0,
        callId: "dup",
        toolName: "t",
        input: "{}",
        status: "planned" as const,
        isError: false,
      };
      await expect(
        store.commitStep({
          step,
          ledger: { at: step.createdAt, model: "m", usage: step.usage, costUsd: "0.5", price: {} },
          toolCalls: [call, call],
        }),
      ).rejects.toThrow();
      expect(await store.listSteps(run.id)).toEqual([]);
      expect((await store.getRun(run.id))?.costUsd).toBe("0");
      expect(await store.usageRows()).toEqual([]);
      cleanup();
    });

    it("leases a run to one owner at a time, and lets a dead owner's lease be replaced", async () => {
      const { store, cleanup } = open();
      const run = await store.createRun({ settings });
      expect(await store.claimRun(run.id, "host:1:a", 60_000)).toBe(true);
      expect(await store.claimRun(run.id, "host:2:b", 60_000)).toBe(false);
      expect((await store.getRun(run.id))?.leaseOwner).toBe("host:1:a");
      expect(await store.claimRun(run.id, "host:2:b", 60_000, "host:1:a")).toBe(true);
      await store.releaseRun(run.id, "host:2:b");
      expect((await store.getRun(run.id))?.leaseOwner).toBeUndefined();
      expect(await store.claimRun(run.id, "host:3:c", 60_000)).toBe(true);
      cleanup();
    });

    it("lets a worker claim the oldest run queued for workers, once, and take over only a provably gone owner's", async () => {
      const { store, cleanup } = open();
      const worker = `${ownerHost()}:${process.pid}:worker1`;
      const other = `${ownerHost()}:${process.pid}:worker2`;
      const forWorkers = { ...settings, onWorkers: true };
      await store.createRun({ settings });
      const first = await store.createRun({ settings: { ...forWorkers, task: "first" } });
      const second = await store.createRun({ settings: { ...forWorkers, task: "second" } });
      const finished = await store.createRun({ settings: forWorkers });
      await store.setRunStatus(finished.id, "succeeded", { output: "done" });
      const waiting = await store.createRun({ settings: forWorkers });
      await store.setRunStatus(waiting.id, "awaiting_approval");

      const claimed = await store.claimQueuedRun(worker, 60_000);
      expect(claimed).toMatchObject({ id: first.id, status: "queued", leaseOwner: worker });
      expect((await store.leaseOf(first.id))?.owner).toBe(worker);
      expect((await store.claimQueuedRun(other, 60_000))?.id).toBe(second.id);
      // Runs not left for workers, finished or waiting for a person are never claimed; held ones are skipped.
      expect(await store.claimQueuedRun(other, 60_000)).toBeUndefined();

      // A live owner keeps its run long past its lease; one on another machine loses it only once it lapsed.
      await store.releaseRun(first.id, worker);
      await store.setRunStatus(first.id, "running");
      expect(await store.claimRun(first.id, `${ownerHost()}:${process.ppid}:alive`, 1)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await store.claimQueuedRun(other, 60_000)).toBeUndefined();
      await store.releaseRun(first.id, `${ownerHost()}:${process.ppid}:alive`);
      expect(await store.claimRun(first.id, "another-machine:42:abc", 60_000)).toBe(true);
      expect(await store.claimQueuedRun(other, 60_000)).toBeUndefined();
      await store.releaseRun(first.id, "another-machine:42:abc");
      expect(await store.claimRun(first.id, "another-machine:42:abc", 1)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await store.claimQueuedRun(other, 60_000))?.id).toBe(first.id);

      // A worker that died mid-run (its pid gone on this machine) loses the run to the next claim.
      const gone = `${ownerHost()}:${spawnSync("true").pid}:deadbeef`;
      expect(await store.claimRun(second.id, gone, 60_000, other)).toBe(true);
      await store.setRunStatus(second.id, "running");
      const takenOver = await store.claimQueuedRun(worker, 60_000);
      expect(takenOver).toMatchObject({ id: second.id, status: "running", leaseOwner: worker });
      expect(await store.renewRun(second.id, gone, 60_000)).toBe(false);
      cleanup();
    });

    it("gives each queued run to one claimer when many claim at once", async () => {
      const { store, reopen, cleanup } = open();
      const other = reopen();
      const ids = new Set<string>();
      for (let index = 0; index < 20; index += 1) {
        ids.add((await store.createRun({ settings: { ...settings, onWorkers: true, task: `t${index}` } })).id);
      }
      const claims = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          (index % 2 === 0 ? store : other).claimQueuedRun(`${ownerHost()}:${process.pid}:claimer${index}`, 60_000),
        ),
      );
      const claimed = claims.filter((run) => run !== undefined).map((run) => run.id);
      expect(claimed.length).toBe(20);
      expect(new Set(claimed)).toEqual(ids);
      await other.close();
      cleanup();
    });

    it("starts a tool call once, never after it finished, and keeps a cancel final", async () => {
      const { store, cleanup } = open();
      const run = await store.createRun({ settings });
      await store.commitStep({
        step: {
          runId: run.id,
          index: 0,
          assistant: { text: "", toolCalls: [] },
          finishReason: "tool_calls",
          usage: usage(1, 1),
          costUsd: "0",
          price: {},
          model: "m",
          createdAt: new Date().toISOString(),
        },
        ledger: { at: new Date().toISOString(), model: "m", usage: usage(1, 1), costUsd: "0", price: {} },
        toolCalls: [
          {
            runId: run.id,
            stepIndex: 0,
            position: 0,
            callId: "c",
            toolName: "t",
            input: "{}",
            status: "planned",
            isError: false,
          },
        ],
      });
      expect(await store.startToolCall(run.id, "c", new Date().toISOString())).toBe(true);
      await store.updateToolCall(run.id, "c", { status: "finished", output: "done" });
      expect(await store.startToolCall(run.id, "c", new Date().toISOString())).toBe(false);
      await store.setRunStatus(run.id, "cancelled", { error: "by the user" });
      expect((await store.setRunStatus(run.id, "succeeded", { output: "late" })).status).toBe("cancelled");
      cleanup();
    });

    it("keeps the latest step start as typed numbers, across a reopen", async () => {
      const { store, reopen, cleanup } = open();
      const run = await store.createRun({ settings });
      expect(await store.lastStepStart(run.id)).toBeUndefined();
      await store.recordStepStart(run.id, { index: 0, promptTokens: 1200, maxOutputTokens: 4096 });
      await store.recordStepStart(run.id, { index: 1, promptTokens: 1500, maxOutputTokens: 2048 });
      const again = reopen();
      expect(await again.lastStepStart(run.id)).toStrictEqual({ index: 1, promptTokens: 1500, maxOutputTokens: 2048 });
      await again.close();
      cleanup();
    });

    it("writes a step start with the last step's finishes and events riding along, refused whole without the lease", async () => {
      const { store, cleanup } = open();
      const run = await store.createRun({ settings });
      expect(await store.claimRun(run.id, "host:1:a", 60_000)).toBe(true);
      const at = new Date().toISOString();
      const committed = await store.commitStep({
        run,
        leaseOwner: "host:1:a",
        step: {
          runId: run.id,
          index: 0,
          assistant: { text: "", toolCalls: [{ id: "c0", name: "read_file", input: "{}" }] },
          finishReason: "tool_calls",
          usage: usage(100, 10),
          costUsd: "0.25",
          price: {},
          model: "m",
          createdAt: at,
        },
        ledger: { at, runId: run.id, model: "m", usage: usage(100, 10), costUsd: "0.25", price: {} },
        toolCalls: [
          {
            runId: run.id,
            stepIndex: 0,
            position: 0,
            callId: "c0",
            toolName: "read_file",
            input: "{}",
            status: "started",
            startedAt: at,
            isError: false,
          },
        ],
      });
      // The run given comes back with the new totals; its settings are the caller's, not read back.
      expect(committed).toMatchObject({ id: run.id, settings, costUsd: "0.25", stepCount: 1, status: "queued" });
      expect(committed.usage.inputTokens).toBe(100);
      expect(await store.listToolCalls(run.id)).toMatchObject([{ callId: "c0", status: "started", startedAt: at }]);

      const finish = { status: "finished" as const, output: "ok", isError: false, finishedAt: at };
      const stored = await store.recordStepStart(
        run.id,
        { index: 1, promptTokens: 300, maxOutputTokens: 100 },
        {
          leaseOwner: "host:1:a",
          along: {
            toolCalls: [{ callId: "c0", change: finish }],
            events: [
              { type: "tool-result", data: { callId: "c0" } },
              { type: "step-started", data: { step: 1 } },
            ],
          },
        },
      );
      expect(stored.map((event) => event.type)).toEqual(["tool-result", "step-started"]);
      expect(stored[1]!.sequence).toBeGreaterThan(stored[0]!.sequence);
      expect(await store.listEvents(run.id)).toEqual(stored);
      expect(await store.listToolCalls(run.id)).toMatchObject([{ callId: "c0", status: "finished", output: "ok" }]);
      expect(await store.lastStepStart(run.id)).toStrictEqual({ index: 1, promptTokens: 300, maxOutputTokens: 100 });

      // Another owner holds the run now: neither write of the old owner keeps anything.
      expect(await store.claimRun(run.id, "host:2:b", 60_000, "host:1:a")).toBe(true);
      await expect(
        store.recordStepStart(
          run.id,
          { index: 2, promptTokens: 1, maxOutputTokens: 1 },
          {
            leaseOwner: "host:1:a",
            along: { toolCalls: [{ callId: "c0", change: { output: "late" } }], events: [{ type: "x", data: {} }] },
          },
        ),
      ).rejects.toThrow(/another process took it over/);
      await expect(
        store.commitStep({
          leaseOwner: "host:1:a",
          step: {
            runId: run.id,
            index: 1,
            assistant: { text: "late", toolCalls: [] },
            finishReason: "stop",
            usage: usage(1, 1),
            costUsd: "1",
            price: {},
            model: "m",
            createdAt: at,
          },
          ledger: { at, runId: run.id, model: "m", usage: usage(1, 1), costUsd: "1", price: {} },
          toolCalls: [],
        }),
      ).rejects.toThrow(/another process took it over/);
      expect(await store.lastStepStart(run.id)).toStrictEqual({ index: 1, promptTokens: 300, maxOutputTokens: 100 });
      expect(await store.listEvents(run.id)).toEqual(stored);
      expect((await store.listToolCalls(run.id))[0]?.output).toBe("ok");
      expect(await store.listSteps(run.id)).toHaveLength(1);
      expect((await store.getRun(run.id))?.costUsd).toBe("0.25");
      expect(await store.usageRows()).toMatchObject([{ requests: 1, costUsd: "0.25" }]);
      cleanup();
    });

    it("changes several tool calls in one write, in order", async () => {
      const { store, cleanup } = open();
      const run = await store.createRun({ settings });
      const at = new Date().toISOString();
      const call = (callId: string, position: number) => ({
        runId: run.id,
        stepIndex: 0,
        position,
        callId,
        toolName: "read_file",
        input: "{}",
        status: "planned" as const,
        isError: false,
      });
      await store.commitStep({
        step: {
          runId: run.id,
          index: 0,
          assistant: { text: "", toolCalls: [] },
          finishReason: "tool_calls",
          usage: usage(1, 1),
          costUsd: "0",
          price: {},
          model: "m",
          createdAt: at,
        },
        ledger: { at, model: "m", usage: usage(1, 1), costUsd: "0", price: {} },
        toolCalls: [call("a", 0), call("b", 1)],
      });
      await store.updateToolCalls(run.id, [
        { callId: "a", change: { status: "started", startedAt: at } },
        { callId: "b", change: { status: "finished", output: "first", isError: true } },
        { callId: "a", change: { status: "finished", output: "second", isError: false, finishedAt: at } },
      ]);
      expect(await store.listToolCalls(run.id)).toMatchObject([
        { callId: "a", status: "finished", output: "second", isError: false, startedAt: at, finishedAt: at },
        { callId: "b", status: "finished", output: "first", isError: true },
      ]);
      cleanup();
    });
    it("keeps a run's images and a tool call's images byte for byte, across a reopen", async () => {
      const { store, reopen, cleanup } = open();
      const image = { mediaType: "image/png", base64: "iVBORw0KGgo=" };
      const run = await store.createRun({ settings: { ...settings, images: [image] } });
      const call = {
        runId: run.id,
        stepIndex: 0,
        position: 0,
        callId: "c",
        toolName: "read_file",
        input: "{}",
        status: "planned" as const,
        isError: false,
      };
      await store.commitStep({
        step: {
          runId: run.id,
          index: 0,
          assistant: { text: "", toolCalls: [{ id: "c", name: "read_file", input: "{}" }] },
          finishReason: "tool-calls",
          usage: usage(1, 1),
          costUsd: "0",
          price: {},
          model: "m",
          createdAt: new Date().toISOString(),
        },
        ledger: {
          at: new Date().toISOString(),
          runId: run.id,
          model: "m",
          usage: usage(1, 1),
          costUsd: "0",
          price: {},
        },
        toolCalls: [call, { ...call, callId: "d", position: 1 }],
      });
      await store.updateToolCall(run.id, "c", { status: "finished", output: "a picture", outputImages: [image] });
      await store.updateToolCall(run.id, "d", { status: "finished", output: "text only" });
      const again = reopen();
      expect((await again.getRun(run.id))?.settings.images).toEqual([image]);
      const [withImage, textOnly] = await again.listToolCalls(run.id);
      expect(withImage?.outputImages).toEqual([image]);
      expect(textOnly?.outputImages).toBeUndefined();
      await again.close();
      cleanup();
    });

    it("adds a message to a finished run after its steps and queues it; refuses a running, queued or cancelled run", async () => {
      const { store, reopen, cleanup } = open();
      const run = await store.createRun({ settings });
      expect(await store.addRunMessage(run.id, "too early")).toBeUndefined();
      await store.setRunStatus(run.id, "running");
      expect(await store.addRunMessage(run.id, "while running")).toBeUndefined();
      await store.setRunStatus(run.id, "succeeded", { output: "first answer" });
      expect(await store.claimRun(run.id, "other:1:x", 15_000)).toBe(true);
      expect(await store.addRunMessage(run.id, "while leased")).toBeUndefined();
      await store.releaseRun(run.id, "other:1:x");
      const first = await store.addRunMessage(run.id, "and then?");
      expect(first).toMatchObject({ runId: run.id, index: 0, afterStep: 0, content: "and then?" });
      // Its event for followers is written in the same transaction.
      expect((await store.listEvents(run.id)).map(({ sequence, type, data }) => ({ sequence, type, data }))).toEqual([
        {
          sequence: first!.event.sequence,
          type: "user-message",
          data: { type: "user-message", index: 0, afterStep: 0, content: "and then?" },
        },
      ]);
      expect(await store.getRun(run.id)).toMatchObject({ status: "queued", error: undefined });
      expect(await store.addRunMessage(run.id, "queued already")).toBeUndefined();
      await store.setRunStatus(run.id, "budget_exhausted", { error: "spent" });
      expect(await store.addRunMessage(run.id, "more")).toMatchObject({ index: 1 });
      await store.setRunStatus(run.id, "cancelled");
      expect(await store.addRunMessage(run.id, "after a cancel")).toBeUndefined();
      const again = reopen();
      expect((await again.listRunMessages(run.id)).map((message) => message.content)).toEqual(["and then?", "more"]);
      expect(await again.listRunMessages("nope")).toEqual([]);
      await again.close();
      cleanup();
    });

    it("tells many runs' status and lease owner in one read, a lapsed lease's owner included", async () => {
      const { store, cleanup } = open();
      const held = await store.createRun({ settings });
      const lapsed = await store.createRun({ settings });
      const free = await store.createRun({ settings });
      expect(await store.claimRun(held.id, "host-a:1:held0000", 60_000)).toBe(true);
      expect(await store.claimRun(lapsed.id, "host-b:2:lapsed00", 1)).toBe(true);
      await store.setRunStatus(free.id, "cancelled");
      await new Promise((resolve) => setTimeout(resolve, 5));
      const states = await store.runStatesOf([free.id, "run_missing", held.id, lapsed.id]);
      expect(states.sort((left, right) => left.id.localeCompare(right.id))).toEqual(
        [
          { id: held.id, status: "queued", leaseOwner: "host-a:1:held0000" },
          { id: lapsed.id, status: "queued", leaseOwner: "host-b:2:lapsed00" },
          { id: free.id, status: "cancelled", leaseOwner: undefined },
        ].sort((left, right) => left.id.localeCompare(right.id)),
      );
      expect(await store.runStatesOf([])).toEqual([]);
      cleanup();
    });
  });
}
