import path from "node:path";
import type { Hono } from "hono";
import { Usd } from "../../cost/usd.ts";
import { modelVendor } from "../../models/model-vendor.ts";
import type { UsageRow } from "../../store/records.ts";
import { ownKeyId, seesEverything } from "../caller-scope.ts";
import type { GatewayContext } from "../gateway-context.ts";
import type { GatewayEnv } from "../gateway-env.ts";
import { InvalidRequestError, PermissionDeniedError } from "../gateway-errors.ts";

interface SpendGroup {
  requests: number;
  costs: string[];
  input_tokens: number;
  cache_hit_tokens: number;
  output_tokens: number;
}

function spendGroups(rows: readonly UsageRow[], groupOf: (row: UsageRow) => string): Map<string, SpendGroup> {
  const groups = new Map<string, SpendGroup>();
  for (const row of rows) {
    const name = groupOf(row);
    const group = groups.get(name) ?? {
      requests: 0,
      costs: [],
      input_tokens: 0,
      cache_hit_tokens: 0,
      output_tokens: 0,
    };
    group.requests += row.requests;
    group.costs.push(row.costUsd);
    group.input_tokens += row.usage.inputTokens;
    group.cache_hit_tokens += row.usage.cacheHitTokens;
    group.output_tokens += row.usage.outputTokens;
    groups.set(name, group);
  }
  return groups;
}

/** The viewer's charts: the catalog's prices, spend per day or model from the ledger, and eval results. */
export function registerViewerDataRoutes(app: Hono<GatewayEnv>, gateway: GatewayContext): void {
  app.get("/v1/prices", (c) => {
    const at = gateway.now();
    const data = [];
    for (const { entry, row } of gateway.catalog.pricedAt(at)) {
      data.push({
        model: entry.id,
        provider: entry.provider,
        vendor: modelVendor(entry),
        input_cache_hit: row.inputCacheHit,
        input_cache_miss: row.inputCacheMiss,
        output: row.output,
      });
    }
    return c.json({ object: "list", data });
  });

  app.get("/v1/spend", async (c) => {
    const by = c.req.query("by") ?? "day";
    if (by !== "day" && by !== "model") {
      throw new InvalidRequestError(`\`by\` "${by}" is not a grouping: day or model.`, { param: "by" });
    }
    const since = c.req.query("since");
    if (since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(since)) {
      throw new InvalidRequestError(`\`since\` "${since}" is not a day: YYYY-MM-DD.`, { param: "since" });
    }
    const keyId = ownKeyId(c.get("caller"));
    const rows = (await gateway.store.usageRows(keyId ? { keyId } : {})).filter(
      (row) => since === undefined || row.day >= since,
    );
    const groups = [...spendGroups(rows, (row) => (by === "day" ? row.day : row.model))].map(
      ([name, { costs, ...totals }]) => ({ name, ...totals, cost_usd: Usd.sum(costs) }),
    );
    // Days in order for a time axis; models by what they cost, the largest first.
    if (by === "day") groups.sort((left, right) => left.name.localeCompare(right.name));
    else
      groups.sort((left, right) => Usd.compare(right.cost_usd, left.cost_usd) || left.name.localeCompare(right.name));
    return c.json({ object: "list", by, data: groups.map(({ name, ...totals }) => ({ [by]: name, ...totals })) });
  });

  app.get("/v1/evals", async (c) => {
    if (!seesEverything(c.get("caller"))) {
      throw new PermissionDeniedError("Eval results are the operator's: only an admin key may read them.");
    }
    const data = [];
    const source = gateway.evalResults;
    for (const root of source?.directories ?? []) {
      for (const { directory, summary } of await source!.collect(root)) {
        data.push({
          directory: path.join(root, directory),
          suite: summary.suite,
          model: summary.model,
          reference: summary.reference,
          tasks: summary.tasks,
          pass_at_1: summary.passAt1,
          cost_usd: summary.costUsd,
          cost_per_task_usd: summary.costPerTaskUsd,
          cost_per_solved_usd: summary.costPerSolvedUsd,
          complete: summary.complete,
        });
      }
    }
    return c.json({ object: "list", data });
  });
}
