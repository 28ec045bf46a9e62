import { describe, expect, it } from "vitest";
import { createTwoKeys } from "./contract-fixtures.ts";
import type { StoreUnderTest } from "./store-under-test.ts";

/** The KeyStore every Store must keep: keys by hash, listed, revoked by id or prefix. */
export function keyStoreContract(name: string, open: () => StoreUnderTest) {
  describe(`KeyStore contract: ${name}`, () => {
    it("stores API keys by hash, finds them, and sees a revocation at once", async () => {
      const { store, cleanup } = open();
      await createTwoKeys(store);
      expect((await store.findApiKeyByHash("h1"))?.id).toBe("key_a");
      expect((await store.findApiKeyByHash("h2"))?.revokedAt).toBeUndefined();
      expect(await store.revokeApiKey("tsk_efgh")).toBe(true);
      expect((await store.listApiKeys()).find((key) => key.id === "key_b")?.revokedAt).toBeDefined();
      // A revocation made through the store is seen by the next lookup, whatever the store keeps in memory.
      expect((await store.findApiKeyByHash("h2"))?.revokedAt).toBeDefined();
      cleanup();
    });
  });
}
