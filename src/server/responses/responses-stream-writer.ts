import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import type { AnswerStreamWriter } from "../answer-format.ts";
import { namedEventText } from "../server-sent-events.ts";
import {
  type ResponseHeader,
  type ResponseObject,
  responseObject,
  responseStatusOf,
  responsesUsage,
} from "./response-object.ts";
import {
  functionCallItem,
  messageItem,
  OutputItemIds,
  outputTextPart,
  reasoningItem,
} from "./response-output-items.ts";

/** An output item being streamed: its place in `output`, and the text or arguments sent so far. */
interface OpenItem {
  kind: "reasoning" | "message" | "function_call";
  id: string;
  outputIndex: number;
  text: string;
  call?: { callId: string; name: string };
}

/**
 * The Responses API's typed event stream for one answer: `response.created` and `response.in_progress`, then each
 * output item (reasoning, message, function call) added, its deltas, and done, then `response.completed` carrying
 * the whole response with its usage. Every event has its `sequence_number`. `onEnded` gets the final response.
 */
export function responsesStreamWriter(
  header: ResponseHeader,
  onEnded: (response: ResponseObject) => void,
): AnswerStreamWriter {
  const ids = new OutputItemIds(header.id);
  const output: unknown[] = [];
  const openCalls = new Map<string, OpenItem>();
  let current: OpenItem | undefined;
  let sequence = 0;

  const event = (type: string, fields: Record<string, unknown>) =>
    namedEventText(type, JSON.stringify({ type, sequence_number: sequence++, ...fields }));
  const at = (item: OpenItem) => ({ item_id: item.id, output_index: item.outputIndex });

  const open = (kind: OpenItem["kind"], id: string, call?: OpenItem["call"]): { item: OpenItem; frames: string } => {
    const item: OpenItem = { kind, id, outputIndex: output.length, text: "", call };
    const added =
      kind === "reasoning"
        ? reasoningItem(id, "", "in_progress")
        : kind === "message"
          ? messageItem(id, undefined, "in_progress")
          : functionCallItem(id, { ...call!, arguments: "" }, "in_progress");
    output.push(added);
    let frames = event("response.output_item.added", { output_index: item.outputIndex, item: added });
    if (kind === "reasoning") {
      frames += event("response.content_part.added", {
        ...at(item),
        content_index: 0,
        part: { type: "reasoning_text", text: "" },
      });
    } else if (kind === "message") {
      frames += event("response.content_part.added", { ...at(item), content_index: 0, part: outputTextPart("") });
    }
    return { item, frames };
  };

  const close = (item: OpenItem): string => {
    const part = { ...at(item), content_index: 0 };
    let frames: string;
    let done: unknown;
    if (item.kind === "reasoning") {
      done = reasoningItem(item.id, item.text, "completed");
      frames =
        event("response.reasoning_text.done", { ...part, text: item.text }) +
        event("response.content_part.done", { ...part, part: { type: "reasoning_text", text: item.text } });
    } else if (item.kind === "message") {
      done = messageItem(item.id, item.text, "completed");
      frames =
        event("response.output_text.done", { ...part, text: item.text, logprobs: [] }) +
        event("response.content_part.done", { ...part, part: outputTextPart(item.text) });
    } else {
      done = functionCallItem(item.id, { ...item.call!, arguments: item.text }, "completed");
      frames = event("response.function_call_arguments.done", {
        ...at(item),
        name: item.call!.name,
        arguments: item.text,
      });
    }
    output[item.outputIndex] = done;
    return frames + event("response.output_item.done", { output_index: item.outputIndex, item: done });
  };

  /** Text or thinking goes to the open item of its kind; another kind closes it first. */
  const textDelta = (kind: "reasoning" | "message", delta: string): string => {
    if (delta === "") return "";
    let frames = "";
    if (current?.kind !== kind) {
      if (current) frames += close(current);
      const opened = open(kind, kind === "reasoning" ? ids.reasoning() : ids.message());
      current = opened.item;
      frames += opened.frames;
    }
    current.text += delta;
    const type = kind === "reasoning" ? "response.reasoning_text.delta" : "response.output_text.delta";
    const extra = kind === "message" ? { logprobs: [] } : {};
    return frames + event(type, { ...at(current), content_index: 0, delta, ...extra });
  };

  const closeCurrent = (): string => {
    const frames = current ? close(current) : "";
    current = undefined;
    return frames;
  };

  const startCall = (callId: string, name: string): { item: OpenItem; frames: string } => {
    const frames = closeCurrent();
    const opened = open("function_call", ids.functionCall(), { callId, name });
    openCalls.set(callId, opened.item);
    return { item: opened.item, frames: frames + opened.frames };
  };

  const argumentsDelta = (item: OpenItem, delta: string): string => {
    if (delta === "") return "";
    item.text += delta;
    return event("response.function_call_arguments.delta", { ...at(item), delta });
  };

  const closeAll = (): string => {
    let frames = closeCurrent();
    for (const item of openCalls.values()) frames += close(item);
    openCalls.clear();
    return frames;
  };

  const lifecycle = (type: string, response: ResponseObject) => event(type, { response });

  return {
    opening: () => {
      const response = responseObject(header, { status: "in_progress", output: [] });
      return lifecycle("response.created", response) + lifecycle("response.in_progress", response);
    },
    part: (part: LanguageModelV3StreamPart) => {
      switch (part.type) {
        case "reasoning-delta":
          return textDelta("reasoning", part.delta);
        case "text-delta":
          return textDelta("message", part.delta);
        case "tool-input-start":
          return startCall(part.id, part.toolName).frames;
        case "tool-input-delta": {
          const item = openCalls.get(part.id);
          return item ? argumentsDelta(item, part.delta) : "";
        }
        case "tool-call": {
          // Providers that stream no tool input send the whole call here; a streamed one ends with it.
          const streamed = openCalls.get(part.toolCallId);
          if (streamed) {
            openCalls.delete(part.toolCallId);
            streamed.text = part.input;
            return close(streamed);
          }
          const started = startCall(part.toolCallId, part.toolName);
          openCalls.delete(part.toolCallId);
          return started.frames + argumentsDelta(started.item, part.input) + close(started.item);
        }
        default:
          return "";
      }
    },
    finished: (finishReason, billed) => {
      const frames = closeAll();
      const { status, incomplete_details } = responseStatusOf(finishReason);
      const response = responseObject(header, {
        status,
        output,
        usage: responsesUsage(billed.usage, billed.costUsd),
        incompleteDetails: incomplete_details,
        completedAt: Math.floor(Date.now() / 1000),
      });
      onEnded(response);
      return frames + lifecycle(status === "completed" ? "response.completed" : "response.incomplete", response);
    },
    cut: (error, billed) => {
      const frames = closeAll();
      const response = responseObject(header, {
        status: "failed",
        output,
        usage: responsesUsage(billed.usage, billed.costUsd),
        error: { code: error.code ?? "server_error", message: error.message },
      });
      return (
        frames +
        lifecycle("response.failed", response) +
        event("error", { code: error.code, message: error.message, param: error.param })
      );
    },
  };
}
