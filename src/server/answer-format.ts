import type { LanguageModelV3Content, LanguageModelV3FinishReason, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import type { TokenUsage } from "../cost/usage.ts";
import type { GatewayError } from "./gateway-errors.ts";

/** What the gateway billed for one answer: its usage and the exact amount recorded in the ledger. */
export interface BilledUsage {
  usage: TokenUsage;
  costUsd: string;
}

/** A whole (non-streamed) answer, in the provider's content parts. */
export interface WholeAnswer {
  id: string;
  /** Unix seconds. */
  created: number;
  /** The model id the client named. */
  model: string;
  content: readonly LanguageModelV3Content[];
  finishReason: LanguageModelV3FinishReason;
  billed: BilledUsage;
}

/**
 * One client API's shape of a model's answer (Chat Completions, Responses, Anthropic Messages): the gateway's
 * metering, budgets and upstream call are shared, and each API is one value of this type in a file of its own.
 */
export interface AnswerFormat {
  /** How the API's answer ids start (`chatcmpl-`, `resp_`, `msg_`). */
  idPrefix: string;
  body(answer: WholeAnswer): unknown;
  /** A writer for one streamed answer. */
  streamWriter(answer: { id: string; created: number; model: string }): AnswerStreamWriter;
}

/** Turns one answer's stream parts into the API's server-sent event frames (whole frames, `\n\n` ended). */
export interface AnswerStreamWriter {
  /** Frames sent before any part (a role chunk, `message_start`). */
  opening(): string;
  /** Frames for one provider part; "" when the API shows nothing for it. */
  part(part: LanguageModelV3StreamPart): string;
  /** The closing frames of an answer the upstream finished. */
  finished(finishReason: LanguageModelV3FinishReason, billed: BilledUsage): string;
  /** The closing frames of an answer cut short (the upstream broke off): an error event in the API's shape. */
  cut(error: GatewayError, billed: BilledUsage): string;
}
