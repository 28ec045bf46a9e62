import { randomUUID } from "node:crypto";
import type { LanguageModelV3Usage } from "@ai-sdk/provider";
import type { TokenUsage } from "../cost/usage.ts";
import type { ResolvedModel } from "../models/resolved-model.ts";
import { chatCompletionBody } from "./chat-completion-body.ts";
import { ChatCompletionChunks } from "./chat-completion-chunks.ts";
import { chatCompletionStream, type StreamEnding } from "./chat-completion-stream.ts";
import type { ChatCompletionRequest } from "./chat-request-schema.ts";
import { chatRequestToCallOptions, requestedOutputTokens } from "./chat-request-to-call-options.ts";
import type { GatewayContext } from "./gateway-context.ts";
import type { Caller } from "./gateway-env.ts";
import { billCall } from "./meter.ts";
import { openAiUsage } from "./openai-usage.ts";
import { serverSentEventHeaders } from "./server-sent-events.ts";
import { estimatedUsage, promptTokenUpperBound } from "./token-estimates.ts";
import { UpstreamCall } from "./upstream-call.ts";
import { gatewayErrorOf } from "./upstream-errors.ts";

export interface ModelCompletionRequest {
  caller: Caller;
  body: ChatCompletionRequest;
  /** Fires when the client disconnects. */
  clientSignal: AbortSignal | undefined;
  /** Gives back the key's concurrency slot; called once the answer has ended. */
  releaseSlot: () => void;
}

const usageIsKnown = (usage: LanguageModelV3Usage): boolean =>
  usage.raw !== undefined || usage.inputTokens.total !== undefined || usage.outputTokens.total !== undefined;

const nothingStreamed = { outputBytes: 0, reasoningBytes: 0, deltas: 0 };

/**
 * One chat completion against a catalog model: budget check (402 before any upstream call), the upstream call
 * with the caller's disconnect and the gateway's timeout wired to its abort signal, then the ledger row.
 */
export async function completeWithModel(gateway: GatewayContext, request: ModelCompletionRequest): Promise<Response> {
  const { body, caller } = request;
  const at = gateway.now();
  let resolved: ResolvedModel;
  try {
    resolved = await gateway.models.resolve(body.model);
  } catch (error) {
    request.releaseSlot();
    throw gatewayErrorOf(error);
  }
  const options = chatRequestToCallOptions(body);
  const entry = resolved.entry;
  let grant: ReturnType<GatewayContext["budget"]["reserve"]>;
  try {
    grant = gateway.budget.reserve(caller.key, {
      promptTokenBound: () => promptTokenUpperBound(options),
      requestedOutputTokens: requestedOutputTokens(body),
      modelOutputTokens: entry.defaultOutputTokens ?? entry.maxOutputTokens,
      price: resolved.priceAt(at),
    });
  } catch (error) {
    request.releaseSlot();
    throw error;
  }
  options.maxOutputTokens = grant.maxOutputTokens;
  const upstream = new UpstreamCall(request.clientSignal, gateway.upstreamTimeoutMilliseconds);
  options.abortSignal = upstream.signal;
  const provider = resolved.model.provider;
  const settle = () => {
    upstream.dispose();
    grant.release();
    request.releaseSlot();
  };
  const bill = (usage: TokenUsage) =>
    billCall(gateway.store, { at, keyId: caller.key?.id, modelId: body.model, model: resolved, usage });
  const headers: Record<string, string> =
    grant.clampedFrom === undefined ? {} : { "x-tansuo-max-tokens": String(grant.maxOutputTokens) };
  const id = `chatcmpl-${randomUUID().replaceAll("-", "")}`;
  const created = Math.floor(at.getTime() / 1000);

  try {
    if (!body.stream) {
      const result = await upstream.started(resolved.model.doGenerate(options));
      const usage = usageIsKnown(result.usage)
        ? resolved.usageOf(result.usage)
        : estimatedUsage(options, nothingStreamed);
      const cost = bill(usage);
      settle();
      const answer = chatCompletionBody({
        id,
        created,
        model: body.model,
        content: result.content,
        finishReason: result.finishReason,
        usage: openAiUsage(usage, cost.totalUsd),
      });
      return new Response(JSON.stringify(answer), { headers: { "content-type": "application/json", ...headers } });
    }
    const result = await upstream.started(resolved.model.doStream(options));
    const stream = chatCompletionStream({
      parts: result.stream,
      chunks: new ChatCompletionChunks(id, created, body.model),
      includeUsage: body.stream_options?.include_usage === true,
      provider,
      abortUpstream: () => upstream.abort(),
      bill: (ending: StreamEnding) => {
        try {
          const usage =
            ending.kind === "finished" && usageIsKnown(ending.usage)
              ? resolved.usageOf(ending.usage)
              : estimatedUsage(options, ending.streamed);
          return openAiUsage(usage, bill(usage).totalUsd);
        } finally {
          settle();
        }
      },
    });
    return new Response(stream, { headers: { ...serverSentEventHeaders, ...headers } });
  } catch (error) {
    // The client left before the upstream answered: the prompt was sent, so it is billed as an estimate.
    if (upstream.clientLeft) bill(estimatedUsage(options, nothingStreamed));
    settle();
    throw gatewayErrorOf(error, provider);
  }
}
