import { budgetHoldContract } from "./budget-hold-contract.ts";
import { checkpointContract } from "./checkpoint-contract.ts";
import { eventLogContract } from "./event-log-contract.ts";
import { keyLimitsContract } from "./key-limits-contract.ts";
import { keyStoreContract } from "./key-store-contract.ts";
import { ledgerContract } from "./ledger-contract.ts";
import { pendingMessageContract } from "./pending-message-contract.ts";
import { runStateContract } from "./run-state-contract.ts";
import { runStatusEventContract } from "./run-status-event-contract.ts";
import { runTreeContract } from "./run-tree-contract.ts";
import type { StoreUnderTest } from "./store-under-test.ts";
import { storedResponseContract } from "./stored-response-contract.ts";

// One suite per part of the Store interface (src/store/store.ts); budget holds are a part of run state of their own,
// and keys' rpm and concurrency limits one of the store's.
const parts = [
  runStateContract,
  budgetHoldContract,
  eventLogContract,
  ledgerContract,
  keyStoreContract,
  keyLimitsContract,
  runStatusEventContract,
  runTreeContract,
  checkpointContract,
  pendingMessageContract,
  storedResponseContract,
];

/** Every part's contract, run against one Store implementation: each part's suite runs whole, none is skipped. */
export function storeContract(name: string, open: () => StoreUnderTest) {
  for (const part of parts) part(name, open);
}
