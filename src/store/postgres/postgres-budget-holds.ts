import type { QueryResult, QueryResultRow } from "pg";
import { Usd } from "../../cost/usd.ts";
import {
  type BudgetAccount,
  type BudgetHoldRequest,
  type BudgetHoldResult,
  type BudgetStanding,
  refusingBudget,
} from "../budget-records.ts";
import { ownerIsGone, processOwner } from "../process-owner.ts";
import { money, type Row } from "./postgres-rows.ts";

/** A connection or a transaction's client: what one query needs. */
export interface Queryable {
  query<R extends QueryResultRow = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<QueryResult<R>>;
}

const uniqueAccounts = (accounts: readonly BudgetAccount[]): BudgetAccount[] => [
  ...new Map(accounts.map((account) => [`${account.kind}\u0000${account.id}`, account])).values(),
];

/**
 * The reservation ledger in Postgres: one row per hold and budget it is held against. A hold locks the rows of
 * every account it spends from (keys, then runs, each in id order, as a bill locks them) before it reads, so two
 * processes on one database cannot both fit into the same money, and a bill that settles a hold is seen whole.
 */
export const postgresBudgetHolds = {
  /** Where each budget stands, read without locks: a hold re-reads under its locks. */
  async standings(client: Queryable, accounts: readonly BudgetAccount[]): Promise<BudgetStanding[]> {
    const standings: BudgetStanding[] = [];
    for (const account of uniqueAccounts(accounts)) standings.push(await standing(client, account));
    return standings;
  },

  /** Takes the hold; call inside a transaction (the locks last until it ends). */
  async hold(client: Queryable, request: BudgetHoldRequest): Promise<BudgetHoldResult> {
    const accounts = uniqueAccounts(request.accounts);
    const idsOf = (kind: BudgetAccount["kind"]) =>
      accounts.filter((account) => account.kind === kind).map((account) => account.id);
    await client.query("SELECT id FROM api_keys WHERE id = ANY($1) ORDER BY id FOR UPDATE", [idsOf("key")]);
    await client.query("SELECT id FROM runs WHERE id = ANY($1) ORDER BY id FOR UPDATE", [idsOf("run")]);
    if (request.runId !== undefined) await postgresBudgetHolds.releaseRun(client, request.runId);
    const standings: BudgetStanding[] = [];
    for (const account of accounts) standings.push(await standing(client, account));
    const refusedBy = refusingBudget(standings, request.amountUsd);
    if (refusedBy) return { held: false, refusedBy, standings };
    const at = new Date().toISOString();
    for (const account of accounts) {
      await client.query(
        `INSERT INTO budget_holds (account_kind, account_id, hold_id, amount_usd, owner, run_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [account.kind, account.id, request.id, request.amountUsd, request.owner, request.runId ?? null, at],
      );
    }
    return { held: true };
  },

  async release(client: Queryable, holdId: string): Promise<void> {
    await client.query("DELETE FROM budget_holds WHERE hold_id = $1", [holdId]);
  },

  /** Settles (or drops) whatever the run holds; called inside the transaction that bills its call. */
  async releaseRun(client: Queryable, runId: string): Promise<void> {
    await client.query("DELETE FROM budget_holds WHERE run_id = $1", [runId]);
  },
};

/** The account's budget, spend and live holds; holds of owners provably gone (same host, pid dead) are swept. */
async function standing(client: Queryable, account: BudgetAccount): Promise<BudgetStanding> {
  const { rows } = await client.query<Row>(
    "SELECT hold_id, owner, amount_usd FROM budget_holds WHERE account_kind = $1 AND account_id = $2",
    [account.kind, account.id],
  );
  const held: string[] = [];
  const gone = new Map<string, boolean>();
  for (const row of rows) {
    const owner = String(row.owner);
    if (owner !== processOwner() && !gone.has(owner)) gone.set(owner, ownerIsGone(owner));
    if (gone.get(owner)) await postgresBudgetHolds.release(client, String(row.hold_id));
    else held.push(String(row.amount_usd));
  }
  return { account, ...(await budgetOf(client, account)), heldUsd: Usd.sum(held) };
}

async function budgetOf(
  client: Queryable,
  account: BudgetAccount,
): Promise<{ budgetUsd: string | undefined; spentUsd: string }> {
  if (account.kind === "key") {
    const { rows } = await client.query<Row>("SELECT budget_usd, spent_usd FROM api_keys WHERE id = $1", [account.id]);
    const row = rows[0];
    return {
      budgetUsd: row === undefined || row.budget_usd === null ? undefined : money(row.budget_usd),
      spentUsd: row ? money(row.spent_usd) : "0",
    };
  }
  const { rows } = await client.query<Row>("SELECT settings, cost_usd FROM runs WHERE id = $1", [account.id]);
  const row = rows[0];
  if (!row) return { budgetUsd: undefined, spentUsd: "0" };
  const budgetUsd = (JSON.parse(String(row.settings)) as { budgetUsd?: string }).budgetUsd;
  // A run's budget pays for its child runs too (agents as tools): their spend, at every depth, is its spend.
  const descendants = await client.query<Row>(runDescendantsCostSql, [account.id]);
  return {
    budgetUsd,
    spentUsd: Usd.sum([money(row.cost_usd), ...descendants.rows.map((child) => money(child.cost_usd))]),
  };
}

/** The cost of every run below one (children, their children, ...): the recursive walk of `parent_run_id`. */
const runDescendantsCostSql = `
WITH RECURSIVE descendants (id, cost_usd) AS (
  SELECT id, cost_usd FROM runs WHERE parent_run_id = $1
  UNION ALL
  SELECT runs.id, runs.cost_usd FROM runs JOIN descendants ON runs.parent_run_id = descendants.id
)
SELECT cost_usd FROM descendants`;
