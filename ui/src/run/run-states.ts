import type { RunStatus } from "../api-types.ts";

/** A run whose process is working on it (or waiting for a person): its page follows its events. */
export const isLive = (status: RunStatus): boolean =>
  status === "queued" || status === "running" || status === "awaiting_approval";

export const canCancel = (status: RunStatus): boolean => isLive(status);
export const canResume = (status: RunStatus): boolean => status === "interrupted";

/** How long a run took, or has taken so far while it works. */
export const runDuration = (
  run: { status: RunStatus; created_at: string; duration_ms: number },
  now: number,
): number => (isLive(run.status) ? Math.max(run.duration_ms, now - Date.parse(run.created_at)) : run.duration_ms);
