import type { Hono } from "hono";
import { Usd } from "../../cost/usd.ts";
import type { GatewayContext } from "../gateway-context.ts";
import type { GatewayEnv } from "../gateway-env.ts";

/**
 * GET /v1/usage: requests, tokens and spend per key, model and day. A key sees only its own rows; without keys
 * (local use) the operator sees every row. `?model=` and `?day=YYYY-MM-DD` narrow the rows.
 */
export function registerUsageRoutes(app: Hono<GatewayEnv>, gateway: GatewayContext): void {
  app.get("/v1/usage", async (c) => {
    const key = c.get("caller").key;
    const model = c.req.query("model");
    const day = c.req.query("day");
    const rows = (await gateway.store.usageRows(key ? { keyId: key.id } : {})).filter(
      (row) => (model === undefined || row.model === model) && (day === undefined || row.day === day),
    );
    return c.json({
      object: "list",
      key: key
        ? {
            id: key.id,
            name: key.name,
            prefix: key.prefix,
            budget_usd: key.budgetUsd ?? null,
            spent_usd: await gateway.store.spentByKey(key.id),
          }
        : null,
      total_cost_usd: Usd.sum(rows.map((row) => row.costUsd)),
      data: rows.map((row) => ({
        key_id: row.keyId ?? null,
        model: row.model,
        day: row.day,
        requests: row.requests,
        prompt_tokens: row.usage.inputTokens,
        completion_tokens: row.usage.outputTokens,
        reasoning_tokens: row.usage.reasoningTokens,
        prompt_cache_hit_tokens: row.usage.cacheHitTokens,
        prompt_cache_miss_tokens: row.usage.inputTokens - row.usage.cacheHitTokens,
        cost_usd: row.costUsd,
      })),
    });
  });
}
