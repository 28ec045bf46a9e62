import type { Pool, PoolClient, QueryResultRow } from "pg";
import { migratePostgres, quoteIdentifier } from "./postgres-migrate.ts";
import { PostgresStoreError } from "./postgres-store-error.ts";
import { takePoolSize } from "./store-url-pool-size.ts";

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` (the password is never printed). */
  url: string;
  /** The schema the tables live in (created if missing); default `public`. */
  schema?: string;
  /** Connections in the pool; default the URL's `pool_size` parameter, else 10 (claims have one of their own). */
  poolSize?: number;
}

/** Which connections a transaction runs on: the shared pool, or the one kept for workers' claims. */
export type Lane = "shared" | "claims";

// Deadlocks and serialization failures are retried this many times in all before the error is shown.
const retriedAttempts = 5;

/**
 * A pool of connections to one database, opened lazily: `pg` is imported, the schema migrated, on first use, so
 * a store can be made synchronously and a process that never touches it never loads the driver.
 */
export class PostgresConnection {
  private readonly ready: Promise<Pool>;
  private readonly url: string;
  private readonly poolSize: number;
  // A claim never waits for a connection behind the running runs' queries: it has its own, opened on first claim.
  private claimPool: Promise<Pool> | undefined;

  constructor(private readonly options: PostgresStoreOptions) {
    const { url, poolSize } = takePoolSize(options.url);
    this.url = url;
    this.poolSize = options.poolSize ?? poolSize ?? 10;
    this.ready = this.open();
    // A store never used still must not crash the process with an unhandled rejection; users see it on first use.
    this.ready.catch(() => {});
  }

  private async open(): Promise<Pool> {
    const pool = await this.newPool(this.poolSize);
    let client: PoolClient | undefined;
    try {
      client = await pool.connect();
      await migratePostgres(client, this.options.schema ?? "public");
    } catch (error) {
      client?.release();
      client = undefined;
      await pool.end().catch(() => {});
      if (error instanceof Error && error.name === "NewerSchemaError") throw error;
      throw new PostgresStoreError(this.options.url, error);
    }
    client.release();
    return pool;
  }

  private async newPool(size: number): Promise<Pool> {
    const { default: pg } = await import("pg");
    const pool = new pg.Pool({
      connectionString: this.url,
      max: size,
      options: `-c search_path=${quoteIdentifier(this.options.schema ?? "public")}`,
      // Idle connections do not keep a finished command's process alive.
      allowExitOnIdle: true,
    });
    // An idle connection the server closes must not crash the process; the next query opens another.
    pool.on("error", () => {});
    return pool;
  }

  async query<R extends QueryResultRow = Record<string, unknown>>(sql: string, values: unknown[] = []) {
    return (await this.ready).query<R>(sql, values);
  }

  /**
   * Runs `work` in one transaction on one connection: committed whole, or rolled back whole when it throws. A
   * transaction the server aborted as a deadlock or serialization failure is run again (nothing of it was kept).
   */
  async transaction<T>(work: (client: PoolClient) => Promise<T>, lane: Lane = "shared"): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transactionOnce(work, lane);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= retriedAttempts || (code !== "40P01" && code !== "40001")) throw error;
      }
    }
  }

  private async transactionOnce<T>(work: (client: PoolClient) => Promise<T>, lane: Lane): Promise<T> {
    const client = await (await this.poolOf(lane)).connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private async poolOf(lane: Lane): Promise<Pool> {
    const shared = await this.ready;
    if (lane === "shared") return shared;
    this.claimPool ??= this.newPool(1);
    return await this.claimPool;
  }

  async close(): Promise<void> {
    const pool = await this.ready.catch(() => undefined);
    await pool?.end();
    await (await this.claimPool?.catch(() => undefined))?.end();
  }
}
