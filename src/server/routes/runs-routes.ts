import type { Hono } from "hono";
import { z } from "zod";
import { approveRun, cancelRun, RunStateError } from "../../agent/index.ts";
import { Usd } from "../../cost/usd.ts";
import type { AgentRuns } from "../agent-runs.ts";
import type { GatewayContext } from "../gateway-context.ts";
import type { GatewayEnv } from "../gateway-env.ts";
import { InvalidRequestError, RunStateConflictError } from "../gateway-errors.ts";
import { readBodyText } from "../read-body-text.ts";
import { readJsonBody } from "../read-json-body.ts";
import { runEventStream } from "../run-event-stream.ts";
import { listShownRuns, runListQuery } from "../run-list-query.ts";
import { runListStream } from "../run-list-stream.ts";
import { runObject } from "../run-object.ts";
import { runTreeObject } from "../run-tree-object.ts";
import { agentModelPrefix } from "../served-models.ts";
import { serverSentEventHeaders } from "../server-sent-events.ts";
import { shownRunObject } from "../shown-run-object.ts";
import { refuseUnavailableModel } from "../unavailable-model.ts";

const usd = z
  .union([z.string(), z.number()])
  .transform(String)
  .refine((value) => /^\d+(\.\d+)?$/.test(value) && Usd.isPositive(value), "an amount in USD above 0, such as 0.50");

const startRunSchema = z
  .object({
    /** The agent's name; `model: "agent:<name>"` is taken too, as in chat completions. */
    agent: z.string().min(1).optional(),
    model: z.string().startsWith(agentModelPrefix).optional(),
    task: z.string().min(1),
    budget_usd: usd.optional(),
    /** Left `queued` for `tansuo worker` processes instead of executed by this gateway. */
    queue: z.boolean().optional(),
  })
  .refine((body) => body.agent !== undefined || body.model !== undefined, {
    message: "name the agent to run (agent, or model as agent:<name>)",
    path: ["agent"],
  });

// `call_id` answers one call; without it every waiting call (an interrupted one included) gets the answer.
const approveSchema = z
  .object({ approve: z.boolean().default(true), always: z.boolean().default(false), call_id: z.string().optional() })
  .transform(({ call_id, ...decision }) => ({ ...decision, callId: call_id }));

// Whitespace alone is no message; the content is kept exactly as sent.
const messageSchema = z.object({
  content: z.string().refine((content) => content.trim() !== "", "a message with some text"),
});

const stateConflict = (error: unknown): never => {
  if (error instanceof RunStateError) throw new RunStateConflictError(error.message);
  throw error;
};

const optionalBody = (text: string): string => (text.trim() === "" ? "{}" : text);

/** The runs API: start (returns at once), list, get, follow events over SSE, add a message, approve, cancel. */
export function registerRunRoutes(app: Hono<GatewayEnv>, gateway: GatewayContext, agents: AgentRuns): void {
  const { store } = gateway;

  app.post("/v1/runs", async (c) => {
    const body = readJsonBody(await readBodyText(c.req, gateway.bodyLimitBytes), startRunSchema);
    const caller = c.get("caller");
    const agentName = body.agent ?? body.model!.slice(agentModelPrefix.length);
    await refuseUnavailableModel(gateway.models, agents.modelOf(agentName));
    const releaseSlot = await gateway.limits.admit(caller);
    let run: Awaited<ReturnType<AgentRuns["start"]>>;
    try {
      run = await agents.start(caller, agentName, body.task, body.budget_usd, { queue: body.queue });
    } catch (error) {
      releaseSlot();
      throw error;
    }
    agents.continueInBackground(run, releaseSlot);
    return c.json(runObject(run), 201, { location: `/v1/runs/${run.id}` });
  });

  // Newest first, filtered; `?stream=true` follows changes to the same selection over SSE instead.
  app.get("/v1/runs", async (c) => {
    const query = runListQuery(c.get("caller"), (name) => c.req.query(name));
    if (c.req.query("stream") === "true") {
      return new Response(runListStream(store, query, { activeRuns: agents.runtime.activeRuns }), {
        headers: serverSentEventHeaders,
      });
    }
    // Taken before the read, a second early: a stream from it re-sends at worst a run the list already shows.
    const asOf = new Date(gateway.now().getTime() - 1000).toISOString();
    const { runs, hasMore } = await listShownRuns(store, query, agents.runtime.activeRuns);
    return c.json({
      object: "list",
      data: runs.map(({ run, status }) => runObject(run, [], status)),
      has_more: hasMore,
      as_of: asOf,
    });
  });

  app.get("/v1/runs/:id", async (c) => {
    const run = await agents.visible(c.get("caller"), c.req.param("id"));
    const shown = await shownRunObject(store, run, await store.listToolCalls(run.id), agents.runtime.activeRuns);
    // `cost_usd` is the run's own calls; `tree_cost_usd` adds its child runs' (agents as tools), each counted once.
    return c.json({ ...shown, ...(await runTreeObject(store, run)) });
  });

  app.get("/v1/runs/:id/events", async (c) => {
    const run = await agents.visible(c.get("caller"), c.req.param("id"));
    const from = c.req.header("last-event-id") ?? c.req.query("after") ?? "0";
    const afterSequence = Number(from);
    if (!Number.isInteger(afterSequence) || afterSequence < 0) {
      throw new InvalidRequestError(`Last-Event-ID "${from}" is not an event id (a whole number).`, {
        param: "Last-Event-ID",
      });
    }
    return new Response(runEventStream(agents.runtime, run.id, afterSequence), { headers: serverSentEventHeaders });
  });

  app.post("/v1/runs/:id/approve", async (c) => {
    const caller = c.get("caller");
    const run = await agents.visible(caller, c.req.param("id"));
    const decision = readJsonBody(optionalBody(await readBodyText(c.req, gateway.bodyLimitBytes)), approveSchema);
    const releaseSlot = await gateway.limits.admit(caller);
    let approved: Awaited<ReturnType<typeof approveRun>>;
    try {
      approved = await approveRun(agents.runtime, run.id, decision);
    } catch (error) {
      releaseSlot();
      return stateConflict(error);
    }
    agents.continueInBackground(approved, releaseSlot);
    return c.json(runObject(approved));
  });

  // A follow-up to a finished run (not cancelled): the same run continues in the background, like an approval.
  app.post("/v1/runs/:id/messages", async (c) => {
    const caller = c.get("caller");
    await agents.visible(caller, c.req.param("id"));
    const body = readJsonBody(await readBodyText(c.req, gateway.bodyLimitBytes), messageSchema);
    const releaseSlot = await gateway.limits.admit(caller);
    let queued: Awaited<ReturnType<AgentRuns["addMessage"]>>;
    try {
      queued = await agents.addMessage(caller, c.req.param("id"), body.content);
    } catch (error) {
      releaseSlot();
      return stateConflict(error);
    }
    agents.continueInBackground(queued, releaseSlot);
    return c.json(runObject(queued));
  });

  app.post("/v1/runs/:id/cancel", async (c) => {
    const run = await agents.visible(c.get("caller"), c.req.param("id"));
    try {
      return c.json(runObject(await cancelRun(agents.runtime, run.id)));
    } catch (error) {
      return stateConflict(error);
    }
  });
}
