import type { LanguageModelV3Message, LanguageModelV3Prompt, LanguageModelV3ToolResultOutput } from "@ai-sdk/provider";
import type { AssistantMessage, RunMessage, RunSettings, StepRecord, ToolCallRecord } from "../store/records.ts";
import { jsonTextTooDeep, maximumJsonDepth } from "../tools/json-depth.ts";
import { imagePlaceholder } from "../tools/tool-output.ts";
import { denialText } from "./approval.ts";
import { systemPrompt } from "./system-prompt.ts";

/** The text a tool call returns to the model, whatever its state. */
export function toolResultText(call: ToolCallRecord): string {
  if (call.status === "denied") return call.output ?? denialText(call.toolName, false);
  return call.output ?? "";
}

/** What the prompt can carry: a model with `vision` gets images, others their text and a note. */
export interface HistoryOptions {
  vision: boolean;
}

/** The output part of a tool result: with its images on a vision model, else text that says what was left out. */
export function toolResultOutput(call: ToolCallRecord, options: HistoryOptions): LanguageModelV3ToolResultOutput {
  const text = toolResultText(call);
  const images = call.status === "finished" ? (call.outputImages ?? []) : [];
  if (images.length === 0) return { type: call.isError ? "error-text" : "text", value: text };
  if (!options.vision) {
    const note = `[${images.map(imagePlaceholder).join(" ")} not shown: this model has no vision]`;
    return { type: call.isError ? "error-text" : "text", value: text ? `${text}\n${note}` : note };
  }
  return {
    type: "content",
    value: [
      ...(text ? [{ type: "text" as const, text }] : []),
      ...images.map((image) => ({ type: "image-data" as const, data: image.base64, mediaType: image.mediaType })),
    ],
  };
}

/**
 * The conversation as the model sees it: system prompt, the task, then each step's assistant message (reasoning
 * kept; the provider applies its replay rule) and its tool results in call order. Append-only by construction.
 */
export class History {
  readonly messages: LanguageModelV3Message[];
  /** A person's messages that follow tool results not in yet (an interrupted last step); see appendDeferred. */
  private deferred: string[] = [];
  /** The run step each message belongs to, in message order (none: system, task, a compaction summary). */
  readonly stepOfMessage: (number | undefined)[] = [undefined, undefined];
  /** Where the next compaction summary goes: after the system prompt, the task and earlier summaries. */
  private pinnedCount = 2;

  constructor(
    settings: RunSettings,
    private readonly options: HistoryOptions = { vision: false },
  ) {
    // The task's images go with it as file parts; a run with images on a model without vision never gets here.
    const images = options.vision ? (settings.images ?? []) : [];
    this.messages = [
      { role: "system", content: systemPrompt(settings) },
      {
        role: "user",
        content: [
          { type: "text", text: settings.task },
          ...images.map((image) => ({ type: "file" as const, mediaType: image.mediaType, data: image.base64 })),
        ],
      },
    ];
  }

  /**
   * `repairAfter` names the user message a kept step's answer got (a structured-output repair), if any. A person's
   * `messages` go after the steps they followed, so what came before each one is sent unchanged (and stays cached).
   */
  static rebuild(
    settings: RunSettings,
    steps: StepRecord[],
    toolCalls: ToolCallRecord[],
    repairAfter?: (step: StepRecord, calls: ToolCallRecord[]) => string | undefined,
    options: HistoryOptions = { vision: false },
    messages: readonly RunMessage[] = [],
  ): History {
    const history = new History(settings, options);
    // Steps up to the last compaction's `throughStep` are in the prompt only as the summaries (after the task).
    const compactions = steps.filter((step) => step.assistant.compaction && !step.assistant.discarded);
    for (const step of compactions) history.pinSummary(step.assistant.compaction!.summary);
    const compactedThrough = compactions.at(-1)?.assistant.compaction?.throughStep ?? -1;
    const messagesBefore = (stepIndex: number) =>
      messages.filter((message) => message.afterStep === stepIndex && message.afterStep > compactedThrough + 1);
    for (const message of messagesBefore(0)) history.appendUser(message.content);
    let resultsIn = true;
    for (const step of steps) {
      const calls = toolCalls.filter((call) => call.stepIndex === step.index);
      if (step.assistant.compaction) continue;
      if (step.index <= compactedThrough) {
        repairAfter?.(step, calls);
        continue;
      }
      if (!step.assistant.discarded) {
        history.appendAssistant(step.assistant, step.index);
        resultsIn = calls.every((call) => call.status === "finished" || call.status === "denied");
        if (resultsIn && calls.length > 0) history.appendToolResults(calls);
        // The last step is judged again by the loop itself, which appends its repair message if it needs one.
        const repair = step !== steps.at(-1) ? repairAfter?.(step, calls) : undefined;
        if (repair !== undefined) history.appendUser(repair);
      }
      for (const message of messagesBefore(step.index + 1)) {
        // Only the last step's results can be missing: the loop runs its calls, then appends these after them.
        if (resultsIn) history.appendUser(message.content);
        else history.deferred.push(message.content);
      }
    }
    return history;
  }

  /** Appends the messages that waited for the last step's tool results (call after appendToolResults). */
  appendDeferred(): void {
    for (const text of this.deferred.splice(0)) this.appendUser(text);
  }

  appendUser(text: string): void {
    this.messages.push({ role: "user", content: [{ type: "text", text }] });
    // A person's message or a repair belongs to the step it follows.
    this.stepOfMessage.push(this.stepOfMessage.at(-1));
  }

  /** A compaction summary, after the task and earlier summaries: what precedes it stays a cached prefix. */
  private pinSummary(summary: string): void {
    this.messages.splice(this.pinnedCount, 0, { role: "user", content: [{ type: "text", text: summary }] });
    this.stepOfMessage.splice(this.pinnedCount, 0, undefined);
    this.pinnedCount += 1;
  }

  /** Replaces the messages of steps up to `throughStep` with `summary` (a compaction step was committed). */
  compact(throughStep: number, summary: string): void {
    const kept = this.stepOfMessage.map((step, index) => index < this.pinnedCount || (step ?? -1) > throughStep);
    const messages = this.messages.filter((_message, index) => kept[index]);
    const steps = this.stepOfMessage.filter((_step, index) => kept[index]);
    this.messages.splice(0, this.messages.length, ...messages);
    this.stepOfMessage.splice(0, this.stepOfMessage.length, ...steps);
    this.pinSummary(summary);
  }

  appendAssistant(assistant: AssistantMessage, step?: number): void {
    const content: Extract<LanguageModelV3Message, { role: "assistant" }>["content"] = [];
    if (assistant.reasoning) content.push({ type: "reasoning", text: assistant.reasoning });
    if (assistant.text) content.push({ type: "text", text: assistant.text });
    for (const call of assistant.toolCalls) {
      content.push({ type: "tool-call", toolCallId: call.id, toolName: call.name, input: safeJson(call.input) });
    }
    this.messages.push({ role: "assistant", content });
    this.stepOfMessage.push(step ?? this.stepOfMessage.at(-1));
  }

  appendToolResults(calls: ToolCallRecord[]): void {
    this.messages.push({
      role: "tool",
      content: [...calls]
        .sort((left, right) => left.position - right.position)
        .map((call) => ({
          type: "tool-result" as const,
          toolCallId: call.callId,
          toolName: call.toolName,
          output: toolResultOutput(call, this.options),
        })),
    });
    this.stepOfMessage.push(calls[0]?.stepIndex ?? this.stepOfMessage.at(-1));
  }

  get prompt(): LanguageModelV3Prompt {
    return this.messages;
  }
}

/** Replayed instead of arguments too deep to parse: re-serialising them (prompt estimate, wire) would overflow. */
const tooDeepArguments = { omitted: `arguments nested more than ${maximumJsonDepth} levels deep` };

function safeJson(input: string): unknown {
  if (jsonTextTooDeep(input)) return tooDeepArguments;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}
