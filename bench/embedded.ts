import os from "node:os";
import path from "node:path";
import { openNativeRunner } from "./embedded/native-runner.ts";
import { type BenchSettings, openTansuoRunner, type Rates } from "./embedded/tansuo-runner.ts";
import { writePerformanceSection } from "./performance-section.ts";

/**
 * Tokens per second (prompt and generation) through Tansuo's embedded provider against node-llama-cpp's own
 * LlamaChat on the same GGUF, threads and context, runs interleaved so machine load hits both alike. Run with
 * `npx tsx bench/embedded.ts [--model file.gguf] [--threads 1] [--context 2048] [--tokens 64] [--runs 7] [--write]`;
 * `--write` puts the table into docs/performance.md.
 */
const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};
const defaultModel = path.join(import.meta.dirname, "../../shared/models/llama-2-tiny-random.gguf");
const settings: BenchSettings = {
  modelPath: path.resolve(argument("model") ?? defaultModel),
  threads: Number(argument("threads") ?? 1),
  contextSize: Number(argument("context") ?? 2048),
  maxTokens: Number(argument("tokens") ?? 64),
};
const runs = Number(argument("runs") ?? 7);

const tansuo = await openTansuoRunner(settings);
const native = await openNativeRunner(settings);
const measured: { tansuo: Rates[]; native: Rates[] } = { tansuo: [], native: [] };
const loadAtStart = os.loadavg()[0]?.toFixed(1) ?? "?";
try {
  for (let run = 0; run < runs; run++) {
    // A new prompt each run, so each side evaluates it afresh instead of reusing the last one's context.
    const prompt = `Run ${run}: write a short story about a lighthouse keeper and the sea, in ${run + 3} sentences.`;
    const [first, second] = run % 2 === 0 ? ([tansuo, native] as const) : ([native, tansuo] as const);
    const firstRates = await first.generate(prompt);
    const secondRates = await second.generate(prompt);
    measured.tansuo.push(first === tansuo ? firstRates : secondRates);
    measured.native.push(first === tansuo ? secondRates : firstRates);
  }
} finally {
  await tansuo.close();
  await native.close();
}

const median = (values: number[]) => {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const row = (label: string, pick: (rates: Rates) => number) => {
  const ours = median(measured.tansuo.map(pick));
  const theirs = median(measured.native.map(pick));
  const ratio = theirs > 0 ? (ours / theirs).toFixed(2) : "n/a";
  return `| ${label} | ${ours.toFixed(1)} | ${theirs.toFixed(1)} | ${ratio} |`;
};
const table = [
  `${path.basename(settings.modelPath)}, ${settings.threads} thread(s), context ${settings.contextSize}, ` +
    `${settings.maxTokens} tokens per answer, median of ${runs} interleaved runs, CPU, load ${loadAtStart} at start ` +
    `(${os.cpus().length} cores, Node ${process.version}).`,
  "",
  "| tokens per second | Tansuo provider | node-llama-cpp LlamaChat | ratio (goal ≥ 0.95) |",
  "| --- | ---: | ---: | ---: |",
  row("prompt", (rates) => rates.prompt),
  row("generation", (rates) => rates.generation),
].join("\n");
process.stdout.write(`${table}\n`);

if (process.argv.includes("--write")) writePerformanceSection("embedded", table);
