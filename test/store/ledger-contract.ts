import { describe, expect, it } from "vitest";
import { createTwoKeys, usage } from "./contract-fixtures.ts";
import type { StoreUnderTest } from "./store-under-test.ts";

/** The Ledger every Store must keep: rows summed exactly per key, and usage grouped per key, model and day. */
export function ledgerContract(name: string, open: () => StoreUnderTest) {
  describe(`Ledger contract: ${name}`, () => {
    it("meters spend per key and groups usage per key, model and day", async () => {
      const { store, cleanup } = open();
      await createTwoKeys(store);
      const at = "2026-11-28T10:00:00.000Z";
      await store.recordLedger({ at, keyId: "key_a", model: "m1", usage: usage(10, 1), costUsd: "0.1", price: {} });
      await store.recordLedger({ at, keyId: "key_a", model: "m1", usage: usage(10, 1), costUsd: "0.2", price: {} });
      await store.recordLedger({ at, keyId: "key_b", model: "m2", usage: usage(5, 5), costUsd: "0.05", price: {} });
      expect(await store.spentByKey("key_a")).toBe("0.3");
      expect(await store.usageRows({ keyId: "key_a" })).toEqual([
        { keyId: "key_a", model: "m1", day: "2026-11-28", requests: 2, usage: { ...usage(20, 2) }, costUsd: "0.3" },
      ]);
      cleanup();
    });

    it("reads back each billed call with its run, oldest first, from a time on and for one key", async () => {
      const { store, cleanup } = open();
      await createTwoKeys(store);
      await store.recordLedger({
        at: "2026-11-27T23:59:59.000Z",
        keyId: "key_a",
        model: "m1",
        usage: usage(10, 1),
        costUsd: "0.1",
        price: {},
      });
      await store.recordLedger({
        at: "2026-11-28T00:00:00.000Z",
        runId: "run_1",
        model: "m2",
        usage: usage(20, 2),
        costUsd: "0.25",
        price: {},
      });
      await store.recordLedger({
        at: "2026-11-29T08:00:00.000Z",
        keyId: "key_a",
        runId: "run_2",
        model: "m1",
        usage: usage(30, 3),
        costUsd: "0.125",
        price: {},
      });
      const line = (at: string, model: string, input: number, output: number, costUsd: string) => ({
        at,
        model,
        usage: usage(input, output),
        costUsd,
      });
      expect(await store.ledgerLines()).toEqual([
        { ...line("2026-11-27T23:59:59.000Z", "m1", 10, 1, "0.1"), keyId: "key_a", runId: undefined },
        { ...line("2026-11-28T00:00:00.000Z", "m2", 20, 2, "0.25"), keyId: undefined, runId: "run_1" },
        { ...line("2026-11-29T08:00:00.000Z", "m1", 30, 3, "0.125"), keyId: "key_a", runId: "run_2" },
      ]);
      expect((await store.ledgerLines({ since: "2026-11-28T00:00:00.000Z" })).map((each) => each.costUsd)).toEqual([
        "0.25",
        "0.125",
      ]);
      expect((await store.ledgerLines({ since: "2026-11-28", keyId: "key_a" })).map((each) => each.runId)).toEqual([
        "run_2",
      ]);
      cleanup();
    });
  });
}
