import type { Hono } from "hono";
import { RunStateError } from "../../agent/index.ts";
import { compareRunCost } from "../../agent/run-cost-comparison.ts";
import type { AgentRuns } from "../agent-runs.ts";
import type { GatewayContext } from "../gateway-context.ts";
import type { GatewayEnv } from "../gateway-env.ts";
import { RunStateConflictError } from "../gateway-errors.ts";
import { runObject } from "../run-object.ts";
import { viewerMessages, viewerSteps } from "../run-steps.ts";
import { shownRunObject } from "../shown-run-object.ts";

/** The viewer's run page: its steps, the run priced on other models, and resume. Each sees only the caller's runs. */
export function registerRunDetailRoutes(app: Hono<GatewayEnv>, gateway: GatewayContext, agents: AgentRuns): void {
  const { store } = gateway;

  app.get("/v1/runs/:id/steps", async (c) => {
    const run = await agents.visible(c.get("caller"), c.req.param("id"));
    const [steps, toolCalls, messages] = await Promise.all([
      store.listSteps(run.id),
      store.listToolCalls(run.id),
      store.listRunMessages(run.id),
    ]);
    return c.json({
      object: "list",
      run: await shownRunObject(store, run, toolCalls, agents.runtime.activeRuns),
      data: viewerSteps(steps, toolCalls),
      messages: viewerMessages(messages),
    });
  });

  // What the run's steps would have cost on other catalog models at the run's date: `tansuo cost compare`'s figures.
  app.get("/v1/runs/:id/priced", async (c) => {
    const run = await agents.visible(c.get("caller"), c.req.param("id"));
    const models = c.req
      .query("models")
      ?.split(",")
      .map((id) => id.trim())
      .filter(Boolean);
    const comparison = compareRunCost(run, await store.listSteps(run.id), gateway.catalog, models);
    return c.json({
      object: "list",
      run_id: run.id,
      actual_cost_usd: comparison.actualCostUsd,
      priced_at: comparison.pricedAt,
      data: comparison.models.map((model) => ({
        model: model.id,
        provider: model.provider ?? null,
        cost_usd: model.costUsd,
        ratio: model.ratio,
        cache_hits: model.cacheHits ?? null,
        ...(model.reason !== undefined ? { reason: model.reason } : {}),
      })),
    });
  });

  app.post("/v1/runs/:id/resume", async (c) => {
    const caller = c.get("caller");
    let run: Awaited<ReturnType<AgentRuns["resumable"]>>;
    try {
      run = await agents.resumable(caller, c.req.param("id"));
    } catch (error) {
      if (error instanceof RunStateError) throw new RunStateConflictError(error.message);
      throw error;
    }
    // A run left for workers is queued again for them; the others continue in this gateway.
    if (run.settings.onWorkers) run = await agents.runtime.store.setRunStatus(run.id, "queued");
    const releaseSlot = await gateway.limits.admit(caller);
    agents.continueInBackground(run, releaseSlot);
    return c.json(runObject(run));
  });
}
