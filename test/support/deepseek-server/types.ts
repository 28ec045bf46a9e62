import type { IncomingHttpHeaders } from "node:http";

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "insufficient_system_resource";

export type ErrorStatus = 400 | 401 | 402 | 422 | 429 | 500 | 503;

/** Which reasoning_content conformance rule the server enforces, as the real API did in each era. */
export type ReasoningContentRule = "legacy-r1-rejects" | "v3.2-requires-on-tool-turns" | "none";

export interface ScriptedToolCall {
  /** Defaults to a DeepSeek-looking id such as `call_00_...`. */
  id?: string;
  name: string;
  /** An object is sent as JSON; a string is sent as is, so a test can send invalid JSON. */
  arguments: Record<string, unknown> | string;
}

export interface ScriptedUsage {
  /** Defaults to a deterministic estimate from the JSON length of the request's messages. */
  promptTokens?: number;
  /** Defaults to 0 (or the shared prefix, with the server's `prefixCache`); prompt_tokens is always hit + miss. */
  cacheHitTokens?: number;
  /** Defaults to reasoning tokens plus an estimate from the answer's length. */
  completionTokens?: number;
  /** Defaults to an estimate from the length of `reasoningContent`. */
  reasoningTokens?: number;
}

interface Timing {
  /** Wait this long before the first byte of the answer. */
  delayMs?: number;
}

/** A successful answer; a streaming request gets it as chunks, a plain one as one JSON body. */
export interface ScriptedCompletion extends Timing {
  /** Defaults to "". */
  content?: string | null;
  reasoningContent?: string;
  toolCalls?: ScriptedToolCall[];
  /** Defaults to `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: FinishReason;
  usage?: ScriptedUsage;
  /** SSE `: keep-alive` comments (streaming) or blank lines (plain) sent before the answer. */
  keepAlives?: number;
  /** Pause between stream chunks, so a test can cancel mid-stream. */
  chunkDelayMs?: number;
  /**
   * Drop the connection after this many `data:` frames (`[DONE]` counts as one), as a network failure would.
   * A plain answer's body counts as one frame, so 0 drops it before the body.
   */
  destroyAfterChunks?: number;
}

/** An error answer in DeepSeek's JSON error format. */
export interface ScriptedError extends Timing {
  status: ErrorStatus;
  /** Defaults to DeepSeek's text for the status ("Insufficient Balance", ...). */
  message?: string;
  /** Overrides the default `error.type` for the status. */
  type?: string;
  /** Overrides the default `error.code` for the status. */
  code?: string;
  /** Sent as the `Retry-After` header. */
  retryAfterSeconds?: number;
}

/** How to answer one chat-completions request. */
export type ScriptedReply = ScriptedCompletion | ScriptedError;

export interface RecordedRequest {
  method: string;
  /** The path without the query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  /** The HTTP status the server answered with; undefined until the headers are sent. */
  status: number | undefined;
  /** True when the client closed the connection before the answer was complete. */
  disconnected: boolean;
}

export interface DeepSeekServerOptions {
  /** Replies used in order, one per chat-completions request. */
  script?: ScriptedReply[];
  /** Answers requests once the script is used up; without it they get a 500 "script exhausted". */
  fallback?: (request: RecordedRequest) => ScriptedReply;
  /** Defaults to `{ reasoningContent: "none" }`. */
  rules?: { reasoningContent: ReasoningContentRule };
  /** When set, requests must send `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /**
   * Report cache hits as DeepSeek does, for replies that script none: the longest prefix this request's messages
   * share with an earlier request's (their JSON, 4 characters a token), in whole 64-token units.
   */
  prefixCache?: boolean;
  /**
   * Count prompt and completion tokens (for replies that script none) as DeepSeek does: its V3 tokenizer with the
   * official chat template (see token-count.ts). Off by default: the 4-characters-a-token estimate is used.
   */
  countTokens?: "deepseek-v3";
}

export interface DeepSeekServer {
  /** Base URL such as `http://127.0.0.1:PORT`; `/v1` and `/beta` prefixes are served too. */
  readonly url: string;
  /** Every request received, in arrival order, including rejected ones. */
  readonly requests: readonly RecordedRequest[];
  /** How many requests the client abandoned before the answer was complete. */
  readonly disconnects: number;
  /** Chat requests that found neither a scripted reply nor a fallback. */
  readonly unscriptedRequests: number;
  /** The scripted replies not used yet. */
  remainingScript(): ScriptedReply[];
  close(): Promise<void>;
}
