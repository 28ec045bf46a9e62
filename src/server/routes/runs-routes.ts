import type { Hono } from "hono";
import { z } from "zod";
import { approveRun, cancelRun, RunStateError } from "../../agent/index.ts";
import { shownRunStatus } from "../../agent/interrupted-run.ts";
import { Usd } from "../../cost/usd.ts";
import type { RunRecord, ToolCallRecord } from "../../store/records.ts";
import type { AgentRuns } from "../agent-runs.ts";
import type { GatewayContext } from "../gateway-context.ts";
import type { GatewayEnv } from "../gateway-env.ts";
import { InvalidRequestError, RunStateConflictError } from "../gateway-errors.ts";
import { readBodyText } from "../read-body-text.ts";
import { readJsonBody } from "../read-json-body.ts";
import { runEventStream } from "../run-event-stream.ts";
import { runObject } from "../run-object.ts";
import { agentModelPrefix } from "../served-models.ts";
import { serverSentEventHeaders } from "../server-sent-events.ts";
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
  // A run left `running` by a killed process shows `interrupted`; the gateway's own live runs are not taken for gone.
  const shownRunObject = async (run: RunRecord, toolCalls?: readonly ToolCallRecord[]) =>
    runObject(run, toolCalls, await shownRunStatus(store, run, agents.runtime.activeRuns));

  app.post("/v1/runs", async (c) => {
    const body = readJsonBody(await readBodyText(c.req, gateway.bodyLimitBytes), startRunSchema);
    const caller = c.get("caller");
    const agentName = body.agent ?? body.model!.slice(agentModelPrefix.length);
    await refuseUnavailableModel(gateway.models, agents.modelOf(agentName));
    const releaseSlot = gateway.limits.admit(caller);
    let run: Awaited<ReturnType<AgentRuns["start"]>>;
    try {
      run = await agents.start(caller, agentName, body.task, body.budget_usd);
    } catch (error) {
      releaseSlot();
      throw error;
    }
    agents.continueInBackground(run.id, releaseSlot);
    return c.json(runObject(run), 201, { location: `/v1/runs/${run.id}` });
  });

  app.get("/v1/runs", async (c) => {
    const limit = Number(c.req.query("limit") ?? "20");
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new InvalidRequestError("`limit` must be a whole number from 1 to 1000.", { param: "limit" });
    }
    const key = c.get("caller").key;
    const runs = await store.listRuns(key ? { ownerKeyId: key.id, limit } : { limit });
    return c.json({ object: "list", data: await Promise.all(runs.map((run) => shownRunObject(run))) });
  });

  app.get("/v1/runs/:id", async (c) => {
    const run = await agents.visible(c.get("caller"), c.req.param("id"));
    return c.json(await shownRunObject(run, await store.listToolCalls(run.id)));
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
    const releaseSlot = gateway.limits.admit(caller);
    let approved: Awaited<ReturnType<typeof approveRun>>;
    try {
      approved = await approveRun(agents.runtime, run.id, decision);
    } catch (error) {
      releaseSlot();
      return stateConflict(error);
    }
    agents.continueInBackground(run.id, releaseSlot);
    return c.json(runObject(approved));
  });

  // A follow-up to a finished run (not cancelled): the same run continues in the background, like an approval.
  app.post("/v1/runs/:id/messages", async (c) => {
    const caller = c.get("caller");
    await agents.visible(caller, c.req.param("id"));
    const body = readJsonBody(await readBodyText(c.req, gateway.bodyLimitBytes), messageSchema);
    const releaseSlot = gateway.limits.admit(caller);
    let queued: Awaited<ReturnType<AgentRuns["addMessage"]>>;
    try {
      queued = await agents.addMessage(caller, c.req.param("id"), body.content);
    } catch (error) {
      releaseSlot();
      return stateConflict(error);
    }
    agents.continueInBackground(queued.id, releaseSlot);
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
