import { Usd } from "../../cost/usd.ts";
import type { ProgressState } from "./progress-state.ts";

export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

export function formatTokens(tokens: number): string {
  if (tokens < 1000) return String(tokens);
  if (tokens < 1_000_000) return `${(tokens / 1000).toFixed(1)}k`;
  return `${(tokens / 1_000_000).toFixed(2)}M`;
}

/** Time left at the pace so far; unknown until something finished. */
export function estimateRemainingMs(state: ProgressState): number | undefined {
  if (state.done === 0 || state.done >= state.total) return state.done >= state.total ? 0 : undefined;
  return (state.elapsedMs / state.done) * (state.total - state.done);
}

const barWidth = 10;

/** One line: bar, "82/164 done, 80 passed, 2 failed", tokens, dollars and ETA, cut to the terminal's width. */
export function formatProgressLine(state: ProgressState, columns = 100): string {
  const share = state.total === 0 ? 1 : state.done / state.total;
  const filled = Math.round(share * barWidth);
  const bar = `[${"█".repeat(filled)}${"░".repeat(barWidth - filled)}]`;
  const remaining = estimateRemainingMs(state);
  const eta = remaining === undefined ? "ETA --" : `ETA ${formatDuration(remaining)}`;
  const errors = state.errors > 0 ? `, ${state.errors} errors` : "";
  // Words, not symbols: "2/20 done, 1 passed" reads at a glance.
  const line =
    `${state.label} ${bar} ${state.done}/${state.total} done, ${state.passed} passed, ${state.failed} failed${errors} ` +
    `${formatTokens(state.tokens)} tok ${Usd.format(state.costUsd)} ${eta}`;
  return line.length > columns ? line.slice(0, Math.max(0, columns - 1)) : line;
}

/** The plain line written when output is not a terminal, once per tenth of the run. */
export function formatProgressNote(state: ProgressState): string {
  const percent = state.total === 0 ? 100 : Math.floor((state.done / state.total) * 100);
  const remaining = estimateRemainingMs(state);
  return (
    `${state.label}: ${state.done}/${state.total} done (${percent}%), ${state.passed} passed, ${state.failed} failed, ` +
    `${state.errors} errors, ${formatTokens(state.tokens)} tokens, ${Usd.format(state.costUsd)}` +
    (remaining === undefined ? "" : `, ${formatDuration(remaining)} left`)
  );
}
