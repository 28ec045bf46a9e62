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

    it("keeps whether a key is an admin, seen by another store on the same data", async () => {
      const { store, reopen, cleanup } = open();
      await createTwoKeys(store);
      await store.createApiKey({
        id: "key_admin",
        name: "ops",
        prefix: "tsk_admn",
        hash: "h3",
        admin: true,
        createdAt: new Date().toISOString(),
      });
      const other = reopen();
      expect((await other.findApiKeyByHash("h3"))?.admin).toBe(true);
      expect((await other.findApiKeyByHash("h1"))?.admin).toBeUndefined();
      expect((await other.listApiKeys()).map((key) => [key.id, key.admin === true])).toEqual([
        ["key_a", false],
        ["key_b", false],
        ["key_admin", true],
      ]);
      cleanup();
    });
  });
}
