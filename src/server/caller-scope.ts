import type { Caller } from "./gateway-env.ts";

/** An admin key, or local use without keys, sees every run and ledger row; any other key only its own. */
export const seesEverything = (caller: Caller): boolean => caller.key === undefined || caller.key.admin === true;

/** The owner filter a listing of the caller's runs or ledger rows needs: none for those who see everything. */
export const ownKeyId = (caller: Caller): string | undefined => (seesEverything(caller) ? undefined : caller.key?.id);
