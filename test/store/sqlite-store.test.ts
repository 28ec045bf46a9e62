import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { storeContract } from "./store-contract.ts";

storeContract("SQLite file", () => {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-store-"));
  const file = path.join(folder, "nested", "tansuo.db");
  const store = new SqliteStore(file);
  return {
    store,
    reopen: () => new SqliteStore(file),
    cleanup: () => {
      try {
        store.close();
      } catch {}
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
