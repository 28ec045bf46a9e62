import type { PoolClient } from "pg";
import { TansuoError } from "../../errors/tansuo-error.ts";
import { postgresMigrations } from "./postgres-migrations.ts";

/** A database migrated by a newer Tansuo: this code cannot know what its tables mean, so it writes nothing. */
export class NewerSchemaError extends TansuoError {
  override readonly name = "NewerSchemaError";
  readonly kind = "user";
  constructor(databaseVersion: number, knownVersion: number) {
    super(
      `The Postgres store's schema is at version ${databaseVersion}, newer than version ${knownVersion} that this ` +
        "Tansuo knows; nothing was read or written. Upgrade Tansuo on this machine to the version the other " +
        "processes on this database run.",
    );
  }
}

/** The newest schema version this code knows. */
export const knownSchemaVersion = Math.max(...postgresMigrations.map((migration) => migration.version));

/**
 * Brings the schema (in `schema`, created if missing) up to this code's version in one transaction, under an
 * advisory lock, so two processes starting at once apply each migration once; refuses a newer schema.
 */
export async function migratePostgres(client: PoolClient, schema: string): Promise<void> {
  await client.query("BEGIN");
  try {
    // Held until the transaction ends: a second process waits here, then finds the migrations applied.
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`tansuo-migrations:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    );
    const { rows } = await client.query<{ version: number | null }>(
      "SELECT MAX(version) AS version FROM schema_migrations",
    );
    const current = rows[0]?.version ?? 0;
    if (current > knownSchemaVersion) throw new NewerSchemaError(current, knownSchemaVersion);
    for (const migration of postgresMigrations) {
      if (migration.version <= current) continue;
      await client.query(migration.sql);
      await client.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", [
        migration.version,
        new Date().toISOString(),
      ]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/** A schema name as SQL: double-quoted, inner quotes doubled. */
export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;
