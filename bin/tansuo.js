#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step), so `npx tansuo` works right after `npm ci`.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv, {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  isTerminal: process.stderr.isTTY === true,
});
