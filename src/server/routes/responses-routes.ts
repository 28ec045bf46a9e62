import type { Hono } from "hono";
import type { AgentRuns } from "../agent-runs.ts";
import { nodeConnection, signalConnection } from "../client-connection.ts";
import { completeWithModel } from "../complete-with-model.ts";
import type { GatewayContext } from "../gateway-context.ts";
import type { GatewayEnv } from "../gateway-env.ts";
import { ServerFaultError } from "../gateway-errors.ts";
import { readBodyText } from "../read-body-text.ts";
import { readJsonBody } from "../read-json-body.ts";
import { ResponseChains } from "../responses/response-chains.ts";
import type { ResponseObject } from "../responses/response-object.ts";
import { inputItemsOf, responsesCall } from "../responses/responses-call.ts";
import { responsesRequestSchema } from "../responses/responses-request-schema.ts";
import { responsesWithAgent } from "../responses/responses-with-agent.ts";
import { unknownModelError } from "./models-routes.ts";

/**
 * POST /v1/responses (the OpenAI Responses API, as Codex CLI speaks it): routed by model id to a catalog model or
 * an agent, as chat completions are; `previous_response_id` continues a stored conversation of the same key.
 */
export function registerResponsesRoutes(
  app: Hono<GatewayEnv>,
  gateway: GatewayContext,
  agents: AgentRuns | undefined,
): void {
  const chains = new ResponseChains(gateway.store);
  const withAgent = agents ? responsesWithAgent(agents) : undefined;
  app.post("/v1/responses", async (c) => {
    const body = readJsonBody(await readBodyText(c.req, gateway.bodyLimitBytes), responsesRequestSchema);
    const served = gateway.models.find(body.model);
    if (!served) throw unknownModelError(body.model);
    const caller = c.get("caller");
    const history = body.previous_response_id ? await chains.history(caller, body.previous_response_id) : [];
    const inputItems = inputItemsOf(body);
    let answered: ResponseObject | undefined;
    const keep = (response: ResponseObject) => {
      answered = response;
      if (body.store !== false) chains.keep(caller, inputItems, response);
    };
    const releaseSlot = await gateway.limits.admit(caller);
    const nodeResponse = c.env?.outgoing;
    const client = nodeResponse ? nodeConnection(nodeResponse) : signalConnection(c.req.raw.signal);
    const request = { caller, client, releaseSlot, nodeResponse, trace: c.get("trace") };
    let response: Response;
    if (served.kind === "agent") {
      if (!withAgent) {
        releaseSlot();
        throw new ServerFaultError(
          "This server was started without an agent runtime, so it runs no agents.",
          "not_implemented",
          501,
        );
      }
      response = await withAgent({ ...request, body, history, keep });
    } else {
      response = await completeWithModel(gateway, { ...request, ...responsesCall(body, { history, keep }) });
    }
    // A whole answer goes back once it is stored, so the caller's next request can name it at once.
    if (answered) await chains.saved(answered.id);
    return response;
  });
}
