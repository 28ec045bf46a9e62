import type { Hono } from "hono";
import { countPromptTokens } from "../../models/tokenizers/prompt-tokens.ts";
import { nodeConnection, signalConnection } from "../client-connection.ts";
import { completeWithModel } from "../complete-with-model.ts";
import type { GatewayContext } from "../gateway-context.ts";
import type { GatewayEnv } from "../gateway-env.ts";
import { InvalidRequestError } from "../gateway-errors.ts";
import { messagesPromptSchema, messagesRequestSchema } from "../messages/messages-request-schema.ts";
import { messagesCall, messagesTools } from "../messages/messages-to-call-options.ts";
import { messagesToPrompt } from "../messages/messages-to-prompt.ts";
import { readBodyText } from "../read-body-text.ts";
import { readJsonBody } from "../read-json-body.ts";
import { gatewayErrorOf } from "../upstream-errors.ts";
import { unknownModelError } from "./models-routes.ts";

/** The model a Messages request names, if this server serves it as a model (agents speak Chat Completions here). */
function servedModel(gateway: GatewayContext, model: string) {
  const served = gateway.models.find(model);
  if (!served) throw unknownModelError(model);
  if (served.kind === "agent") {
    throw new InvalidRequestError(
      `\`${model}\` is an agent; agents are served on POST /v1/chat/completions, not on the Messages API. ` +
        "Call it there, or name a model here (GET /v1/models).",
      { code: "agent_not_served_here", param: "model" },
    );
  }
  return served;
}

/**
 * POST /v1/messages (Anthropic's Messages API, for @anthropic-ai/sdk and Claude Code) on catalog models, through the
 * same model call, budgets and ledger as chat completions; POST /v1/messages/count_tokens, free but keyed.
 */
export function registerMessagesRoutes(app: Hono<GatewayEnv>, gateway: GatewayContext): void {
  app.post("/v1/messages", async (c) => {
    const body = readJsonBody(await readBodyText(c.req, gateway.bodyLimitBytes), messagesRequestSchema);
    servedModel(gateway, body.model);
    const caller = c.get("caller");
    const releaseSlot = await gateway.limits.admit(caller);
    const nodeResponse = c.env?.outgoing;
    const client = nodeResponse ? nodeConnection(nodeResponse) : signalConnection(c.req.raw.signal);
    return completeWithModel(gateway, {
      caller,
      client,
      releaseSlot,
      nodeResponse,
      trace: c.get("trace"),
      ...messagesCall(body),
    });
  });

  app.post("/v1/messages/count_tokens", async (c) => {
    const body = readJsonBody(await readBodyText(c.req, gateway.bodyLimitBytes), messagesPromptSchema);
    servedModel(gateway, body.model);
    let entry: Awaited<ReturnType<GatewayContext["models"]["resolve"]>>["entry"];
    try {
      entry = (await gateway.models.resolve(body.model)).entry;
    } catch (error) {
      throw gatewayErrorOf(error);
    }
    const count = await countPromptTokens(entry, messagesToPrompt(body), messagesTools(body));
    c.header(
      "x-tansuo-token-count",
      count.exact ? `exact${count.tokenizer ? `; ${count.tokenizer}` : ""}` : "upper-bound",
    );
    return c.json({ input_tokens: count.tokens });
  });
}
