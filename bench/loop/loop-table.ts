import type { ChildOutcome } from "./run-child.ts";
import { runnerLabels } from "./runners.ts";

const fixed = (value: number, digits = 0) =>
  value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (value: number, tansuo: number | undefined) => (tansuo ? `${fixed(value / tansuo, 1)}×` : "–");

/** A Markdown table: one row per size and loop, ratios against Tansuo at the same size. */
export function loopTable(outcomes: ChildOutcome[]): string {
  const lines = [
    "| steps | loop | wall µs/step | CPU µs/step | heap after gc (MB) | peak RSS (MB) | wall vs Tansuo | CPU vs Tansuo |",
    "|---:|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const outcome of outcomes) {
    const steps = outcome.ok ? outcome.measurement.steps : outcome.steps;
    const runner = outcome.ok ? outcome.measurement.runner : outcome.runner;
    const label = runnerLabels[runner] ?? runner;
    if (!outcome.ok) {
      lines.push(`| ${fixed(steps)} | ${label} | ${outcome.reason} | | | | | |`);
      continue;
    }
    const tansuo = outcomes.find(
      (other) => other.ok && other.measurement.runner === "tansuo" && other.measurement.steps === steps,
    );
    const base = tansuo?.ok ? tansuo.measurement : undefined;
    const m = outcome.measurement;
    lines.push(
      `| ${fixed(steps)} | ${label} | ${fixed(m.wallMicrosecondsPerStep)} | ${fixed(m.cpuMicrosecondsPerStep)} | ` +
        `${fixed(m.heapMegabytes, 1)} | ${fixed(m.maxRssMegabytes)} | ${ratio(m.wallMicrosecondsPerStep, base?.wallMicrosecondsPerStep)} | ` +
        `${ratio(m.cpuMicrosecondsPerStep, base?.cpuMicrosecondsPerStep)} |`,
    );
  }
  return lines.join("\n");
}
