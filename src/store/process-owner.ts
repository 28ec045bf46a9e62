import { hostname } from "node:os";

let thisProcess: string | undefined;

/** This process as an owner of budget holds: `host:pid`. */
export const processOwner = (): string => {
  thisProcess ??= `${hostname()}:${process.pid}`;
  return thisProcess;
};

/**
 * What can be known of an owner's process (`host:pid`, maybe followed by `:nonce`): `gone` only when it is on this
 * machine and no such process exists; `elsewhere` when it is on another machine (or names no pid) and cannot be asked.
 * The one rule behind run leases and budget holds.
 */
export function ownerProcessState(owner: string): "alive" | "gone" | "elsewhere" {
  const [host, pidText] = owner.split(":");
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return "elsewhere";
  if (pid === process.pid) return "alive";
  try {
    process.kill(pid, 0);
    return "alive";
  } catch (error) {
    // EPERM: the process exists under another user; only "no such process" proves it gone.
    return (error as NodeJS.ErrnoException).code === "ESRCH" ? "gone" : "alive";
  }
}

/** True only when the owner is a process on this machine that no longer exists. */
export const ownerIsGone = (owner: string): boolean => ownerProcessState(owner) === "gone";
