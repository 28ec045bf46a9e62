import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
  SharedV3Warning,
} from "@ai-sdk/provider";
import type { UsageSemantics } from "../../cost/wire-usage.ts";
import type { ReasoningReplay } from "../model-entry.ts";
import { RequestNotSentError } from "../unbilled-call.ts";
import { convertPrompt } from "./convert-prompt.ts";
import { fetchTransport } from "./fetch-transport.ts";
import { mapFinishReason } from "./map-finish-reason.ts";
import { createNodeHttpTransport } from "./node-http-transport.ts";
import { parseWireAnswer, type WireSource } from "./parse-wire-answer.ts";
import {
  ProviderConnectionError,
  ProviderProtocolError,
  ProviderResponseError,
  parseRetryAfter,
  redactSecret,
} from "./provider-errors.ts";
import { ServerSentEventParser } from "./server-sent-events.ts";
import { readAnswerText, type UpstreamAnswer, type UpstreamTransport } from "./upstream-answer.ts";
import {
  type ChatCompletionChunk,
  chatCompletionChunkSchema,
  chatCompletionSchema,
  type WireToolCall,
} from "./wire-schemas.ts";
import { wireUsageToV3 } from "./wire-usage-to-v3.ts";

export interface OpenAiChatSettings {
  /** Shown in errors and events, e.g. "deepseek". */
  provider: string;
  upstreamModel: string;
  /** Base URL without the trailing /chat/completions. */
  baseUrl: string;
  apiKey: string | undefined;
  reasoningReplay: ReasoningReplay;
  usageSemantics: UsageSemantics;
  /** True when the model's thinking mode is switched by DeepSeek's `thinking` request field. */
  thinkingRequestField: boolean;
  headers?: Record<string, string>;
  /** Sends the requests instead of the default transport (node:http and node:https with keep-alive connections). */
  fetch?: typeof globalThis.fetch;
}

/** Per-call options under providerOptions.tansuo. */
interface TansuoCallOptions {
  thinking?: "enabled" | "disabled";
  /** Fields a provider's descriptor adds to the request body (its own thinking switch); never replace Tansuo's. */
  requestFields?: Record<string, unknown>;
}

// DeepSeek closes a request that has not finished after 30 minutes; wait no longer than that.
const requestTimeoutMilliseconds = 30 * 60 * 1000;
const nodeHttpTransport = createNodeHttpTransport({ timeoutMilliseconds: requestTimeoutMilliseconds });

/**
 * The OpenAI chat-completions wire protocol, with DeepSeek's additions handled in one place:
 * `reasoning_content` in and out, cache-split usage, keep-alive comments and blank lines,
 * `insufficient_system_resource`, and the per-model reasoning replay rule.
 */
export class OpenAiChatLanguageModel implements LanguageModelV3 {
  readonly specificationVersion = "v3";
  readonly supportedUrls = { "image/*": [/^https?:\/\/.*$/] };

  private readonly transport: UpstreamTransport;

  constructor(private readonly settings: OpenAiChatSettings) {
    this.transport = settings.fetch ? fetchTransport(settings.fetch, requestTimeoutMilliseconds) : nodeHttpTransport;
  }

  get provider(): string {
    return this.settings.provider;
  }

  get modelId(): string {
    return this.settings.upstreamModel;
  }

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const { body, payload: requestText, warnings } = this.prepareRequest(options, false);
    const answer = await this.post(requestText, options);
    const text = await readAnswerText(answer);
    // Non-streaming keep-alives are blank lines before the JSON body.
    const payload = parseWireAnswer(chatCompletionSchema, text.trimStart(), this.wireSource());
    // The schema asks for at least one choice.
    const choice = payload.choices[0]!;
    const content: LanguageModelV3Content[] = [];
    const message = choice.message;
    if (message.reasoning_content) content.push({ type: "reasoning", text: message.reasoning_content });
    if (message.content) content.push({ type: "text", text: message.content });
    for (const call of message.tool_calls ?? []) {
      content.push({
        type: "tool-call",
        toolCallId: call.id ?? crypto.randomUUID(),
        toolName: call.function?.name ?? "",
        input: call.function?.arguments || "{}",
      });
    }
    return {
      content,
      finishReason: mapFinishReason(choice.finish_reason),
      usage: wireUsageToV3(payload.usage, this.settings.usageSemantics),
      request: { body },
      response: {
        id: payload.id ?? undefined,
        modelId: payload.model ?? undefined,
        timestamp: payload.created ? new Date(payload.created * 1000) : undefined,
        headers: answer.headers,
        body: payload,
      },
      warnings,
    };
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const { body, payload, warnings } = this.prepareRequest(options, true);
    const answer = await this.post(payload, options);
    const reader = answer.body;
    if (!reader) throw new ProviderProtocolError(`${this.settings.provider} sent an empty stream`);
    const provider = this.settings.provider;
    const source = this.wireSource();
    const semantics = this.settings.usageSemantics;
    let cancelled = false;
    const stream = new ReadableStream<LanguageModelV3StreamPart>({
      async start(controller) {
        const state = new StreamState(controller);
        const events = new ServerSentEventParser();
        controller.enqueue({ type: "stream-start", warnings });
        try {
          // Every event a chunk completes is handled at once; `[DONE]` ends the answer.
          let sawDone = false;
          const accept = (data: string): boolean => {
            if (data === "[DONE]") {
              sawDone = true;
              return false;
            }
            state.accept(parseWireAnswer(chatCompletionChunkSchema, data, source), semantics);
            return true;
          };
          let open = true;
          while (open) {
            const { value, done } = await reader.read();
            if (cancelled) return;
            open = !done && events.push(value).every(accept);
            if (done) events.end().every(accept);
          }
          // A body that stops before [DONE] and before any finish reason was cut off, not finished.
          if (!sawDone && !state.finished) {
            throw new ProviderProtocolError(`${provider} closed the stream before the answer was complete`);
          }
          // The rest of the body (the end of a chunked answer) is read in the background: the connection is reused.
          reader.releaseLock();
          state.finish();
        } catch (error) {
          if (cancelled) return;
          controller.enqueue({ type: "error", error });
          // Nothing more of this answer will be read: close the connection rather than leave it paused and open.
          await reader.cancel(error).catch(() => {});
        }
        controller.close();
      },
      async cancel(reason) {
        cancelled = true;
        await reader.cancel(reason).catch(() => {});
      },
    });
    return { stream, request: { body }, response: { headers: answer.headers } };
  }

  /** The body and its text; a failure here is Tansuo's, before anything was sent, so it is never billed. */
  private prepareRequest(options: LanguageModelV3CallOptions, stream: boolean) {
    try {
      const { body, warnings } = this.requestBody(options, stream);
      return { body, payload: JSON.stringify(body), warnings };
    } catch (error) {
      throw new RequestNotSentError(this.settings.provider, error);
    }
  }

  private requestBody(options: LanguageModelV3CallOptions, stream: boolean) {
    const warnings: SharedV3Warning[] = [];
    const tansuoOptions = (options.providerOptions?.tansuo ?? {}) as TansuoCallOptions;
    const tools = (options.tools ?? []).flatMap((tool) => {
      if (tool.type !== "function") {
        warnings.push({ type: "unsupported", feature: `provider tool ${tool.name}` });
        return [];
      }
      return [
        {
          type: "function",
          function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
        },
      ];
    });
    const body: Record<string, unknown> = {
      model: this.settings.upstreamModel,
      messages: convertPrompt(options.prompt, this.settings.reasoningReplay),
      max_tokens: options.maxOutputTokens,
      temperature: options.temperature,
      top_p: options.topP,
      frequency_penalty: options.frequencyPenalty,
      presence_penalty: options.presencePenalty,
      stop: options.stopSequences,
      seed: options.seed,
      stream,
      stream_options: stream ? { include_usage: true } : undefined,
      tools: tools.length > 0 ? tools : undefined,
      tool_choice: tools.length > 0 ? toolChoice(options.toolChoice) : undefined,
      response_format: options.responseFormat?.type === "json" ? { type: "json_object" } : undefined,
      thinking:
        this.settings.thinkingRequestField && tansuoOptions.thinking ? { type: tansuoOptions.thinking } : undefined,
    };
    for (const [field, value] of Object.entries(tansuoOptions.requestFields ?? {})) {
      if (body[field] === undefined) body[field] = value;
    }
    return { body, warnings };
  }

  private wireSource(): WireSource {
    return { provider: this.settings.provider, apiKey: this.settings.apiKey };
  }

  private async post(payload: string, options: LanguageModelV3CallOptions): Promise<UpstreamAnswer> {
    const url = `${this.settings.baseUrl.replace(/\/+$/, "")}/chat/completions`;
    const headers: Record<string, string> = { "content-type": "application/json", ...this.settings.headers };
    if (this.settings.apiKey) headers.authorization = `Bearer ${this.settings.apiKey}`;
    for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers[name] = value;
    let answer: UpstreamAnswer;
    try {
      answer = await this.transport(url, { headers, body: payload, signal: options.abortSignal });
    } catch (error) {
      if (options.abortSignal?.aborted) throw options.abortSignal.reason ?? error;
      throw new ProviderConnectionError(this.settings.provider, url, error);
    }
    if (answer.status < 200 || answer.status > 299) {
      const text = await readAnswerText(answer).catch(() => "");
      throw new ProviderResponseError(
        this.settings.provider,
        answer.status,
        redactSecret(errorMessage(text) || answer.statusText, this.settings.apiKey),
        parseRetryAfter(answer.headers["retry-after"] ?? null),
      );
    }
    return answer;
  }
}

function toolChoice(choice: LanguageModelV3CallOptions["toolChoice"]): unknown {
  if (!choice) return undefined;
  if (choice.type === "tool") return { type: "function", function: { name: choice.toolName } };
  return choice.type;
}

function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    if (typeof parsed.error === "string") return parsed.error;
    return parsed.error?.message ?? parsed.message ?? text.slice(0, 500);
  } catch {
    return text.slice(0, 500);
  }
}

/** Turns chat-completion chunks into stream parts, gathering tool-call fragments by index. */
class StreamState {
  private textOpen = false;
  private reasoningOpen = false;
  private metadataSent = false;
  private finishReason: LanguageModelV3FinishReason = { unified: "other", raw: undefined };
  private usage: LanguageModelV3Usage | undefined;
  private readonly toolCalls = new Map<number, { id: string; name: string; arguments: string }>();

  constructor(private readonly controller: ReadableStreamDefaultController<LanguageModelV3StreamPart>) {}

  /** True once a chunk carried a finish reason. */
  get finished(): boolean {
    return this.finishReason.raw !== undefined;
  }

  accept(chunk: ChatCompletionChunk, semantics: UsageSemantics): void {
    if (!this.metadataSent) {
      this.metadataSent = true;
      this.controller.enqueue({
        type: "response-metadata",
        id: chunk.id ?? undefined,
        modelId: chunk.model ?? undefined,
        timestamp: chunk.created ? new Date(chunk.created * 1000) : undefined,
      });
    }
    if (chunk.usage) this.usage = wireUsageToV3(chunk.usage, semantics);
    for (const choice of chunk.choices ?? []) {
      const delta = choice.delta ?? {};
      if (delta.reasoning_content) {
        if (!this.reasoningOpen) this.controller.enqueue({ type: "reasoning-start", id: "reasoning-0" });
        this.reasoningOpen = true;
        this.controller.enqueue({ type: "reasoning-delta", id: "reasoning-0", delta: delta.reasoning_content });
      }
      if (delta.content) {
        this.closeReasoning();
        if (!this.textOpen) this.controller.enqueue({ type: "text-start", id: "text-0" });
        this.textOpen = true;
        this.controller.enqueue({ type: "text-delta", id: "text-0", delta: delta.content });
      }
      for (const call of delta.tool_calls ?? []) this.acceptToolCall(call);
      if (choice.finish_reason) this.finishReason = mapFinishReason(choice.finish_reason);
    }
  }

  finish(): void {
    this.closeReasoning();
    if (this.textOpen) this.controller.enqueue({ type: "text-end", id: "text-0" });
    for (const call of [...this.toolCalls.entries()].sort(([left], [right]) => left - right).map(([, call]) => call)) {
      this.controller.enqueue({ type: "tool-input-end", id: call.id });
      this.controller.enqueue({
        type: "tool-call",
        toolCallId: call.id,
        toolName: call.name,
        input: call.arguments || "{}",
      });
    }
    this.controller.enqueue({
      type: "finish",
      finishReason: this.finishReason,
      usage: this.usage ?? wireUsageToV3(undefined, "openai"),
    });
  }

  private acceptToolCall(fragment: WireToolCall): void {
    const index = fragment.index ?? this.toolCalls.size;
    let call = this.toolCalls.get(index);
    if (!call) {
      call = { id: fragment.id ?? crypto.randomUUID(), name: fragment.function?.name ?? "", arguments: "" };
      this.toolCalls.set(index, call);
      this.controller.enqueue({ type: "tool-input-start", id: call.id, toolName: call.name });
    } else if (fragment.function?.name) {
      call.name += fragment.function.name;
    }
    const argumentsDelta = fragment.function?.arguments;
    if (argumentsDelta) {
      call.arguments += argumentsDelta;
      this.controller.enqueue({ type: "tool-input-delta", id: call.id, delta: argumentsDelta });
    }
  }

  private closeReasoning(): void {
    if (this.reasoningOpen) this.controller.enqueue({ type: "reasoning-end", id: "reasoning-0" });
    this.reasoningOpen = false;
  }
}
