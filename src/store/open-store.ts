import path from "node:path";
import { PostgresStore } from "./postgres/postgres-store.ts";
import { isPostgresUrl } from "./postgres/redact-store-url.ts";
import { SqliteStore } from "./sqlite-store.ts";
import type { Store } from "./store.ts";

/**
 * Where the store is: `--store` wins over TANSUO_STORE, which wins over config `store`; without any, the SQLite file
 * $TANSUO_HOME/tansuo.db. A relative SQLite path is taken from the working folder.
 */
export function storeLocation(input: {
  flag?: string;
  env: NodeJS.ProcessEnv;
  configured?: string;
  home: string;
  cwd: string;
}): string {
  const chosen = [input.flag, input.env.TANSUO_STORE, input.configured].find((value) => !!value);
  if (!chosen) return path.join(input.home, "tansuo.db");
  return isPostgresUrl(chosen) ? chosen : path.resolve(input.cwd, chosen);
}

/** A `postgres://` or `postgresql://` URL opens the shared PostgreSQL store (pg loads on first use); else SQLite. */
export const openStore = (location: string): Store =>
  isPostgresUrl(location) ? new PostgresStore({ url: location }) : new SqliteStore(location);
