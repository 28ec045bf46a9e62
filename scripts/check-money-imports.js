#!/usr/bin/env node
// Fails when a file outside src/cost imports decimal.js: money is summed, compared and formatted by cost/usd.ts only.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const folders = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["src", "campaigns", "bench"];
const allowed = ["src/cost"];

const files = [];
const walk = (folder) => {
  for (const name of readdirSync(folder)) {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (/\.[cm]?[jt]s$/.test(name) && !name.endsWith(".d.ts")) files.push(full);
  }
};
for (const folder of folders) walk(folder);

const decimalImport = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)["']decimal\.js(?:\/[^"']*)?["']/;
const inside = (file, folder) => !path.relative(folder, file).startsWith("..");
const problems = files.filter(
  (file) => !allowed.some((folder) => inside(file, folder)) && decimalImport.test(readFileSync(file, "utf8")),
);

if (problems.length > 0) {
  console.error(
    `Money check failed: ${problems.length} file(s) outside src/cost import decimal.js:\n` +
      problems.map((file) => `  ${file}`).join("\n") +
      "\nUse Usd from src/cost/usd.ts (add, sum, compare, format, ...) instead; nothing else was changed.",
  );
  process.exit(1);
}
console.log(`Money check: ${files.length} files, decimal.js only in src/cost.`);
