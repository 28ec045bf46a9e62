import { describe, expect, it } from "vitest";
import { settings } from "./contract-fixtures.ts";
import type { StoreUnderTest } from "./store-under-test.ts";

/** Steering: messages stored while a run works, moved into its messages at a tool boundary or as the next turn. */
export function pendingMessageContract(name: string, open: () => StoreUnderTest) {
  describe(`Pending message contract: ${name}`, () => {
    it("keeps messages stored while the run is held, and moves them once, in order, only for the holder", async () => {
      const { store, reopen, cleanup } = open();
      const run = await store.createRun({ settings });
      await store.setRunStatus(run.id, "running");
      expect(await store.claimRun(run.id, "host:1:owner", 60_000)).toBe(true);
      await store.addPendingRunMessage(run.id, "use tabs");
      await store.addPendingRunMessage(run.id, "and test it");
      const again = reopen();
      expect((await again.listPendingRunMessages(run.id)).map((message) => message.content)).toEqual([
        "use tabs",
        "and test it",
      ]);
      // Another process, or nobody in particular, cannot take them while the owner holds the run.
      expect(await again.deliverPendingRunMessages(run.id, { leaseOwner: "host:2:other" })).toEqual([]);
      expect(await again.deliverPendingRunMessages(run.id)).toEqual([]);
      const moved = await again.deliverPendingRunMessages(run.id, { leaseOwner: "host:1:owner" });
      expect(moved.map(({ index, afterStep, content }) => ({ index, afterStep, content }))).toEqual([
        { index: 0, afterStep: 0, content: "use tabs" },
        { index: 1, afterStep: 0, content: "and test it" },
      ]);
      expect((await again.listEvents(run.id)).filter((event) => event.type === "user-message")).toHaveLength(2);
      expect(await again.listPendingRunMessages(run.id)).toEqual([]);
      expect(await again.deliverPendingRunMessages(run.id, { leaseOwner: "host:1:owner" })).toEqual([]);
      expect((await again.listRunMessages(run.id)).map((message) => message.content)).toEqual([
        "use tabs",
        "and test it",
      ]);
      // The run keeps running: a boundary delivery changes no status.
      expect((await again.getRun(run.id))?.status).toBe("running");
      await again.close();
      cleanup();
    });

    it("moves a message left when the turn ended into the next turn and queues the run", async () => {
      const { store, cleanup } = open();
      const run = await store.createRun({ settings });
      await store.addPendingRunMessage(run.id, "one more thing");
      // Queued (not continuable) and not held: the message waits.
      expect(await store.deliverPendingRunMessages(run.id)).toEqual([]);
      await store.setRunStatus(run.id, "succeeded", { output: "done" });
      const moved = await store.deliverPendingRunMessages(run.id);
      expect(moved.map((message) => message.content)).toEqual(["one more thing"]);
      expect(await store.getRun(run.id)).toMatchObject({ status: "queued" });
      expect(await store.listPendingRunMessages(run.id)).toEqual([]);
      cleanup();
    });
  });
}
