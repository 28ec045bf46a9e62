import { readlinkSync } from "node:fs";
import { hostname } from "node:os";

let thisHost: string | undefined;
let thisProcess: string | undefined;

/**
 * This machine as owners name it: the hostname and, where /proc tells it, the PID namespace
 * (`hostname/pidns-4026531836`), since a process in another namespace cannot see this one's pids. No colon in it,
 * so `host:pid[:nonce]` still splits.
 */
export const ownerHost = (): string => {
  if (thisHost !== undefined) return thisHost;
  let namespace: string | undefined;
  try {
    namespace = /\[(\d+)\]/.exec(readlinkSync("/proc/self/ns/pid"))?.[1];
  } catch {}
  thisHost = namespace === undefined ? hostname() : `${hostname()}/pidns-${namespace}`;
  return thisHost;
};

/** This process as an owner of budget holds: `host:pid`. */
export const processOwner = (): string => {
  thisProcess ??= `${ownerHost()}:${process.pid}`;
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
  // An owner named by an older version carries no namespace: its bare hostname is compared, as it was then.
  const sameHost = host?.includes("/") ? host === ownerHost() : host === hostname();
  if (!sameHost || !Number.isInteger(pid) || pid <= 0) return "elsewhere";
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
