import type { Store } from "../../src/store/store.ts";

/** A store under test; `reopen` opens another store on the same data (the same file, the same memory). */
export interface StoreUnderTest {
  store: Store;
  reopen: () => Store;
  cleanup: () => void;
}
