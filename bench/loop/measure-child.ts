import { runners } from "./runners.ts";

/**
 * One runner at one size in a process of its own (so heaps do not mix), started by bench/loop.ts with --expose-gc.
 * A short warm-up run first (imports and JIT), then the measured run; prints one JSON line.
 */
const [name, stepsText] = process.argv.slice(2);
const runner = runners[name ?? ""];
const steps = Number(stepsText);
if (!runner || !Number.isInteger(steps) || steps < 2) {
  throw new Error(`measure-child: expected a runner (${Object.keys(runners).join(", ")}) and a step count >= 2`);
}
const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error("measure-child: run with node --expose-gc, so the heap is measured after a collection");

await runner(10);
collect();
const heapBefore = process.memoryUsage().heapUsed;
const cpuBefore = process.cpuUsage();
const wallBefore = performance.now();
const result = await runner(steps);
const wallMicroseconds = (performance.now() - wallBefore) * 1000;
const cpu = process.cpuUsage(cpuBefore);
collect();
const heapAfter = process.memoryUsage().heapUsed;
process.stdout.write(
  `${JSON.stringify({
    runner: name,
    steps,
    completedSteps: result.steps,
    toolCalls: result.toolCalls,
    output: result.output,
    wallMicrosecondsPerStep: wallMicroseconds / steps,
    cpuMicrosecondsPerStep: (cpu.user + cpu.system) / steps,
    heapMegabytes: heapAfter / 2 ** 20,
    heapGrowthMegabytes: (heapAfter - heapBefore) / 2 ** 20,
    maxRssMegabytes: process.resourceUsage().maxRSS / 1024,
    retainedKind: typeof result.retained,
  })}\n`,
);
