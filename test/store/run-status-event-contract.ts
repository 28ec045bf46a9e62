import { describe, expect, it } from "vitest";
import { settings } from "./contract-fixtures.ts";
import type { StoreUnderTest } from "./store-under-test.ts";

/** A status change and its event are one write in every Store: both or neither, seen by any store on the data. */
export function runStatusEventContract(name: string, open: () => StoreUnderTest) {
  describe(`Run status with its event contract: ${name}`, () => {
    it("writes the status event in the same write as the status, and neither over a cancel", async () => {
      const { store, reopen, cleanup } = open();
      const other = reopen();
      const run = await store.createRun({ settings });
      await store.setRunStatus(run.id, "running");
      const queued = { type: "status", status: "queued" };
      const written = await store.setRunStatusWithEvent(run.id, "queued", { type: "status", data: queued });
      expect(written.run.status).toBe("queued");
      expect(written.event).toMatchObject({ runId: run.id, type: "status", data: queued });
      expect((await other.getRun(run.id))?.status).toBe("queued");
      expect(await other.listEvents(run.id)).toEqual([written.event]);

      await store.setRunStatus(run.id, "cancelled", { error: "cancelled by the user" });
      const late = await other.setRunStatusWithEvent(run.id, "queued", { type: "status", data: queued });
      expect(late).toEqual({ run: expect.objectContaining({ status: "cancelled" }), event: undefined });
      expect(await store.listEvents(run.id)).toEqual([written.event]);
      cleanup();
    });
  });
}
