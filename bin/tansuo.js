#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step), so `npx tansuo` works right after `npm ci`.
import { register } from "tsx/esm/api";

register();
// A reader that stops early (`tansuo models | head`) closes the pipe: that ends the output, it is not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv, {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  isTerminal: process.stderr.isTTY === true,
});
