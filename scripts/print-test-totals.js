#!/usr/bin/env node
// Prints vitest's totals as one plain line ("tests: N passed, N failed, N skipped") for CI to read.
import { readFileSync } from "node:fs";

const file = process.argv[2] ?? ".vitest-results.json";
const results = JSON.parse(readFileSync(file, "utf8"));
const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
console.log(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`);
process.exit(results.numFailedTests > 0 || results.numTotalTests === 0 ? 1 : 0);
