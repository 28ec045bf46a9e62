import { hostname } from "node:os";

let thisProcess: string | undefined;

/** This process as an owner of budget holds: `host:pid`. */
export const processOwner = (): string => {
  thisProcess ??= `${hostname()}:${process.pid}`;
  return thisProcess;
};

/**
 * True only when the owner (`host:pid`, maybe followed by `:nonce`) is a process on this machine that no longer
 * exists. An owner on another host, or one whose pid cannot be checked, is taken to be alive.
 */
export function ownerIsGone(owner: string): boolean {
  const [host, pidText] = owner.split(":");
  const pid = Number(pidText);
  if (host !== processOwner().split(":")[0] || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
