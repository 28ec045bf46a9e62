import { spawnSync } from "node:child_process";
import { HarnessEnvironmentError } from "../eval-errors.ts";

let python: string | undefined;

/**
 * The real python3 binary, found once: version-manager shims (pyenv) are scripts that read the user's home,
 * which the sandbox may hide, and cost a start-up per task.
 */
export function pythonExecutable(): string {
  if (python) return python;
  const found = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" });
  const executable = found.status === 0 ? found.stdout.trim() : "";
  if (!executable) {
    throw new HarnessEnvironmentError(
      "python3 was not found on PATH: the humaneval suite runs its tests with it. Install Python 3 and retry.",
    );
  }
  python = executable;
  return python;
}

/** The Node.js running Tansuo also runs the JavaScript and TypeScript tasks. */
export const nodeExecutable = (): string => process.execPath;
