import { MemoryStore } from "../../src/store/memory-store.ts";
import { storeContract } from "./store-contract.ts";

// Every store made by `reopen` shares the first one's data, as two SQLite stores share one file.
storeContract("in memory", () => {
  const store = new MemoryStore();
  return { store, reopen: () => new MemoryStore(store.data), cleanup: () => {} };
});
