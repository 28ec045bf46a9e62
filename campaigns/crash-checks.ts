import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { Usd, usd } from "../src/cost/usd.ts";
import { appendedFile, writtenContent, writtenFile } from "./crash-upstream.ts";

/** A read-only look at the CLI's database, as another process sees it while the CLI runs or after it died. */
export class CrashDatabase {
  constructor(readonly file: string) {}

  private open<T>(read: (database: Database.Database) => T): T | undefined {
    if (!existsSync(this.file)) return undefined;
    const database = new Database(this.file, { readonly: true, fileMustExist: true });
    try {
      database.pragma("busy_timeout = 2000");
      return read(database);
    } catch {
      return undefined;
    } finally {
      database.close();
    }
  }

  /** The newest run not in `known`. */
  newRun(known: ReadonlySet<string>): string | undefined {
    return this.open((database) => {
      const rows = database.prepare("SELECT id FROM runs ORDER BY created_at DESC LIMIT 5").all() as { id: string }[];
      return rows.find((row) => !known.has(row.id))?.id;
    });
  }

  stepCount(runId: string): number {
    return (
      this.open(
        (database) =>
          (database.prepare("SELECT COUNT(*) AS n FROM steps WHERE run_id = ?").get(runId) as { n: number }).n,
      ) ?? 0
    );
  }

  /** Calls the run waits on: interrupted (started) or awaiting approval. */
  waitingCalls(runId: string): { callId: string; toolName: string; status: string }[] {
    return (
      this.open(
        (database) =>
          database
            .prepare(
              `SELECT call_id AS callId, tool_name AS toolName, status FROM tool_calls
               WHERE run_id = ? AND status IN ('started', 'awaiting_approval') ORDER BY step_index, position`,
            )
            .all(runId) as { callId: string; toolName: string; status: string }[],
      ) ?? []
    );
  }

  status(runId: string): string | undefined {
    return this.open(
      (database) =>
        (database.prepare("SELECT status FROM runs WHERE id = ?").get(runId) as { status: string } | undefined)?.status,
    );
  }

  integrity(): string {
    return this.open((database) => String(database.pragma("integrity_check", { simple: true }))) ?? "unreadable";
  }

  /** The run's total, its steps' sum and its ledger rows' sum, as exact decimals. */
  money(runId: string) {
    return this.open((database) => {
      const run = database.prepare("SELECT cost_usd, usage, status FROM runs WHERE id = ?").get(runId) as
        | { cost_usd: string; usage: string; status: string }
        | undefined;
      const steps = database.prepare("SELECT cost_usd, usage FROM steps WHERE run_id = ?").all(runId) as {
        cost_usd: string;
        usage: string;
      }[];
      const ledger = database.prepare("SELECT cost_usd FROM ledger WHERE run_id = ?").all(runId) as {
        cost_usd: string;
      }[];
      const sum = (rows: { cost_usd: string }[]) => Usd.sum(rows.map((row) => row.cost_usd));
      const tokens = (usage: string) => {
        const parsed = JSON.parse(usage) as { inputTokens: number; outputTokens: number };
        return parsed.inputTokens + parsed.outputTokens;
      };
      return {
        status: run?.status ?? "missing",
        runUsd: usd(run?.cost_usd ?? "0"),
        stepsUsd: sum(steps),
        ledgerUsd: sum(ledger),
        runTokens: run ? tokens(run.usage) : 0,
        stepsTokens: steps.reduce((total, step) => total + tokens(step.usage), 0),
      };
    });
  }
}

/** What one trial found wrong; empty when everything held. */
export function trialFailures(options: {
  database: CrashDatabase;
  runId: string;
  workspace: string;
  upstreamBilledUsd: string;
}): string[] {
  const failures: string[] = [];
  const integrity = options.database.integrity();
  if (integrity !== "ok") failures.push(`integrity_check: ${integrity}`);
  const appended = readOrEmpty(path.join(options.workspace, appendedFile));
  const lines = appended.split("\n").filter(Boolean).length;
  if (lines !== 1) failures.push(`${appendedFile} holds ${lines} line(s), not 1`);
  const written = readOrEmpty(path.join(options.workspace, writtenFile));
  if (written !== writtenContent) failures.push(`${writtenFile} holds ${JSON.stringify(written)}`);
  const money = options.database.money(options.runId);
  if (!money) return [...failures, "the run's money could not be read"];
  if (money.status !== "succeeded") failures.push(`the run ended ${money.status}`);
  if (!Usd.equals(money.runUsd, money.stepsUsd) || !Usd.equals(money.stepsUsd, money.ledgerUsd)) {
    failures.push(`totals differ: run $${money.runUsd}, steps $${money.stepsUsd}, ledger $${money.ledgerUsd}`);
  }
  if (money.runTokens !== money.stepsTokens) {
    failures.push(`tokens differ: run ${money.runTokens}, steps ${money.stepsTokens}`);
  }
  if (Usd.compare(money.ledgerUsd, options.upstreamBilledUsd) < 0) {
    failures.push(`under-billed: ledger $${money.ledgerUsd} < upstream $${options.upstreamBilledUsd}`);
  }
  return failures;
}

const readOrEmpty = (file: string): string => (existsSync(file) ? readFileSync(file, "utf8") : "");
