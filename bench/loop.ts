import os from "node:os";
import v8 from "node:v8";
import { loopTable } from "./loop/loop-table.ts";
import { type ChildOutcome, runChild } from "./loop/run-child.ts";
import { runners } from "./loop/runners.ts";
import { writePerformanceSection } from "./performance-section.ts";

/**
 * Tansuo's loop beside the AI SDK 6 `generateText` loop and the OpenAI Agents SDK's `run`, on the same instant model
 * and no-op tool: each loop at each size in a child process of its own, wall and CPU time per step, the heap after
 * a collection, and the ratios against Tansuo. Run with `npx tsx bench/loop.ts [--steps 100,1000]
 * [--runners tansuo,ai-sdk] [--timeout 900] [--write]`; `--write` puts the table into docs/performance.md.
 */
const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};
const sizes = (argument("steps") ?? "100,1000,2000,5000").split(",").map(Number);
const names = (argument("runners") ?? Object.keys(runners).join(",")).split(",");
const timeoutSeconds = Number(argument("timeout") ?? 900);
const unknown = names.filter((name) => !(name in runners));
if (unknown.length > 0 || sizes.some((size) => !Number.isInteger(size) || size < 2)) {
  throw new Error(
    `bench/loop: runners must be among ${Object.keys(runners).join(", ")} (got ${unknown.join(", ") || "none unknown"}) ` +
      `and --steps whole numbers >= 2 (got ${sizes.join(", ")})`,
  );
}

const loadAtStart = os.loadavg()[0]!.toFixed(1);
const outcomes: ChildOutcome[] = [];
for (const steps of sizes) {
  for (const name of names) {
    const outcome = await runChild(name, steps, timeoutSeconds);
    if (outcome.ok && (outcome.measurement.completedSteps !== steps || outcome.measurement.toolCalls !== steps - 1)) {
      const { completedSteps, toolCalls } = outcome.measurement;
      throw new Error(
        `bench/loop: ${name} completed ${completedSteps} steps and ${toolCalls} tool calls, not ${steps} and ${steps - 1}`,
      );
    }
    outcomes.push(outcome);
    const shown = outcome.ok ? `${outcome.measurement.cpuMicrosecondsPerStep.toFixed(0)} µs CPU/step` : outcome.reason;
    process.stderr.write(`${name} ${steps} steps: ${shown}\n`);
  }
}

const heapLimit = Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20);
const machine =
  `Latest run: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} × ` +
  `${os.cpus()[0]?.model.trim()}, heap limit ${heapLimit} MB; load average ${loadAtStart} at the start and ` +
  `${os.loadavg()[0]!.toFixed(1)} at the end (other work on the machine inflates wall time more than CPU time).`;
const table = `${machine}\n\n${loopTable(outcomes)}`;
process.stdout.write(`${table}\n`);

if (process.argv.includes("--write")) writePerformanceSection("loop", table);
