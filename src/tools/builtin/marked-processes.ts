import { readdirSync, readFileSync } from "node:fs";

/** The variable that marks every process an unsandboxed command starts, even those that leave its process group. */
export const commandMarkerVariable = "TANSUO_COMMAND_ID";

// A marked loop may fork while it is being killed: a few passes catch its last children; each pass is one /proc walk.
const killPasses = 4;

/**
 * SIGKILLs every process of this user whose environment carries the marker (`setsid`, double forks and daemons
 * escape a process-group kill, not their inherited environment). Errors are ignored: processes come and go.
 */
export function killMarkedProcesses(marker: string): number {
  const needle = Buffer.from(`${commandMarkerVariable}=${marker}\0`);
  let killed = 0;
  for (let pass = 0; pass < killPasses; pass++) {
    let found = 0;
    let entries: string[];
    try {
      entries = readdirSync("/proc");
    } catch {
      return killed;
    }
    for (const entry of entries) {
      const pid = Number(entry);
      if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
      try {
        // The marker is a fresh uuid, so only this command's processes match; others' environ is unreadable anyway.
        if (!readFileSync(`/proc/${pid}/environ`).includes(needle)) continue;
        process.kill(pid, "SIGKILL");
        found += 1;
      } catch {}
    }
    killed += found;
    if (found === 0) break;
  }
  return killed;
}
