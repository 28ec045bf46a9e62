import { describe, expect, it } from "vitest";
import { emptyUsage } from "../../src/cost/usage.ts";
import type { RunSettings } from "../../src/store/records.ts";
import { budgetHoldContract } from "./budget-hold-contract.ts";
import type { StoreUnderTest } from "./store-under-test.ts";

const settings: RunSettings = {
  task: "t",
  model: "m",
  workspace: "/tmp",
  maxSteps: 5,
  thinking: "auto",
  approval: "deny",
  tools: ["read_file"],
  alwaysAllowedTools: [],
};

const usage = (input: number, output: number) => ({
  ...emptyUsage(),
  inputTokens: input,
  cacheMissTokens: input,
  outputTokens: output,
});

/** The behaviour every Store implementation must have; run it against each one. */
export function storeContract(name: string, open: () => StoreUnderTest) {
  describe(`Store contract: ${name}`, () => {
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

    it("keeps events in order for replay after a sequence number", async () => {
      const { store, cleanup } = open();
      const run = await store.createRun({ settings });
      const first = await store.appendEvent(run.id, "status", { status: "running" });
      await store.appendEvent(run.id, "text-delta", { text: "a" });
      await store.appendEvent(run.id, "text-delta", { text: "b" });
      expect((await store.listEvents(run.id)).map((event) => event.type)).toEqual([
        "status",
        "text-delta",
        "text-delta",
      ]);
      expect((await store.listEvents(run.id, first.sequence)).map((event) => event.data)).toEqual([
        { text: "a" },
        { text: "b" },
      ]);
      expect((await store.lastEvent(run.id, "text-delta"))?.data).toEqual({ text: "b" });
      expect(await store.lastEvent(run.id, "step-started")).toBeUndefined();
      cleanup();
    });

    it("stores API keys by hash, meters spend per key, and groups usage per key, model and day", async () => {
      const { store, cleanup } = open();
      await store.createApiKey({
        id: "key_a",
        name: "a",
        prefix: "tsk_abcd",
        hash: "h1",
        budgetUsd: "1",
        createdAt: new Date().toISOString(),
      });
      await store.createApiKey({
        id: "key_b",
        name: "b",
        prefix: "tsk_efgh",
        hash: "h2",
        createdAt: new Date().toISOString(),
      });
      const at = "2026-11-28T10:00:00.000Z";
      await store.recordLedger({ at, keyId: "key_a", model: "m1", usage: usage(10, 1), costUsd: "0.1", price: {} });
      await store.recordLedger({ at, keyId: "key_a", model: "m1", usage: usage(10, 1), costUsd: "0.2", price: {} });
      await store.recordLedger({ at, keyId: "key_b", model: "m2", usage: usage(5, 5), costUsd: "0.05", price: {} });
      expect(await store.spentByKey("key_a")).toBe("0.3");
      expect((await store.findApiKeyByHash("h1"))?.id).toBe("key_a");
      expect(await store.usageRows({ keyId: "key_a" })).toEqual([
        { keyId: "key_a", model: "m1", day: "2026-11-28", requests: 2, usage: { ...usage(20, 2) }, costUsd: "0.3" },
      ]);
      expect((await store.findApiKeyByHash("h2"))?.revokedAt).toBeUndefined();
      expect(await store.revokeApiKey("tsk_efgh")).toBe(true);
      expect((await store.listApiKeys()).find((key) => key.id === "key_b")?.revokedAt).toBeDefined();
      // A revocation made through the store is seen by the next lookup, whatever the store keeps in memory.
      expect((await store.findApiKeyByHash("h2"))?.revokedAt).toBeDefined();
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

    it("keeps everything across a reopen", async () => {
      const { store, reopen, cleanup } = open();
      const run = await store.createRun({ settings });
      await store.appendEvent(run.id, "status", {});
      store.close();
      const again = reopen();
      expect((await again.getRun(run.id))?.settings).toEqual(settings);
      expect(await again.listEvents(run.id)).toHaveLength(1);
      again.close();
      cleanup();
    });

    budgetHoldContract(open);
  });
}
