import { randomUUID } from "node:crypto";
import { ownerHost, ownerProcessState } from "../store/process-owner.ts";

/** The right to execute a run, as the store keeps it: `host:pid:nonce` and when it lapses unless renewed. */
export interface RunLease {
  owner: string;
  expiresAt: number;
}

// A live owner renews its lease once a third of it has passed; a process on another machine holds a run this long at most.
export const defaultLeaseMilliseconds = 15_000;

/** A lease owner name for this process: the host (with its PID namespace) and pid tell others whether it lives. */
export const leaseOwnerName = (): string => `${ownerHost()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/**
 * The lease's owner when it is provably gone, so its lease may be taken over: on this machine, its process no longer
 * exists (however long ago it renewed: a live process whose event loop was blocked still owns the run); on another
 * machine, where its process cannot be asked, once the lease has lapsed.
 */
export function goneLeaseOwner(lease: RunLease | undefined, now = Date.now()): string | undefined {
  if (!lease) return undefined;
  const state = ownerProcessState(lease.owner);
  if (state === "elsewhere") return lease.expiresAt < now ? lease.owner : undefined;
  // This process's own pid with another nonce: a run this process executes is in activeRuns, so this one is stale.
  if (Number(lease.owner.split(":")[1]) === process.pid) return lease.owner;
  return state === "gone" ? lease.owner : undefined;
}
