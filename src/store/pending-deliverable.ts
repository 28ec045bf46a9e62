import { continuableStatuses, type RunStatus } from "./records.ts";

/**
 * Whether a run's pending messages may be delivered now: at a tool boundary of the turn the owner runs, or, once
 * nobody holds the run, as the next turn (its status must take a message, as addRunMessage's).
 */
export function pendingDeliverable(status: unknown, holder: unknown, leaseOwner: string | undefined): boolean {
  if (leaseOwner !== undefined) return holder === leaseOwner;
  return (holder ?? null) === null && continuableStatuses.includes(String(status) as RunStatus);
}
