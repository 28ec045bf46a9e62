import type { Hono } from "hono";
import { type ChatCompletionRequest, chatCompletionRequestSchema } from "../chat-request-schema.ts";
import { chatCompletionCall } from "../chat-request-to-call-options.ts";
import { nodeConnection, signalConnection } from "../client-connection.ts";
import { completeWithModel, type GatewayRequest } from "../complete-with-model.ts";
import type { GatewayContext } from "../gateway-context.ts";
import type { GatewayEnv } from "../gateway-env.ts";
import { readBodyText } from "../read-body-text.ts";
import { readJsonBody } from "../read-json-body.ts";
import { unknownModelError } from "./models-routes.ts";

/** Answers a chat completion for an agent (`agent:<name>`); absent when the server runs no agents. */
export type AgentCompletion = (
  gateway: GatewayContext,
  request: GatewayRequest & { body: ChatCompletionRequest },
) => Promise<Response>;

/** POST /v1/chat/completions: routed by model id to a catalog model, or to an agent that runs server-side. */
export function registerChatCompletionRoutes(
  app: Hono<GatewayEnv>,
  gateway: GatewayContext,
  completeWithAgent: AgentCompletion,
): void {
  app.post("/v1/chat/completions", async (c) => {
    const body = readJsonBody(await readBodyText(c.req, gateway.bodyLimitBytes), chatCompletionRequestSchema);
    const served = gateway.models.find(body.model);
    if (!served) throw unknownModelError(body.model);
    const caller = c.get("caller");
    const releaseSlot = await gateway.limits.admit(caller);
    // Behind @hono/node-server the Node response is at hand (in memory, with `app.request`, it is not); watching
    // it spares building the web request's abort signal.
    const nodeResponse = c.env?.outgoing;
    const client = nodeResponse ? nodeConnection(nodeResponse) : signalConnection(c.req.raw.signal);
    const request = { caller, client, releaseSlot, nodeResponse, trace: c.get("trace") };
    if (served.kind === "agent") return completeWithAgent(gateway, { ...request, body });
    return completeWithModel(gateway, { ...request, ...chatCompletionCall(body) });
  });
}
