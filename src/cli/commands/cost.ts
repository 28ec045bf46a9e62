import { Command } from "commander";
import { compareRunCost, type RunCostComparison } from "../../agent/run-cost-comparison.ts";
import { type SpendGroup, type SpendGrouping, spendGroupings, spendReport } from "../../cost/spend-report.ts";
import { Usd } from "../../cost/usd.ts";
import type { CliContext } from "../cli-context.ts";
import { CommandInputError } from "../cli-errors.ts";
import { formatTokens, table } from "../format.ts";
import { oneOf } from "../option-parsers.ts";
import { sinceInstant } from "../since-option.ts";

interface CostOptions {
  since?: string;
  by: SpendGrouping;
  json?: boolean;
  csv?: boolean;
}

const share = (value: number | null): string => (value === null ? "–" : `${(value * 100).toFixed(1)}%`);

const groupJson = (by: SpendGrouping, group: SpendGroup) => ({
  [by]: group.name,
  requests: group.requests,
  inputTokens: group.usage.inputTokens,
  cacheHitTokens: group.usage.cacheHitTokens,
  cacheMissTokens: group.usage.cacheMissTokens,
  outputTokens: group.usage.outputTokens,
  cacheHitShare: group.cacheHitShare,
  costUsd: group.costUsd,
});

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
const csvField = (value: string | number | null): string => {
  const text = value === null ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

function csvOf(by: SpendGrouping, groups: readonly SpendGroup[], total: SpendGroup): string {
  const header = [by, "requests", "input_tokens", "cache_hit_tokens", "cache_miss_tokens", "output_tokens"];
  const lines = [[...header, "cache_hit_share", "cost_usd"].join(",")];
  for (const [name, group] of [...groups.map((each) => [each.name, each] as const), ["total", total] as const]) {
    const { usage } = group;
    const cells = [name, group.requests, usage.inputTokens, usage.cacheHitTokens, usage.cacheMissTokens];
    lines.push([...cells, usage.outputTokens, group.cacheHitShare, group.costUsd].map(csvField).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

function textOf(by: SpendGrouping, groups: readonly SpendGroup[], total: SpendGroup): string {
  const row = (name: string, group: SpendGroup) => [
    name,
    String(group.requests),
    formatTokens(group.usage.cacheHitTokens),
    formatTokens(group.usage.cacheMissTokens),
    formatTokens(group.usage.outputTokens),
    share(group.cacheHitShare),
    Usd.format(group.costUsd),
  ];
  const none = by === "run" ? "(no run: gateway requests)" : "(no key)";
  return `${table([
    [by, "calls", "cache hit", "cache miss", "output", "hit share", "cost"],
    ...groups.map((group) => row(group.name ?? none, group)),
    row("total", total),
  ])}\n`;
}

function comparisonText(comparison: RunCostComparison): string {
  const rows = comparison.models.map((model) => [
    model.id,
    model.costUsd === null ? "–" : Usd.format(model.costUsd),
    model.ratio === null ? "–" : `${model.ratio}x`,
    model.reason ?? (model.cacheHits === "cache-hit price" ? "" : (model.cacheHits ?? "")),
  ]);
  return (
    `Run ${comparison.run} on ${comparison.model}: ${Usd.format(comparison.actualCostUsd)} ` +
    `(${comparison.actualCostUsd} USD), its steps' tokens at list prices on ${comparison.pricedAt.slice(0, 10)}:\n\n` +
    `${table([["model", "cost", "x real cost", "note"], ...rows])}\n\n` +
    "Cache hits are priced at each model's cache-hit rate; a model without a cache discount prices them as misses.\n"
  );
}

/** `tansuo cost` (spend per day, model, run or key from the ledger) and `tansuo cost compare <run-id>`. */
export function createCostCommand(context: CliContext): Command {
  const cost = new Command("cost")
    .description("Spend and tokens from the ledger per day, model, run or key; `cost compare` prices a run elsewhere")
    .option("--since <when>", "from a day (2026-11-30), an ISO time, or a span back from now (12h, 7d, 2w)", (value) =>
      sinceInstant(value, new Date()),
    )
    .option("--by <grouping>", "day, model, run or key", oneOf(...spendGroupings), "day")
    .option("--json", "print JSON")
    .option("--csv", "print CSV (RFC 4180, a header and a total row)")
    .action(async (options: CostOptions) => {
      if (options.json && options.csv) throw new CommandInputError("Choose one of --json and --csv, not both.");
      const { since } = options;
      const lines = await context.openStore().ledgerLines(since === undefined ? {} : { since });
      const { by, groups, total } = spendReport(lines, options.by);
      if (options.json) {
        const json = { by, since: since ?? null, groups: groups.map((group) => groupJson(by, group)) };
        const { [by]: _name, ...totals } = groupJson(by, total);
        context.stdout.write(`${JSON.stringify({ ...json, total: totals }, null, 2)}\n`);
      } else if (options.csv) context.stdout.write(csvOf(by, groups, total));
      else if (groups.length === 0) {
        context.stdout.write(`No billed calls${since ? ` since ${since}` : ""}.\n`);
      } else context.stdout.write(textOf(by, groups, total));
    });
  cost
    .command("compare")
    .description("A run's real tokens, step by step with their cache hits, priced on other catalog models at its date")
    .argument("<run-id>")
    .option("--models <ids>", "catalog ids, comma-separated (default: every model priced at the run's date)")
    .option("--json", 'print { "run", "actualCostUsd", "models": [{ "id", "costUsd", "ratio", ... }] }')
    .action(async (runId: string, _options: unknown, command: Command) => {
      // `--json` is the parent's option too (commander gives it to `cost`): read both.
      const options = command.optsWithGlobals<{ models?: string; json?: boolean }>();
      const store = context.openStore();
      const run = await store.getRun(runId);
      if (!run) throw new CommandInputError(`No run with id ${runId}. List runs with \`tansuo runs list\`.`);
      const ids = options.models
        ?.split(",")
        .map((id) => id.trim())
        .filter(Boolean);
      if (ids !== undefined && ids.length === 0) {
        throw new CommandInputError("--models names no model. Give catalog ids such as gpt-5,claude-sonnet-4-5.");
      }
      const comparison = compareRunCost(run, await store.listSteps(run.id), context.catalog, ids);
      if (options.json) {
        const { run: id, actualCostUsd, models } = comparison;
        context.stdout.write(`${JSON.stringify({ run: id, actualCostUsd, models }, null, 2)}\n`);
      } else context.stdout.write(comparisonText(comparison));
    });
  return cost;
}
