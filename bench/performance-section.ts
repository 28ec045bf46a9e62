import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Puts `table` between `<!-- bench:NAME begin -->` and `<!-- bench:NAME end -->` in docs/performance.md. */
export function writePerformanceSection(name: string, table: string): void {
  const file = path.join(import.meta.dirname, "../docs/performance.md");
  const [begin, end] = [`<!-- bench:${name} begin -->`, `<!-- bench:${name} end -->`];
  const text = readFileSync(file, "utf8");
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start === -1 || stop < start)
    throw new Error(`bench/${name}: ${file} lacks the ${begin} / ${end} markers; add them where the table goes`);
  writeFileSync(file, `${text.slice(0, start + begin.length)}\n${table}\n${text.slice(stop)}`);
}
