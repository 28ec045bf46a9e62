import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamResult,
} from "@ai-sdk/provider";

/** One scripted answer: what the prompt must contain, and the reply (or the error to throw). */
export interface ScriptedStep {
  expectPrompt?: string;
  text?: string;
  toolCalls?: Array<{ toolName: string; input: string }>;
  usage?: { input: number; cached?: number; output: number };
  error?: Error;
}

const promptText = (options: LanguageModelV3CallOptions) =>
  options.prompt
    .map((message) =>
      typeof message.content === "string"
        ? message.content
        : message.content.map((part) => ("text" in part ? part.text : "")).join(""),
    )
    .join("\n");

/**
 * A model that answers from a script and complains: an unexpected call, a prompt that does not match its step,
 * and a step never used are all failures that `assertDone` reports.
 */
export class ScriptedLanguageModel implements LanguageModelV3 {
  readonly specificationVersion = "v3";
  readonly provider = "scripted";
  readonly modelId = "scripted";
  readonly supportedUrls = {};
  readonly calls: LanguageModelV3CallOptions[] = [];
  private readonly complaints: string[] = [];

  constructor(private readonly steps: ScriptedStep[]) {}

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    this.calls.push(options);
    const step = this.steps.shift();
    const text = promptText(options);
    if (!step) {
      this.complaints.push(`unexpected call #${this.calls.length}: ${text.slice(0, 120)}`);
      throw new Error("the script has no step for this call");
    }
    if (step.expectPrompt !== undefined && !text.includes(step.expectPrompt)) {
      this.complaints.push(`call #${this.calls.length} expected a prompt with "${step.expectPrompt}"`);
    }
    if (step.error) throw step.error;
    const usage = step.usage ?? { input: 100, output: 50 };
    return {
      content: [
        ...(step.text === undefined ? [] : [{ type: "text" as const, text: step.text }]),
        ...(step.toolCalls ?? []).map((call, index) => ({
          type: "tool-call" as const,
          toolCallId: `call_${index}`,
          toolName: call.toolName,
          input: call.input,
        })),
      ],
      finishReason: { unified: step.toolCalls ? "tool-calls" : "stop", raw: undefined },
      usage: {
        inputTokens: {
          total: usage.input,
          noCache: usage.input - (usage.cached ?? 0),
          cacheRead: usage.cached ?? 0,
          cacheWrite: 0,
        },
        outputTokens: { total: usage.output, text: usage.output, reasoning: 0 },
      },
      warnings: [],
    };
  }

  doStream(): PromiseLike<LanguageModelV3StreamResult> {
    this.complaints.push("doStream is not scripted");
    return Promise.reject(new Error("doStream is not scripted"));
  }

  /** Throws when the run made calls the script did not expect or left steps unused. */
  assertDone(): void {
    const leftover = this.steps.length > 0 ? [`${this.steps.length} scripted steps were never used`] : [];
    const problems = [...this.complaints, ...leftover];
    if (problems.length > 0) throw new Error(problems.join("\n"));
  }
}
