import { ownerProcessState } from "./process-owner.ts";

/**
 * Whether a worker may take a run held by this lease: nobody holds it, or its owner is provably gone. On this
 * machine that means its process no longer exists (a live owner whose lease lapsed, its event loop blocked, still
 * runs the run's tools, and this process's own runs are never taken); on another machine, where the process
 * cannot be asked, that its lease lapsed. The same rule as `tansuo resume` (agent/run-lease.ts goneLeaseOwner).
 */
export function leaseIsClaimable(lease: { owner: string; expiresAt: number } | undefined, now = Date.now()): boolean {
  if (!lease) return true;
  const state = ownerProcessState(lease.owner);
  if (state === "elsewhere") return lease.expiresAt < now;
  return state === "gone";
}
