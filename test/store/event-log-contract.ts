import { describe, expect, it } from "vitest";
import { settings } from "./contract-fixtures.ts";
import type { StoreUnderTest } from "./store-under-test.ts";

/** The EventLog every Store must keep: each run's events in order, replayed after a sequence number. */
export function eventLogContract(name: string, open: () => StoreUnderTest) {
  describe(`EventLog contract: ${name}`, () => {
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

    it("appends a batch of events in one write, numbered in the order given", async () => {
      const { store, cleanup } = open();
      const run = await store.createRun({ settings });
      const first = await store.appendEvent(run.id, "status", { status: "running" });
      const batch = await store.appendEvents(run.id, [
        { type: "step-started", data: { step: 0 } },
        { type: "tool-call", data: { callId: "c" } },
        { type: "tool-result", data: { callId: "c" } },
      ]);
      expect(batch.map((event) => event.type)).toEqual(["step-started", "tool-call", "tool-result"]);
      expect(batch[0]!.sequence).toBeGreaterThan(first.sequence);
      expect(batch[2]!.sequence).toBeGreaterThan(batch[1]!.sequence);
      expect(batch[1]!.sequence).toBeGreaterThan(batch[0]!.sequence);
      expect(await store.listEvents(run.id, batch[0]!.sequence)).toEqual(batch.slice(1));
      expect(await store.appendEvents(run.id, [])).toEqual([]);
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
  });
}
