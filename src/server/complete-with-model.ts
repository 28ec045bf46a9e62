import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { LanguageModelV3CallOptions, LanguageModelV3Content, LanguageModelV3Usage } from "@ai-sdk/provider";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { upperBoundUsage } from "../cost/estimated-usage.ts";
import { fallbackReason, overloadedReason } from "../models/fallback-reason.ts";
import { ProviderMalformedAnswerError } from "../models/openai-chat/provider-errors.ts";
import type { ResolvedModel } from "../models/resolved-model.ts";
import { promptCountingFor } from "../models/tokenizers/prompt-tokens.ts";
import type { RequestTrace } from "../telemetry/telemetry.ts";
import type { AnswerFormat } from "./answer-format.ts";
import { streamAnswer } from "./answer-stream.ts";
import { CallAccounting } from "./call-accounting.ts";
import { promptHasImages } from "./chat-messages-to-prompt.ts";
import type { ClientConnection } from "./client-connection.ts";
import { messageOf } from "./error-response.ts";
import type { EventStreamSink } from "./event-stream-sink.ts";
import { readToFirstAnswerPart } from "./first-answer-part.ts";
import type { GatewayContext } from "./gateway-context.ts";
import type { Caller } from "./gateway-env.ts";
import { InvalidRequestError } from "./gateway-errors.ts";
import { nodeResponseSink } from "./node-response-sink.ts";
import { serverSentEventHeaders } from "./server-sent-events.ts";
import { estimatedUsage, promptTokenUpperBound } from "./token-estimates.ts";
import { UpstreamCall } from "./upstream-call.ts";
import { gatewayErrorOf } from "./upstream-errors.ts";
import { webStreamSink } from "./web-stream-sink.ts";

/** What every gateway request carries, whatever API it speaks. */
export interface GatewayRequest {
  caller: Caller;
  /** Tells when the client disconnects. */
  client: ClientConnection;
  /** Gives back the key's concurrency slot; called once the answer has ended. */
  releaseSlot: () => void;
  /** The Node response behind the request, when there is one: a stream is then written to it directly. */
  nodeResponse?: ServerResponse;
  /** The request's span (telemetry): the upstream call is a `chat` span under it. */
  trace?: RequestTrace;
}

/** A client's request as the provider call it asks for, once its model is resolved. */
export interface TranslatedCall {
  /** The output allowance is set by the budget afterwards. */
  options: LanguageModelV3CallOptions;
  /** The client's own output allowance, when it named one. */
  requestedOutputTokens?: number;
}

/** One model call in a client API's shape (Chat Completions, Responses, Messages). */
export interface ModelCompletionRequest extends GatewayRequest {
  /** The model id the client named (a catalog model this gateway serves). */
  model: string;
  stream: boolean;
  /** Translates the request for the resolved model; throws the caller's error, and nothing is sent upstream. */
  translate(resolved: ResolvedModel): TranslatedCall;
  /** How the answer is written back. */
  format: AnswerFormat;
}

const usageIsKnown = (usage: LanguageModelV3Usage): boolean =>
  usage.raw !== undefined || usage.inputTokens.total !== undefined || usage.outputTokens.total !== undefined;

const nothingStreamed = { outputBytes: 0, reasoningBytes: 0, deltas: 0 };

/** What a whole (non-streamed) answer holds, in the form the estimate rule counts: its bytes. */
function generatedOutput(content: LanguageModelV3Content[]) {
  let outputBytes = 0;
  let reasoningBytes = 0;
  for (const part of content) {
    if (part.type === "text") outputBytes += Buffer.byteLength(part.text);
    else if (part.type === "reasoning") reasoningBytes += Buffer.byteLength(part.text);
    else if (part.type === "tool-call") outputBytes += Buffer.byteLength(part.input);
  }
  return { outputBytes, reasoningBytes, deltas: 0 };
}

/**
 * One model call for a client: the named model, then its entry's `fallbacks` in order while a call fails before
 * anything was sent to the client for a reason the provider is to blame for (down, 5xx, 429 past the retries, or a
 * whole answer cut for lack of resources). Each model is translated for and held against the budget at its own
 * price; the answer and the ledger row name the model that answered.
 */
export async function completeWithModel(gateway: GatewayContext, request: ModelCompletionRequest): Promise<Response> {
  const releaseSlot = once(request.releaseSlot);
  const first = await attemptModel(gateway, request, request.model, { releaseSlot, fellBackFrom: undefined });
  if ("answered" in first) return first.answered;
  const passedOver: string[] = [];
  for (const model of first.fallbacks) {
    const attempt = await attemptModel(gateway, request, model, {
      releaseSlot,
      fellBackFrom: { model: request.model, reason: first.reason },
    }).catch((error: unknown) => ({ passedOver: messageOf(error) }));
    if ("answered" in attempt) return attempt.answered;
    passedOver.push(`${model}: ${"reason" in attempt ? attempt.reason : attempt.passedOver}`);
  }
  releaseSlot();
  const failure = gatewayErrorOf(first.failure, first.provider);
  failure.message += ` No fallback answered (${passedOver.join("; ")}).`;
  throw failure;
}

interface AttemptOptions {
  releaseSlot: () => void;
  /** Set on a fallback: the model the client named and why it failed. */
  fellBackFrom: { model: string; reason: string } | undefined;
}

/** A call that failed before anything reached the client, for a reason another model may not share. */
interface FallbackWorthyFailure {
  failure: unknown;
  reason: string;
  provider: string;
  /** The failed model's `fallbacks` (only the client's model's are used). */
  fallbacks: readonly string[];
}

/**
 * One model's call: budget check (402 before any upstream call), the upstream call with the caller's disconnect and
 * the gateway's timeout wired to its abort signal, then the ledger row. A failure another model may not share is
 * returned (its hold given back, its slot kept) when the model has fallbacks or is one; any other is thrown.
 */
async function attemptModel(
  gateway: GatewayContext,
  request: ModelCompletionRequest,
  model: string,
  attempt: AttemptOptions,
): Promise<{ answered: Response } | FallbackWorthyFailure> {
  const { caller, format } = request;
  const at = gateway.now();
  const fallingBack = attempt.fellBackFrom !== undefined;
  // Before the upstream call, a fallback's own refusal only passes it over: the slot stays for the next one.
  const refuse = (error: unknown): never => {
    if (!fallingBack) attempt.releaseSlot();
    throw error;
  };
  let resolved: ResolvedModel;
  try {
    resolved = await gateway.models.resolve(model);
  } catch (error) {
    return refuse(gatewayErrorOf(error));
  }
  const entry = resolved.entry;
  const fallbacks = fallingBack ? [] : (entry.fallbacks ?? []);
  let translated: TranslatedCall;
  try {
    translated = request.translate(resolved);
    if (!entry.capabilities.vision && promptHasImages(translated.options.prompt)) {
      throw new InvalidRequestError(
        `The model \`${model}\` has no vision, so it cannot be sent images; nothing was sent upstream. Use a vision model (GET /v1/models), or send text only.`,
        { code: "model_not_vision", param: "messages" },
      );
    }
  } catch (error) {
    // A message the gateway cannot translate (an image that is not one, arguments too deep) frees the slot too.
    return refuse(error);
  }
  const { options } = translated;
  // The model family's tokenizer, when it has one: the hold is the prompt's real size plus a margin, not its bytes.
  const counting = await promptCountingFor(entry);
  let grant: Awaited<ReturnType<GatewayContext["budget"]["reserve"]>>;
  try {
    grant = await gateway.budget.reserve(caller.key, {
      promptTokenBound: () => promptTokenUpperBound(options, counting),
      requestedOutputTokens: translated.requestedOutputTokens,
      modelOutputTokens: entry.defaultOutputTokens ?? entry.maxOutputTokens,
      price: resolved.priceAt(at),
    });
  } catch (error) {
    return refuse(error);
  }
  options.maxOutputTokens = grant.maxOutputTokens;
  const upstream = new UpstreamCall(request.client, gateway.upstreamTimeoutMilliseconds);
  options.abortSignal = upstream.signal;
  const provider = resolved.model.provider;
  const modelCall = request.trace?.modelCall({
    provider: entry.provider,
    requestModel: entry.upstreamModel,
    maxOutputTokens: grant.maxOutputTokens,
  });
  // A failure that moves on to a fallback keeps the key's slot for it; any other end gives it back.
  let keepSlot = false;
  const accounting = new CallAccounting(
    gateway.store,
    { at, keyId: caller.key?.id, modelId: model, model: resolved },
    grant,
    () => {
      upstream.dispose();
      if (!keepSlot) attempt.releaseSlot();
    },
    modelCall,
  );
  const headers: Record<string, string> = {
    "x-tansuo-model": model,
    ...(attempt.fellBackFrom
      ? {
          "x-tansuo-fallback-from": attempt.fellBackFrom.model,
          "x-tansuo-fallback-reason": headerText(attempt.fellBackFrom.reason),
        }
      : {}),
    ...(grant.clampedFrom === undefined ? {} : { "x-tansuo-max-tokens": String(grant.maxOutputTokens) }),
  };
  const canFallBack = fallingBack || fallbacks.length > 0;
  const id = `${format.idPrefix}${randomUUID().replaceAll("-", "")}`;
  const created = Math.floor(at.getTime() / 1000);

  try {
    if (!request.stream) {
      const result = await upstream.started(resolved.model.doGenerate(options));
      const usage = usageIsKnown(result.usage)
        ? resolved.usageOf(result.usage)
        : estimatedUsage(options, generatedOutput(result.content), counting);
      // A whole answer the provider cut for lack of resources is billed, and the next model is asked.
      if (canFallBack && result.finishReason.raw === "insufficient_system_resource") {
        keepSlot = true;
        await accounting.bill(usage);
        return { failure: new Error(overloadedReason(1)), reason: overloadedReason(1), provider, fallbacks };
      }
      const billed = await accounting.bill(usage);
      const answer = format.body({
        id,
        created,
        model,
        content: result.content,
        finishReason: result.finishReason,
        billed,
      });
      return {
        answered: new Response(JSON.stringify(answer), {
          headers: { "content-type": "application/json", ...headers },
        }),
      };
    }
    // Answering has started only with its first part: a stream that fails before it can still fall back.
    const result = await upstream.started(
      resolved.model.doStream(options).then(async (opened) => ({
        ...opened,
        stream: canFallBack ? await readToFirstAnswerPart(opened.stream, provider) : opened.stream,
      })),
    );
    const responseHeaders = { ...serverSentEventHeaders, ...headers };
    const streamTo = (sink: EventStreamSink) =>
      streamAnswer(
        {
          parts: result.stream,
          writer: format.streamWriter({ id, created, model }),
          provider,
          abortUpstream: () => upstream.abort(),
          price: (ending) =>
            accounting.price(
              ending.kind === "finished" && usageIsKnown(ending.usage)
                ? resolved.usageOf(ending.usage)
                : estimatedUsage(options, ending.streamed, counting),
            ),
        },
        sink,
      ).catch((error: unknown) => reportStreamFailure(error, sink));
    if (request.nodeResponse) {
      streamTo(nodeResponseSink(request.nodeResponse, responseHeaders));
      // Written straight to the Node response: @hono/node-server is told to leave it alone.
      return { answered: RESPONSE_ALREADY_SENT };
    }
    const web = webStreamSink();
    streamTo(web.sink);
    return { answered: new Response(web.stream, { headers: responseHeaders }) };
  } catch (error) {
    modelCall?.fail(error);
    const reason = upstream.clientLeft || !canFallBack ? undefined : fallbackReason(error);
    // A fallback's failure of any kind leaves the slot to the next fallback (completeWithModel gives it back last).
    keepSlot = reason !== undefined || fallingBack;
    // The client left before the upstream answered: the prompt was sent, so it is billed as an estimate.
    if (upstream.clientLeft) await accounting.bill(estimatedUsage(options, nothingStreamed, counting));
    // A 200 answer that could not be read was still generated and may be charged: its whole allowance is billed.
    else if (error instanceof ProviderMalformedAnswerError) {
      await accounting.bill(
        upperBoundUsage(promptTokenUpperBound(options, counting), undefined, options.maxOutputTokens),
      );
    }
    await accounting.settle();
    if (reason !== undefined) return { failure: error, reason, provider, fallbacks };
    throw gatewayErrorOf(error, provider);
  }
}

// A provider's message may hold any character; a header value may hold printable ASCII only.
const headerText = (text: string): string => text.replace(/[^\x20-\x7e]/g, "?").slice(0, 300);

function once(action: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    action();
  };
}

/** Ends an answer whose stream failed after it started, and says what could not be accounted for. */
function reportStreamFailure(error: unknown, sink: EventStreamSink): void {
  sink.end("");
  process.emitWarning(
    `A streamed chat completion failed after it started: ${messageOf(error)}. ` +
      "If its ledger row could not be written, its key keeps the request's budget hold until the server restarts.",
  );
}
