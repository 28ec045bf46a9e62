import { Command } from "commander";
import { priceAt } from "../../cost/price.ts";
import type { ModelEntry } from "../../models/model-entry.ts";
import type { CliContext } from "../cli-context.ts";
import { CommandInputError } from "../cli-errors.ts";
import { table } from "../format.ts";
import { createModelsPullCommand } from "./models-pull.ts";
import { createModelsRecommendedCommand } from "./models-recommended.ts";

const capabilityNames: [keyof ModelEntry["capabilities"], string][] = [
  ["tools", "tools"],
  ["thinking", "thinking"],
  ["toolsInThinking", "tools-in-thinking"],
  ["vision", "vision"],
  ["jsonMode", "json"],
  ["fim", "fim"],
];

/** The catalog as users read it: current price (at `at`) plus the dated history in --json. */
export function modelListing(entry: ModelEntry, at: Date) {
  const current = priceAt(entry.prices, at);
  return {
    id: entry.id,
    provider: entry.provider,
    upstreamModel: entry.upstreamModel,
    baseUrl: entry.baseUrl,
    contextWindow: entry.contextWindow,
    maxOutputTokens: entry.maxOutputTokens,
    capabilities: entry.capabilities,
    reasoningReplay: entry.reasoningReplay,
    pricing: current
      ? {
          inputCacheHit: current.inputCacheHit,
          inputCacheMiss: current.inputCacheMiss,
          output: current.output,
          cacheWrite: current.cacheWrite === current.inputCacheMiss ? undefined : current.cacheWrite,
          effectiveFrom: current.effectiveFrom,
          currency: "USD",
          per: "1M tokens",
        }
      : null,
    priceHistory: entry.prices,
    retiredAt: entry.retiredAt,
    notes: entry.notes,
  };
}

export function createModelsCommand(context: CliContext): Command {
  return new Command("models")
    .description("List the model catalog: context, capabilities and prices in USD per 1M tokens")
    .option("--json", "print the catalog as JSON")
    .option("--at <date>", "show the prices in force at this date (ISO), e.g. 2025-03-01")
    .addCommand(createModelsPullCommand(context))
    .addCommand(createModelsRecommendedCommand(context))
    .action((options: { json?: boolean; at?: string }) => {
      const at = options.at ? new Date(options.at) : new Date();
      if (Number.isNaN(at.getTime()))
        throw new CommandInputError(`--at "${options.at}" is not a date such as 2025-03-01`);
      const listings = context.catalog.list().map((entry) => modelListing(entry, at));
      if (options.json) {
        context.stdout.write(`${JSON.stringify(listings, null, 2)}\n`);
        return;
      }
      const rows = [["ID", "PROVIDER", "CONTEXT", "CAPABILITIES", "$/1M HIT", "MISS", "OUT", "SINCE"]];
      for (const listing of listings) {
        const capabilities = capabilityNames
          .filter(([key]) => listing.capabilities[key])
          .map(([, name]) => name)
          .join(",");
        const retired = listing.retiredAt && Date.parse(listing.retiredAt) <= at.getTime() ? " (retired)" : "";
        rows.push([
          listing.id + retired,
          listing.provider,
          `${Math.round(listing.contextWindow / 1000)}k`,
          capabilities,
          listing.pricing?.inputCacheHit ?? "-",
          listing.pricing?.inputCacheMiss ?? "-",
          listing.pricing?.output ?? "-",
          listing.pricing?.effectiveFrom.slice(0, 10) ?? "-",
        ]);
      }
      context.stdout.write(`${table(rows)}\n`);
      context.stdout.write(
        "\nAlso: any .gguf file runs in-process (--model ./model.gguf); provider/model reaches any OpenAI-compatible server (--base-url).\n" +
          "Open models to run locally: tansuo models recommended; download one with tansuo models pull <name>.\n",
      );
    });
}
