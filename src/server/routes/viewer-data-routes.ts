import path from "node:path";
import type { Hono } from "hono";
import { type SpendGroup, type SpendGrouping, spendGroupings, spendReport } from "../../cost/spend-report.ts";
import { modelVendor } from "../../models/model-vendor.ts";
import { ownKeyId, seesEverything } from "../caller-scope.ts";
import type { GatewayContext } from "../gateway-context.ts";
import type { GatewayEnv } from "../gateway-env.ts";
import { InvalidRequestError, PermissionDeniedError } from "../gateway-errors.ts";

const spendRow = (by: SpendGrouping, group: SpendGroup) => ({
  [by]: group.name,
  requests: group.requests,
  cost_usd: group.costUsd,
  input_tokens: group.usage.inputTokens,
  cache_hit_tokens: group.usage.cacheHitTokens,
  cache_miss_tokens: group.usage.cacheMissTokens,
  output_tokens: group.usage.outputTokens,
  cache_hit_share: group.cacheHitShare,
});

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

  // The figures of `tansuo cost`: the same report over the caller's ledger lines.
  app.get("/v1/spend", async (c) => {
    const by = c.req.query("by") ?? "day";
    if (!(spendGroupings as readonly string[]).includes(by)) {
      throw new InvalidRequestError(`\`by\` "${by}" is not a grouping: ${spendGroupings.join(", ")}.`, { param: "by" });
    }
    const since = c.req.query("since");
    if (since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(since)) {
      throw new InvalidRequestError(`\`since\` "${since}" is not a day: YYYY-MM-DD.`, { param: "since" });
    }
    const keyId = ownKeyId(c.get("caller"));
    const lines = await gateway.store.ledgerLines({
      ...(keyId ? { keyId } : {}),
      ...(since !== undefined ? { since } : {}),
    });
    const report = spendReport(lines, by as SpendGrouping);
    const { [report.by]: _name, ...total } = spendRow(report.by, report.total);
    return c.json({
      object: "list",
      by,
      data: report.groups.map((group) => spendRow(report.by, group)),
      total,
    });
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
