import type { ToolPolicy } from "../tool.ts";
import { bwrapArguments } from "./bwrap-arguments.ts";
import { probeSandbox } from "./probe-sandbox.ts";
import { SandboxUnavailableError } from "./sandbox-errors.ts";

export interface CommandLaunch {
  file: string;
  args: string[];
  sandboxed: boolean;
}

export interface LaunchOptions {
  command: string;
  workspace: string;
  network: boolean;
  policy: ToolPolicy;
  environment: NodeJS.ProcessEnv;
  warn: (message: string) => void;
  bwrapPath: string;
  /** Files shown read-only inside the sandbox though elsewhere hidden (a hook's own script). */
  readOnlyPaths?: readonly string[];
}

export const noSandboxWarning = (reason: string) =>
  `run_command runs without a sandbox (${reason}): commands can read and write whatever your user can, ` +
  "including your home folder, and reach the network. Install bubblewrap (Debian/Ubuntu: apt install bubblewrap) " +
  'to sandbox them, or set shell.sandbox to "off" in $TANSUO_HOME/config.json to run them so without this warning.';

/** How to start a command: inside bubblewrap when the policy wants it and the machine allows it. */
export async function commandLaunch(options: LaunchOptions): Promise<CommandLaunch> {
  const plain: CommandLaunch = { file: "bash", args: ["-c", options.command], sandboxed: false };
  if (options.policy.sandbox === "off") return plain;
  const probe = await probeSandbox(options.bwrapPath);
  if (!probe.usable) {
    if (options.policy.sandbox === "required") throw new SandboxUnavailableError(probe.reason);
    options.warn(noSandboxWarning(probe.reason));
    return plain;
  }
  const layout = {
    workspace: options.workspace,
    hiddenPaths: options.policy.hiddenPaths,
    environment: options.environment,
    network: options.network,
    readOnlyPaths: options.readOnlyPaths,
  };
  return {
    file: options.bwrapPath,
    args: [...bwrapArguments(layout), "bash", "-c", options.command],
    sandboxed: true,
  };
}
