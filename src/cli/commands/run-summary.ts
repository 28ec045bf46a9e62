import { Usd } from "../../cost/usd.ts";
import type { RunRecord } from "../../store/records.ts";
import type { CliContext } from "../cli-context.ts";
import { exitCodeForStatus } from "../exit-codes.ts";
import { formatUsage } from "../format.ts";

/** The --json result of a run, a stable shape scripts can rely on. */
export function runResultJson(run: RunRecord) {
  return {
    id: run.id,
    status: run.status,
    output: run.output ?? null,
    error: run.error ?? null,
    steps: run.stepCount,
    usage: {
      inputTokens: run.usage.inputTokens,
      cacheHitTokens: run.usage.cacheHitTokens,
      cacheMissTokens: run.usage.cacheMissTokens,
      outputTokens: run.usage.outputTokens,
      reasoningTokens: run.usage.reasoningTokens,
    },
    costUsd: run.costUsd,
  };
}

/** Prints the end of a run (JSON or a human summary) and returns the exit code for its status. */
export function reportRun(context: CliContext, run: RunRecord, json: boolean): number {
  if (json) {
    context.stdout.write(`${JSON.stringify(runResultJson(run))}\n`);
    return exitCodeForStatus(run.status);
  }
  if (run.output) context.stdout.write(`${run.output}\n`);
  const lines = [
    `\n${statusMark(run.status)} ${run.status} · ${run.stepCount} step(s) · ${formatUsage(run.usage)} · ${Usd.format(run.costUsd)}`,
    `  run ${run.id}`,
  ];
  if (run.error) lines.push(`  ${run.error}`);
  if (run.status === "awaiting_approval") {
    lines.push(
      `  approve with \`tansuo approve ${run.id}\` (or --deny; --call <id> answers one call), which then continues the run`,
    );
  }
  if (run.status === "failed") lines.push(`  continue with \`tansuo resume ${run.id}\``);
  context.stderr.write(`${lines.join("\n")}\n`);
  return exitCodeForStatus(run.status);
}

function statusMark(status: RunRecord["status"]): string {
  return status === "succeeded" ? "✓" : status === "awaiting_approval" ? "?" : "✗";
}
