import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Writes an executable shell script into `folder`/hooks and returns its absolute path (used as the hook command). */
export function hookScript(folder: string, name: string, body: string): string {
  const directory = path.join(folder, "hooks");
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

export const commandHook = (command: string, timeout?: number) => ({
  type: "command" as const,
  command,
  ...(timeout === undefined ? {} : { timeout }),
});
