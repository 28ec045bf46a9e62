#!/usr/bin/env node
// Runs the compiled package (dist/). In a dev checkout (src/ next to bin/) whose dist/ is missing or older than
// any source file, it runs src/ through tsx instead, so `npx tansuo` and the tests never see a stale build.
// TANSUO_FROM_SOURCE=1 runs src/ through tsx in any case (bench/startup compares the two).
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const sourceDirectory = fileURLToPath(new URL("../src/", import.meta.url));
const builtEntry = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));

/** True when dist/ is missing, or when src/ exists and holds a file edited after the build. */
function buildIsStale() {
  if (!existsSync(builtEntry)) return true;
  if (!existsSync(sourceDirectory)) return false;
  const builtAt = statSync(builtEntry).mtimeMs;
  // Plain paths: a URL per entry cost more than its stat (this runs on every start in a clone). A folder's time
  // counts too: it moves when a file is added or deleted.
  for (const name of readdirSync(sourceDirectory, { recursive: true })) {
    if (statSync(sourceDirectory + name).mtimeMs > builtAt) return true;
  }
  return false;
}

// A reader that stops early (`tansuo models | head`) closes the pipe: that ends the output, it is not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});
let main;
if (process.env.TANSUO_FROM_SOURCE === "1" || buildIsStale()) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/cli/main.ts"));
} else {
  ({ main } = await import("../dist/cli/main.js"));
}
process.exitCode = await main(process.argv, {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  isTerminal: process.stderr.isTTY === true,
});
