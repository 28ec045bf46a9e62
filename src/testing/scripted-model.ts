import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
} from "@ai-sdk/provider";
import { TansuoError } from "../errors/tansuo-error.ts";

/** One scripted answer: what the model says, and optionally a check of the request it answers. */
export interface ScriptedStep {
  text?: string;
  reasoning?: string;
  toolCalls?: { name: string; input: unknown; id?: string }[];
  usage?: { inputTokens?: number; cacheHitTokens?: number; outputTokens?: number; reasoningTokens?: number };
  finishReason?: "stop" | "tool-calls" | "length" | "error";
  /** Throw this instead of answering (e.g. a provider error). */
  error?: Error;
  expect?: (options: LanguageModelV3CallOptions) => void;
}

/** Thrown when the code under test calls the model more, or less, than the script says. */
export class ScriptMismatchError extends TansuoError {
  override readonly name = "ScriptMismatchError";
  readonly kind = "user";
}

/**
 * A strict scripted model for tests of loop logic: it fails on a call the script does not expect, and
 * `assertFinished()` fails when scripted steps were left unused. It honours `abortSignal` as a real provider does:
 * an aborted call rejects with the reason (still using its step), and an abort mid-stream ends it with an error part.
 */
export class ScriptedModel implements LanguageModelV3 {
  readonly specificationVersion = "v3";
  readonly provider = "scripted";
  readonly modelId = "scripted";
  readonly supportedUrls = {};
  readonly calls: LanguageModelV3CallOptions[] = [];
  private next = 0;

  constructor(private readonly steps: ScriptedStep[]) {}

  get remaining(): number {
    return this.steps.length - this.next;
  }

  assertFinished(): void {
    if (this.remaining > 0) {
      throw new ScriptMismatchError(`${this.remaining} scripted step(s) were never used (next: step ${this.next + 1})`);
    }
  }

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const step = this.take(options);
    throwIfAborted(options.abortSignal);
    return { content: contentOf(step), finishReason: finishOf(step), usage: usageOf(step), warnings: [] };
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const step = this.take(options);
    throwIfAborted(options.abortSignal);
    const parts: LanguageModelV3StreamPart[] = [{ type: "stream-start", warnings: [] }];
    if (step.reasoning) {
      parts.push({ type: "reasoning-start", id: "r" }, { type: "reasoning-delta", id: "r", delta: step.reasoning });
      parts.push({ type: "reasoning-end", id: "r" });
    }
    if (step.text) {
      parts.push({ type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: step.text });
      parts.push({ type: "text-end", id: "t" });
    }
    for (const part of contentOf(step)) if (part.type === "tool-call") parts.push(part);
    parts.push({ type: "finish", finishReason: finishOf(step), usage: usageOf(step) });
    const signal = options.abortSignal;
    let next = 0;
    return {
      // One part per read, so an abort between reads ends the stream with the reason, as a real provider does.
      stream: new ReadableStream<LanguageModelV3StreamPart>(
        {
          pull(controller) {
            if (signal?.aborted) {
              controller.enqueue({ type: "error", error: signal.reason });
              controller.close();
              return;
            }
            const part = parts[next++];
            if (part) controller.enqueue(part);
            if (next >= parts.length) controller.close();
          },
        },
        { highWaterMark: 0 },
      ),
    };
  }

  private take(options: LanguageModelV3CallOptions): ScriptedStep {
    this.calls.push(options);
    const step = this.steps[this.next];
    if (!step)
      throw new ScriptMismatchError(
        `unexpected model call #${this.calls.length}: the script has ${this.steps.length} step(s)`,
      );
    this.next += 1;
    step.expect?.(options);
    if (step.error) throw step.error;
    return step;
  }
}

/** An aborted call rejects with the signal's reason, as the AI SDK's providers do. */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}

function contentOf(step: ScriptedStep): LanguageModelV3Content[] {
  const content: LanguageModelV3Content[] = [];
  if (step.reasoning) content.push({ type: "reasoning", text: step.reasoning });
  if (step.text) content.push({ type: "text", text: step.text });
  (step.toolCalls ?? []).forEach((call, index) => {
    content.push({
      type: "tool-call",
      toolCallId: call.id ?? `call_${index}_${Math.random().toString(36).slice(2, 10)}`,
      toolName: call.name,
      input: typeof call.input === "string" ? call.input : JSON.stringify(call.input),
    });
  });
  return content;
}

function finishOf(step: ScriptedStep) {
  const unified = step.finishReason ?? (step.toolCalls?.length ? "tool-calls" : "stop");
  return { unified, raw: unified };
}

function usageOf(step: ScriptedStep): LanguageModelV3Usage {
  const input = step.usage?.inputTokens ?? 100;
  const hit = step.usage?.cacheHitTokens ?? 0;
  const output = step.usage?.outputTokens ?? 20;
  const reasoning = step.usage?.reasoningTokens ?? 0;
  return {
    inputTokens: { total: input, noCache: input - hit, cacheRead: hit, cacheWrite: 0 },
    outputTokens: { total: output, text: output - reasoning, reasoning },
  };
}
