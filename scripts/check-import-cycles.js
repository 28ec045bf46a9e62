#!/usr/bin/env node
// Fails when relative imports under the given folder form a cycle, or when a lower layer imports a higher one.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(process.argv[2] ?? "src");
// Arrows point down only: a layer may import its own folder and the layers listed for it.
const allowed = {
  cli: ["cli", "agent", "models", "tools", "cost", "store", "config", "server", "evals", "telemetry"],
  server: ["server", "agent", "models", "tools", "cost", "store", "config", "telemetry"],
  // Beside agent: it watches runs through agent's RunObserver; cli and server wire it in.
  telemetry: ["telemetry", "agent", "models", "cost", "store", "config"],
  evals: ["evals", "models", "cost", "config"],
  agent: ["agent", "models", "tools", "cost", "store", "config"],
  config: ["config", "models", "cost"],
  models: ["models", "cost"],
  tools: ["tools"],
  store: ["store", "cost"],
  cost: ["cost"],
  testing: ["testing"],
  errors: ["errors"],
};
// errors/ is the shared bottom (the base error class and its kinds): every layer may import it, it imports nothing.
const sharedBottom = "errors";

const files = [];
const walk = (folder) => {
  for (const name of readdirSync(folder)) {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (/\.ts$/.test(name) && !name.endsWith(".d.ts")) files.push(full);
  }
};
walk(root);

const importPattern =
  /(?:import|export)\s+(?:type\s+)?(?:[^"']*?\s+from\s+)?["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;
const graph = new Map();
const problems = [];
const layerOf = (file) => path.relative(root, file).split(path.sep)[0].replace(/\.ts$/, "");
for (const file of files) {
  const source = readFileSync(file, "utf8");
  const targets = [];
  for (const match of source.matchAll(importPattern)) {
    const specifier = match[1] ?? match[2];
    // Type-only imports do not run, but they still couple layers: check them too.
    const target = path.resolve(path.dirname(file), specifier);
    targets.push(target);
    const from = layerOf(file);
    const to = layerOf(target);
    if (allowed[from] && !allowed[from].includes(to) && to !== sharedBottom && to !== "index") {
      problems.push(`layer: ${path.relative(root, file)} imports ${path.relative(root, target)} (${from} -> ${to})`);
    }
  }
  graph.set(file, targets);
}

const state = new Map();
const stack = [];
const visit = (file) => {
  state.set(file, "open");
  stack.push(file);
  for (const target of graph.get(file) ?? []) {
    if (!graph.has(target)) continue;
    if (state.get(target) === "open") {
      const cycle = stack.slice(stack.indexOf(target)).concat(target);
      problems.push(`cycle: ${cycle.map((item) => path.relative(root, item)).join(" -> ")}`);
    } else if (!state.has(target)) visit(target);
  }
  stack.pop();
  state.set(file, "done");
};
for (const file of files) if (!state.has(file)) visit(file);

if (problems.length > 0) {
  console.error(`Import check failed (${problems.length}):\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
  process.exit(1);
}
console.log(`Import check: ${files.length} files, no cycles, layers point down.`);
