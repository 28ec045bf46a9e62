import { spawn } from "node:child_process";
import { namespaceArguments } from "./bwrap-arguments.ts";

export type SandboxProbe = { usable: true } | { usable: false; reason: string };

const probes = new Map<string, Promise<SandboxProbe>>();

/**
 * Whether bubblewrap at this path can create the sandbox here: checked once per process with a trivial command,
 * since it can be installed yet refused namespaces (inside some containers).
 */
export function probeSandbox(bwrapPath: string): Promise<SandboxProbe> {
  let probe = probes.get(bwrapPath);
  if (!probe) {
    probe = runProbe(bwrapPath);
    probes.set(bwrapPath, probe);
  }
  return probe;
}

function runProbe(bwrapPath: string): Promise<SandboxProbe> {
  return new Promise((resolve) => {
    const args = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", ...namespaceArguments(false), "true"];
    const child = spawn(bwrapPath, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ usable: false, reason: error.code === "ENOENT" ? `${bwrapPath} is not installed` : error.message });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve({ usable: true });
      const said = stderr.trim().split("\n")[0] || (signal ? `killed by ${signal}` : `exit code ${code}`);
      resolve({ usable: false, reason: `${bwrapPath} cannot create a sandbox here (${said})` });
    });
  });
}
