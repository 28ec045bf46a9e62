import type { LanguageModelV3FinishReason, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { emptyUsage } from "../../cost/usage.ts";
import type { AnswerStreamWriter, BilledUsage } from "../answer-format.ts";
import type { GatewayError } from "../gateway-errors.ts";
import { namedEventText } from "../server-sent-events.ts";
import { anthropicErrorBody } from "./anthropic-error-body.ts";
import { anthropicStopReason, anthropicUsage } from "./anthropic-usage.ts";
import { thinkingSignature } from "./thinking-signature.ts";

type OpenBlock = { kind: "thinking"; text: string } | { kind: "text" } | { kind: "tool"; id: string };

const event = (type: string, body: Record<string, unknown>) => namedEventText(type, JSON.stringify({ type, ...body }));

/**
 * One streamed answer as Anthropic's events. Blocks open when their first delta comes and close when another kind
 * begins (so the provider's start and end parts need not line up); a thinking block closes with its signature.
 */
export class MessagesStreamWriter implements AnswerStreamWriter {
  private open: OpenBlock | undefined;
  private index = -1;
  private readonly streamedTools = new Set<string>();

  constructor(
    private readonly id: string,
    private readonly model: string,
  ) {}

  opening(): string {
    const message = {
      id: this.id,
      type: "message",
      role: "assistant",
      model: this.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // The real counts come in message_delta, once the upstream has reported them.
      usage: anthropicUsage(emptyUsage()),
    };
    return event("message_start", { message });
  }

  part(part: LanguageModelV3StreamPart): string {
    switch (part.type) {
      case "reasoning-delta": {
        if (part.delta === "") return "";
        const opened =
          this.open?.kind === "thinking" ? "" : this.start({ type: "thinking", thinking: "", signature: "" });
        if (this.open?.kind === "thinking") this.open.text += part.delta;
        return opened + this.delta({ type: "thinking_delta", thinking: part.delta });
      }
      case "text-delta": {
        if (part.delta === "") return "";
        const opened = this.open?.kind === "text" ? "" : this.start({ type: "text", text: "" });
        return opened + this.delta({ type: "text_delta", text: part.delta });
      }
      case "tool-input-start":
        this.streamedTools.add(part.id);
        return this.start({ type: "tool_use", id: part.id, name: part.toolName, input: {} }, part.id);
      case "tool-input-delta":
        if (part.delta === "" || this.open?.kind !== "tool" || this.open.id !== part.id) return "";
        return this.delta({ type: "input_json_delta", partial_json: part.delta });
      case "tool-call": {
        // Providers that stream no tool input send the whole call here; one already streamed is not sent twice.
        if (this.streamedTools.has(part.toolCallId)) return "";
        this.streamedTools.add(part.toolCallId);
        const opened = this.start(
          { type: "tool_use", id: part.toolCallId, name: part.toolName, input: {} },
          part.toolCallId,
        );
        return opened + this.delta({ type: "input_json_delta", partial_json: part.input });
      }
      default:
        return "";
    }
  }

  finished(finishReason: LanguageModelV3FinishReason, billed: BilledUsage): string {
    return (
      this.close() +
      event("message_delta", {
        delta: { stop_reason: anthropicStopReason(finishReason), stop_sequence: null },
        usage: anthropicUsage(billed.usage, billed.costUsd),
      }) +
      event("message_stop", {})
    );
  }

  cut(error: GatewayError, _billed: BilledUsage): string {
    return this.close() + event("error", anthropicErrorBody(error));
  }

  /** Closes the open block and opens the next one. */
  private start(block: Record<string, unknown>, toolId?: string): string {
    const closed = this.close();
    this.index += 1;
    this.open =
      block.type === "thinking"
        ? { kind: "thinking", text: "" }
        : block.type === "text"
          ? { kind: "text" }
          : { kind: "tool", id: toolId ?? "" };
    return closed + event("content_block_start", { index: this.index, content_block: block });
  }

  private delta(delta: Record<string, unknown>): string {
    return event("content_block_delta", { index: this.index, delta });
  }

  private close(): string {
    const open = this.open;
    if (!open) return "";
    this.open = undefined;
    const signature =
      open.kind === "thinking" ? this.delta({ type: "signature_delta", signature: thinkingSignature(open.text) }) : "";
    return signature + event("content_block_stop", { index: this.index });
  }
}
