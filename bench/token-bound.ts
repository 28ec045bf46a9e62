import { writePerformanceSection } from "./performance-section.ts";
import { measureTokenBounds } from "./token-bound/measure.ts";
import { goalHolds, tokenBoundTable } from "./token-bound/token-bound-table.ts";

/**
 * The budget's prompt bound against the prompt tokens the DeepSeek-format test server reports (counted with the
 * DeepSeek V3 tokenizer and its official chat template): before (UTF-8 bytes) and after (the model's tokenizer
 * plus its margin), over HumanEval and BFCL prompts and an agent run. Run with `npx tsx bench/token-bound.ts
 * [--prompts 200] [--steps 30] [--write]`; `--write` puts the table into docs/performance.md.
 */
const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};
const prompts = Number(argument("prompts") ?? 200);
const steps = Number(argument("steps") ?? 30);
if (!Number.isInteger(prompts) || prompts < 1 || !Number.isInteger(steps) || steps < 2) {
  throw new Error(
    `bench/token-bound: --prompts takes a whole number >= 1 (got ${prompts}), --steps one >= 2 (got ${steps})`,
  );
}

const sets = await measureTokenBounds({ prompts, steps });
const missed = sets.filter((set) => !goalHolds(set)).map((set) => set.name);
const header =
  `Latest run: ${new Date().toISOString().slice(0, 10)}; model deepseek-v4-flash (catalog tokenizer deepseek-v3); ` +
  "ratio = the bound the budget holds for a call ÷ the prompt tokens the test server reports for it, counted with " +
  "the DeepSeek V3 tokenizer over its official chat template (tools' JSON and replayed reasoning added). Before: " +
  "UTF-8 bytes (+16 per message); after: our template's count +2% +1. In the agent run each step after the first " +
  "bounds only its new messages on top of the last call's reported prompt and answer tokens.";
const verdict =
  missed.length === 0
    ? "Goal met on every set: no bound under the reported count, none more than 5% over it."
    : `Goal missed on: ${missed.join("; ")}.`;
const table = `${header}\n\n${tokenBoundTable(sets)}\n\n${verdict}`;
process.stdout.write(`${table}\n`);

if (process.argv.includes("--write")) writePerformanceSection("token-bound", table);
