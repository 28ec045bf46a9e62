import type Database from "better-sqlite3";
import { Usd } from "../cost/usd.ts";
import {
  type BudgetAccount,
  type BudgetHoldRequest,
  type BudgetHoldResult,
  type BudgetStanding,
  refusingBudget,
} from "./budget-records.ts";
import { ownerIsGone, processOwner } from "./process-owner.ts";

type Row = Record<string, unknown>;

const uniqueAccounts = (accounts: readonly BudgetAccount[]): BudgetAccount[] => [
  ...new Map(accounts.map((account) => [`${account.kind}\u0000${account.id}`, account])).values(),
];

/**
 * The reservation ledger in SQLite: one row per hold and budget it is held against. A hold is taken in one
 * IMMEDIATE transaction (the write lock first, then the reads), so two processes on one file cannot both fit
 * into the same money.
 */
export class SqliteBudgetHolds {
  private readonly holdTransaction: Database.Transaction<(request: BudgetHoldRequest) => BudgetHoldResult>;

  constructor(
    database: Database.Database,
    private readonly statement: (sql: string) => Database.Statement,
  ) {
    this.holdTransaction = database.transaction((request: BudgetHoldRequest) => this.holdNow(request));
  }

  /**
   * Where each budget stands. Read outside a transaction: a hold re-reads under the write lock, so a reading that
   * another process has just changed costs a retry, never money.
   */
  standings(accounts: readonly BudgetAccount[]): BudgetStanding[] {
    return uniqueAccounts(accounts).map((account) => this.standing(account));
  }

  hold(request: BudgetHoldRequest): BudgetHoldResult {
    return this.holdTransaction.immediate(request);
  }

  release(holdId: string): void {
    this.statement("DELETE FROM budget_holds WHERE hold_id = ?").run(holdId);
  }

  /** Settles (or drops) whatever the run holds; called inside the transaction that bills its call. */
  releaseRun(runId: string): void {
    this.statement("DELETE FROM budget_holds WHERE run_id = ?").run(runId);
  }

  private holdNow(request: BudgetHoldRequest): BudgetHoldResult {
    if (request.runId !== undefined) this.releaseRun(request.runId);
    const accounts = uniqueAccounts(request.accounts);
    const standings = accounts.map((account) => this.standing(account));
    const refusedBy = refusingBudget(standings, request.amountUsd);
    if (refusedBy) return { held: false, refusedBy, standings };
    const insert = this.statement(
      `INSERT INTO budget_holds (account_kind, account_id, hold_id, amount_usd, owner, run_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const at = new Date().toISOString();
    for (const account of accounts) {
      insert.run(account.kind, account.id, request.id, request.amountUsd, request.owner, request.runId ?? null, at);
    }
    return { held: true };
  }

  /** The account's budget, spend and live holds; holds of owners provably gone (same host, pid dead) are swept. */
  private standing(account: BudgetAccount): BudgetStanding {
    const rows = this.statement(
      "SELECT hold_id, owner, amount_usd FROM budget_holds WHERE account_kind = ? AND account_id = ?",
    ).all(account.kind, account.id) as Row[];
    const held: string[] = [];
    const gone = new Map<string, boolean>();
    for (const row of rows) {
      const owner = String(row.owner);
      if (owner !== processOwner() && !gone.has(owner)) gone.set(owner, ownerIsGone(owner));
      if (gone.get(owner)) this.release(String(row.hold_id));
      else held.push(String(row.amount_usd));
    }
    return { account, ...this.budgetOf(account), heldUsd: Usd.sum(held) };
  }

  private budgetOf(account: BudgetAccount): { budgetUsd: string | undefined; spentUsd: string } {
    if (account.kind === "key") {
      const row = this.statement("SELECT budget_usd, spent_usd FROM api_keys WHERE id = ?").get(account.id) as
        | Row
        | undefined;
      return {
        budgetUsd: row === undefined || row.budget_usd === null ? undefined : String(row.budget_usd),
        spentUsd: row ? String(row.spent_usd) : "0",
      };
    }
    const row = this.statement("SELECT settings, cost_usd FROM runs WHERE id = ?").get(account.id) as Row | undefined;
    if (!row) return { budgetUsd: undefined, spentUsd: "0" };
    const budgetUsd = (JSON.parse(String(row.settings)) as { budgetUsd?: string }).budgetUsd;
    // A run's budget pays for its child runs too (agents as tools): their spend, at every depth, is its spend.
    const descendants = this.statement(runDescendantsCostSql).all(account.id) as Row[];
    return {
      budgetUsd,
      spentUsd: Usd.sum([String(row.cost_usd), ...descendants.map((child) => String(child.cost_usd))]),
    };
  }
}

/** The cost of every run below one (children, their children, ...): the recursive walk of `parent_run_id`. */
const runDescendantsCostSql = `
WITH RECURSIVE descendants (id, cost_usd) AS (
  SELECT id, cost_usd FROM runs WHERE parent_run_id = ?
  UNION ALL
  SELECT runs.id, runs.cost_usd FROM runs JOIN descendants ON runs.parent_run_id = descendants.id
)
SELECT cost_usd FROM descendants`;
