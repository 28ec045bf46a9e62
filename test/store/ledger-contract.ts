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
  });
}
