import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { KeyAdmissionRequest } from "../../src/store/key-admission.ts";
import { ownerHost } from "../../src/store/process-owner.ts";
import type { Store } from "../../src/store/store.ts";
import type { StoreUnderTest } from "./store-under-test.ts";

const thisProcess = `${ownerHost()}:${process.pid}`;

/** A process of this machine that has ended: its pid names nobody (until the system reuses it). */
function goneProcess(): string {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return `${ownerHost()}:${child.pid}`;
}

const start = 1_000_000_000;
let slots = 0;
const request = (keyId: string, limits: Partial<KeyAdmissionRequest>): KeyAdmissionRequest => ({
  keyId,
  slotId: `slot_${++slots}`,
  owner: thisProcess,
  expiresAt: start + 60_000,
  now: start,
  ...limits,
});

const createKey = async (store: Store, id: string) =>
  await store.createApiKey({ id, name: id, prefix: `tsk_${id}`, hash: `hash_${id}`, createdAt: "2026-01-01" });

/** Keys' rpm windows and concurrency slots every Store must keep, shared by every store on the same data. */
export function keyLimitsContract(name: string, open: () => StoreUnderTest) {
  describe(`Key limits contract: ${name}`, () => {
    it("counts requests over the last 60 seconds, across stores on the same data, with the seconds to wait", async () => {
      const { store, reopen, cleanup } = open();
      const other = reopen();
      await createKey(store, "key_rate");
      await createKey(store, "key_free");
      const rate = (now: number, on: Store = store) =>
        on.admitKeyRequest(request("key_rate", { requestsPerMinute: 2, now }));
      expect(await rate(start)).toEqual({ admitted: true });
      expect(await rate(start + 10_000, other)).toEqual({ admitted: true });
      // The first request leaves the window at start + 60 s: 45 s after this one.
      expect(await rate(start + 15_000)).toEqual({
        admitted: false,
        refusedBy: "requests-per-minute",
        retryAfterSeconds: 45,
      });
      expect(await rate(start + 15_500, other)).toEqual({
        admitted: false,
        refusedBy: "requests-per-minute",
        retryAfterSeconds: 45,
      });
      expect(await store.admitKeyRequest(request("key_free", { requestsPerMinute: 2, now: start + 15_000 }))).toEqual({
        admitted: true,
      });
      expect(await rate(start + 60_000, other)).toEqual({ admitted: true });
      expect(await rate(start + 61_000)).toEqual({
        admitted: false,
        refusedBy: "requests-per-minute",
        retryAfterSeconds: 9,
      });
      cleanup();
    });

    it("takes at most `concurrency` slots per key, gives one back once, and counts refused requests in the window", async () => {
      const { store, reopen, cleanup } = open();
      const other = reopen();
      await createKey(store, "key_slots");
      const limits = { concurrency: 2, requestsPerMinute: 4 };
      const first = request("key_slots", limits);
      const second = request("key_slots", limits);
      expect(await store.admitKeyRequest(first)).toEqual({ admitted: true });
      expect(await other.admitKeyRequest(second)).toEqual({ admitted: true });
      expect(await store.admitKeyRequest(request("key_slots", limits))).toEqual({
        admitted: false,
        refusedBy: "concurrency",
      });
      expect((await other.keySlots("key_slots")).map((slot) => slot.slotId).sort()).toEqual(
        [first.slotId, second.slotId].sort(),
      );
      await other.releaseKeySlot(first.slotId);
      await store.releaseKeySlot(first.slotId);
      expect(await store.keySlots("key_slots")).toHaveLength(1);
      // Four requests so far (one refused for concurrency counts too): the window is full.
      expect(await store.admitKeyRequest(request("key_slots", limits))).toEqual({
        admitted: true,
      });
      expect(await store.admitKeyRequest(request("key_slots", limits))).toMatchObject({
        admitted: false,
        refusedBy: "requests-per-minute",
      });
      cleanup();
    });

    it("reclaims the slots of a gone process, and of a lapsed lease on another machine, never a live holder's", async () => {
      const { store, cleanup } = open();
      await createKey(store, "key_crash");
      const one = { concurrency: 1 };
      const crashed = request("key_crash", { ...one, owner: goneProcess() });
      expect(await store.admitKeyRequest(crashed)).toEqual({ admitted: true });
      const taker = request("key_crash", one);
      expect(await store.admitKeyRequest(taker)).toEqual({ admitted: true });
      expect((await store.keySlots("key_crash")).map((slot) => slot.slotId)).toEqual([taker.slotId]);
      // A live holder on this machine keeps its slot however long ago its lease lapsed.
      const late = request("key_crash", { ...one, owner: goneProcess(), now: start + 3_600_000 });
      expect(await store.admitKeyRequest(late)).toEqual({ admitted: false, refusedBy: "concurrency" });
      await store.releaseKeySlot(taker.slotId);

      // Another machine: its pid cannot be asked, so its slot comes back once its lease lapsed unrenewed.
      const remote = request("key_crash", { ...one, owner: "other-machine:4242", expiresAt: start + 60_000 });
      expect(await store.admitKeyRequest(remote)).toEqual({ admitted: true });
      const before = request("key_crash", { ...one, owner: goneProcess(), now: start + 59_000 });
      expect(await store.admitKeyRequest(before)).toEqual({ admitted: false, refusedBy: "concurrency" });
      await store.renewKeySlots([remote.slotId], start + 120_000);
      const renewed = request("key_crash", { ...one, owner: goneProcess(), now: start + 90_000 });
      expect(await store.admitKeyRequest(renewed)).toEqual({ admitted: false, refusedBy: "concurrency" });
      const lapsed = request("key_crash", { ...one, now: start + 121_000 });
      expect(await store.admitKeyRequest(lapsed)).toEqual({ admitted: true });
      expect((await store.keySlots("key_crash")).map((slot) => slot.slotId)).toEqual([lapsed.slotId]);
      cleanup();
    });
  });
}
