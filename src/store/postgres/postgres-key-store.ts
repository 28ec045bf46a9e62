import type { ApiKeyRecord } from "../records.ts";
import type { KeyStore } from "../store.ts";
import type { PostgresConnection } from "./postgres-connection.ts";
import { apiKeyFromRow, type Row } from "./postgres-rows.ts";

// How long a key found by its hash is trusted without asking the database again: a revocation made by another
// process takes effect within this time; one made through this store takes effect at once (as in SqliteStore).
const keyLookupMilliseconds = 1000;

/** The gateway's API keys in Postgres (stored by hash). */
export class PostgresKeyStore implements KeyStore {
  private readonly keysByHash = new Map<string, { record: ApiKeyRecord; until: number }>();

  constructor(private readonly connection: PostgresConnection) {}

  async createApiKey(record: ApiKeyRecord): Promise<void> {
    await this.connection.query(
      `INSERT INTO api_keys (id, name, prefix, hash, budget_usd, requests_per_minute, concurrency, admin, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        record.id,
        record.name,
        record.prefix,
        record.hash,
        record.budgetUsd ?? null,
        record.requestsPerMinute ?? null,
        record.concurrency ?? null,
        record.admin === true,
        record.createdAt,
      ],
    );
  }

  async findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const now = Date.now();
    const known = this.keysByHash.get(hash);
    if (known && known.until > now) return known.record;
    const { rows } = await this.connection.query<Row>("SELECT * FROM api_keys WHERE hash = $1", [hash]);
    if (!rows[0]) {
      this.keysByHash.delete(hash);
      return undefined;
    }
    const record = apiKeyFromRow(rows[0]);
    this.keysByHash.set(hash, { record, until: now + keyLookupMilliseconds });
    return record;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const { rows } = await this.connection.query<Row>("SELECT * FROM api_keys ORDER BY created_at, position");
    return rows.map(apiKeyFromRow);
  }

  async revokeApiKey(idOrPrefix: string): Promise<boolean> {
    this.keysByHash.clear();
    const result = await this.connection.query(
      "UPDATE api_keys SET revoked_at = $1 WHERE (id = $2 OR prefix = $2) AND revoked_at IS NULL",
      [new Date().toISOString(), idOrPrefix],
    );
    return (result.rowCount ?? 0) > 0;
  }
}
