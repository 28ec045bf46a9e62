import type { RunStatus } from "../store/records.ts";

/** Exit status by run outcome: 0 only for success, and a distinct code for each way a run can stop. */
export const exitCodes = {
  succeeded: 0,
  failed: 1,
  usage: 2,
  budget_exhausted: 3,
  awaiting_approval: 4,
  cancelled: 5,
} as const;

export function exitCodeForStatus(status: RunStatus): number {
  switch (status) {
    case "succeeded":
      return exitCodes.succeeded;
    case "budget_exhausted":
      return exitCodes.budget_exhausted;
    case "awaiting_approval":
      return exitCodes.awaiting_approval;
    case "cancelled":
      return exitCodes.cancelled;
    default:
      return exitCodes.failed;
  }
}
