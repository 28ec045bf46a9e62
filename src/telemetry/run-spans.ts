import { context, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import type { RunObserver } from "../agent/run-observer.ts";
import type { ModelEntry } from "../models/model-entry.ts";
import type { RunRecord, StepRecord, ToolCallRecord } from "../store/records.ts";
import { genAi, providerName, tansuoAttributes, usageAttributes } from "./gen-ai-attributes.ts";
import { recordFailure } from "./record-failure.ts";

const failedStatuses = new Set(["failed", "budget_exhausted", "cancelled"]);

/**
 * One execution of a run as GenAI spans: `invoke_agent` around it, a `chat` span per model call (from its
 * `step-started` event to its commit) and an `execute_tool` span per tool call (from its start to its result).
 */
export class RunSpans implements RunObserver {
  private readonly agentSpan: Span;
  private readonly parent: ReturnType<typeof context.active>;
  private entry: ModelEntry | undefined;
  private readonly chats = new Map<number, Span>();
  private readonly tools = new Map<string, Span>();

  constructor(
    private readonly tracer: Tracer,
    run: RunRecord,
    private readonly captureContent: boolean,
  ) {
    const agentName = run.settings.agentName ?? "tansuo";
    // A run started by a gateway request nests under that request's span (the current context).
    this.agentSpan = tracer.startSpan(`invoke_agent ${agentName}`, {
      kind: SpanKind.INTERNAL,
      attributes: {
        [genAi.operationName]: "invoke_agent",
        [genAi.agentName]: agentName,
        [genAi.conversationId]: run.id,
        [tansuoAttributes.runId]: run.id,
        [genAi.requestModel]: run.settings.model,
        ...(captureContent ? { [genAi.inputMessages]: userMessage(run.settings.task) } : {}),
      },
    });
    this.parent = trace.setSpan(context.active(), this.agentSpan);
  }

  modelResolved(entry: ModelEntry): void {
    this.entry = entry;
    this.agentSpan.setAttributes({
      [genAi.providerName]: providerName(entry.provider),
      [genAi.requestModel]: entry.upstreamModel,
    });
  }

  event(event: Parameters<RunObserver["event"]>[0]): void {
    if (event.type === "step-started") this.startChat(event.step, event.maxOutputTokens);
    else if (event.type === "tool-result") this.endTool(event.callId, event.toolName, event.output, event.isError);
  }

  stepRecorded(step: StepRecord): void {
    const span = this.chats.get(step.index) ?? this.startChat(step.index);
    this.chats.delete(step.index);
    span.setAttributes({
      ...usageAttributes(step.usage, step.costUsd),
      [genAi.responseFinishReasons]: [step.finishReason],
      ...((step.price as { estimated?: boolean }).estimated ? { [tansuoAttributes.estimated]: true } : {}),
    });
    if (this.captureContent && !step.assistant.discarded) {
      span.setAttribute(genAi.outputMessages, assistantMessage(step));
    }
    if (step.assistant.discarded) recordFailure(span, step.assistant.discardReason ?? "discarded", "discarded_answer");
    span.end();
  }

  toolStarted(call: ToolCallRecord): void {
    this.tools.set(call.callId, this.startTool(call.callId, call.toolName, call.input));
  }

  ended(run: RunRecord | undefined): void {
    const error = new Error(run?.error ?? "the run stopped before it finished");
    // Spans still open (the run stopped mid-call) end with it, marked failed.
    for (const span of [...this.chats.values(), ...this.tools.values()]) {
      recordFailure(span, error, run?.status ?? "interrupted");
      span.end();
    }
    this.chats.clear();
    this.tools.clear();
    if (run) {
      this.agentSpan.setAttributes({
        [tansuoAttributes.runStatus]: run.status,
        ...usageAttributes(run.usage, run.costUsd),
      });
      if (this.captureContent && run.output !== undefined) {
        this.agentSpan.setAttribute(genAi.outputMessages, JSON.stringify([textMessage("assistant", run.output)]));
      }
    }
    if (!run || failedStatuses.has(run.status)) recordFailure(this.agentSpan, error, run?.status ?? "interrupted");
    else if (run.status === "succeeded") this.agentSpan.setStatus({ code: SpanStatusCode.OK });
    this.agentSpan.end();
  }

  private startChat(step: number, maxOutputTokens?: number): Span {
    const model = this.entry?.upstreamModel ?? "unknown";
    const span = this.tracer.startSpan(
      `chat ${model}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [genAi.operationName]: "chat",
          [genAi.requestModel]: model,
          ...(this.entry ? { [genAi.providerName]: providerName(this.entry.provider) } : {}),
          ...(maxOutputTokens !== undefined ? { [genAi.requestMaxTokens]: maxOutputTokens } : {}),
          [tansuoAttributes.step]: step,
        },
      },
      this.parent,
    );
    this.chats.set(step, span);
    return span;
  }

  private startTool(callId: string, toolName: string, input: string): Span {
    return this.tracer.startSpan(
      `execute_tool ${toolName}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          [genAi.operationName]: "execute_tool",
          [genAi.toolName]: toolName,
          [genAi.toolCallId]: callId,
          [genAi.toolType]: "function",
          ...(this.captureContent ? { [genAi.toolCallArguments]: input } : {}),
        },
      },
      this.parent,
    );
  }

  private endTool(callId: string, toolName: string, output: string, isError: boolean): void {
    // A call that never ran (denied, unknown tool) still gets its span, an instant long.
    const span = this.tools.get(callId) ?? this.startTool(callId, toolName, "");
    this.tools.delete(callId);
    if (this.captureContent) span.setAttribute(genAi.toolCallResult, output);
    // The tool's own words are its error; they are content, so only a fixed message goes out without capture.
    if (isError) recordFailure(span, this.captureContent ? output : "the tool call failed", "tool_error");
    span.end();
  }
}

const textMessage = (role: string, text: string) => ({ role, parts: [{ type: "text", content: text }] });

const userMessage = (task: string): string => JSON.stringify([textMessage("user", task)]);

function assistantMessage(step: StepRecord): string {
  const parts = [
    ...(step.assistant.text ? [{ type: "text", content: step.assistant.text }] : []),
    ...step.assistant.toolCalls.map((call) => ({
      type: "tool_call",
      id: call.id,
      name: call.name,
      arguments: call.input,
    })),
  ];
  return JSON.stringify([{ role: "assistant", parts, finish_reason: step.finishReason }]);
}
