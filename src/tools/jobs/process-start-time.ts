import { readFileSync } from "node:fs";

/**
 * The process's start time in clock ticks since boot (/proc/<pid>/stat field 22), or undefined when it is gone.
 * A pid the kernel gave to another process since has another start time, so it is never mistaken for ours.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19];
  } catch {
    return undefined;
  }
}

/** True when the pid is a live process that started when the recorded one did. */
export const isSameProcess = (pid: number, startTime: string) => processStartTime(pid) === startTime;
