import path from "node:path";
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
} from "@ai-sdk/provider";
import type { PromptTokenizer } from "../tokenizers/prompt-tokenizer.ts";
import { collectStream } from "./collect-stream.ts";
import { EmbeddedModelClosedError } from "./embedded-errors.ts";
import { embeddedPromptTokenizer } from "./embedded-prompt-tokenizer.ts";
import { type EmbeddedSession, type EmbeddedSessionOptions, openSession } from "./embedded-session.ts";
import { generateAnswer } from "./generate-answer.ts";
import { GenerationQueue } from "./generation-queue.ts";
import { planCall } from "./plan-call.ts";

export type EmbeddedModelOptions = EmbeddedSessionOptions;

/** What was loaded, for a status line. */
export interface EmbeddedModelInfo {
  modelPath: string;
  contextSize: number;
  trainContextSize: number;
  chatTemplate: string;
  gpu: string | false;
}

/**
 * A GGUF model run in-process by llama.cpp, called like any remote model. Calls on one instance take turns
 * on one context sequence, so a follow-up call reuses the evaluated prompt it shares with the previous one.
 * Tool calls are constrained by a grammar built from the tools' JSON Schemas.
 */
export class EmbeddedLanguageModel implements LanguageModelV3 {
  readonly specificationVersion = "v3";
  readonly provider = "embedded";
  readonly modelId: string;
  readonly supportedUrls: Record<string, RegExp[]> = {};
  private session: Promise<EmbeddedSession> | undefined;
  private readonly queue = new GenerationQueue();
  private readonly closing = new AbortController();

  constructor(private readonly options: EmbeddedModelOptions) {
    this.modelId = path.basename(options.modelPath, ".gguf");
  }

  /** Loads the weights and creates the context now rather than on the first call. */
  async load(): Promise<EmbeddedModelInfo> {
    const session = await this.openedSession();
    return {
      modelPath: session.model.filename ?? this.options.modelPath,
      contextSize: session.context.contextSize,
      trainContextSize: session.model.trainContextSize,
      chatTemplate: session.chatWrapper.wrapperName,
      gpu: session.llama.gpu,
    };
  }

  /** The model's own tokenizer over its chat format, for a budget's prompt bound (loads the model if need be). */
  async promptTokenizer(): Promise<PromptTokenizer> {
    const session = await this.openedSession();
    return embeddedPromptTokenizer(session.model, session.chatWrapper);
  }

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const { stream } = await this.doStream(options);
    return collectStream(stream);
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    options.abortSignal?.throwIfAborted();
    const session = await this.openedSession();
    const plan = planCall(options, session.model, session.chatWrapper, session.context.contextSize);
    const grammar = plan.grammar === undefined ? undefined : await session.grammars.get(plan.grammar);
    const cancelled = new AbortController();
    const signal = AbortSignal.any(
      [options.abortSignal, cancelled.signal, this.closing.signal].filter((item) => item !== undefined),
    );
    const stream = new ReadableStream<LanguageModelV3StreamPart>({
      start: (controller) => {
        const emit = (part: LanguageModelV3StreamPart) => {
          // A reader that cancelled the stream no longer takes parts.
          if (!cancelled.signal.aborted) controller.enqueue(part);
        };
        emit({ type: "stream-start", warnings: plan.warnings });
        void this.queue
          .run(signal, () => generateAnswer(session, plan, grammar, options, signal, emit))
          .catch((error: unknown) => emit({ type: "error", error }))
          .finally(() => {
            if (!cancelled.signal.aborted) controller.close();
          });
      },
      cancel: (reason) => cancelled.abort(reason),
    });
    return { stream };
  }

  /** Stops any running answer, then frees the context (and the weights when no other model uses them). */
  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort(new EmbeddedModelClosedError(this.modelId));
    const session = this.session;
    if (!session) return;
    await this.queue.idle();
    const opened = await session.catch(() => undefined);
    await opened?.close();
  }

  private openedSession(): Promise<EmbeddedSession> {
    if (this.closing.signal.aborted) return Promise.reject(new EmbeddedModelClosedError(this.modelId));
    if (!this.session) {
      this.session = openSession(this.options);
      // A failed load may succeed later (a file copied in, memory freed), so it is not cached.
      this.session.catch(() => {
        this.session = undefined;
      });
    }
    return this.session;
  }
}

/** An embedded model for a local .gguf file; weights load on the first call or on `load()`. */
export function createEmbeddedModel(options: EmbeddedModelOptions): EmbeddedLanguageModel {
  return new EmbeddedLanguageModel(options);
}
