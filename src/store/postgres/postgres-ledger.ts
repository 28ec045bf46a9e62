import type { TokenUsage } from "../../cost/usage.ts";
import type { LedgerEntry, UsageRow } from "../records.ts";
import { type LedgerLine, usageRowsOf } from "../usage-rows.ts";
import type { Queryable } from "./postgres-budget-holds.ts";
import { money, type Row, text } from "./postgres-rows.ts";

/** The money ledger's queries; a key's spend is added in SQL on NUMERIC, exact, under the key row's lock. */
export const postgresLedger = {
  async insert(client: Queryable, entry: LedgerEntry): Promise<void> {
    await client.query(
      "INSERT INTO ledger (at, key_id, run_id, model, usage, cost_usd, price) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      [
        entry.at,
        entry.keyId ?? null,
        entry.runId ?? null,
        entry.model,
        JSON.stringify(entry.usage),
        entry.costUsd,
        JSON.stringify(entry.price),
      ],
    );
    if (entry.keyId) {
      await client.query("UPDATE api_keys SET spent_usd = spent_usd + $1::numeric WHERE id = $2", [
        entry.costUsd,
        entry.keyId,
      ]);
    }
  },

  async spentByKey(client: Queryable, keyId: string): Promise<string> {
    const { rows } = await client.query<Row>("SELECT spent_usd FROM api_keys WHERE id = $1", [keyId]);
    return rows[0] ? money(rows[0].spent_usd) : "0";
  },

  /** Rows grouped per key, model and day, summed exactly (as the SQLite store groups them). */
  async usageRows(client: Queryable, keyId: string | undefined): Promise<UsageRow[]> {
    const { rows } =
      keyId === undefined
        ? await client.query<Row>("SELECT * FROM ledger ORDER BY id")
        : await client.query<Row>("SELECT * FROM ledger WHERE key_id = $1 ORDER BY id", [keyId]);
    return usageRowsOf(rows.map(ledgerLineOfRow));
  },

  async lines(client: Queryable, filter: { since?: string; keyId?: string }): Promise<LedgerLine[]> {
    const { rows } = await client.query<Row>(
      "SELECT * FROM ledger WHERE ($1::text IS NULL OR at >= $1) AND ($2::text IS NULL OR key_id = $2) ORDER BY id",
      [filter.since ?? null, filter.keyId ?? null],
    );
    return rows.map(ledgerLineOfRow);
  },
};

const ledgerLineOfRow = (row: Row): LedgerLine => ({
  keyId: text(row.key_id),
  runId: text(row.run_id),
  model: String(row.model),
  at: String(row.at),
  usage: JSON.parse(String(row.usage)) as TokenUsage,
  costUsd: money(row.cost_usd),
});
