import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
} from "@ai-sdk/provider";
import { noopToolName } from "./noop-tool.ts";

/** The text the instant model answers with on its last step; every runner checks it came back. */
export const finalAnswer = "done";

const usage: LanguageModelV3Usage = {
  inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 20, text: 20, reasoning: 0 },
};

/**
 * A model that costs nothing to call, so a loop's own cost is all that is left: calls 1 to steps - 1 answer with
 * one call of the no-op tool, call `steps` answers with text. It counts calls, so it reads no prompt; what the
 * loop does with its growing history is the loop's cost.
 */
export class InstantModel implements LanguageModelV3 {
  readonly specificationVersion = "v3";
  readonly provider = "instant";
  readonly modelId = "instant";
  readonly supportedUrls = {};
  calls = 0;
  /** Messages in the last prompt: every loop must send the whole history, or it is not doing the same work. */
  lastPromptMessages = 0;

  constructor(private readonly steps: number) {}

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const content = this.answer(options);
    return { content, finishReason: finishOf(content), usage, warnings: [] };
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const content = this.answer(options);
    const parts: LanguageModelV3StreamPart[] = [{ type: "stream-start", warnings: [] }];
    for (const part of content) {
      if (part.type === "text") {
        parts.push({ type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: part.text });
        parts.push({ type: "text-end", id: "t" });
      } else if (part.type === "tool-call") parts.push(part);
    }
    parts.push({ type: "finish", finishReason: finishOf(content), usage });
    return {
      stream: new ReadableStream<LanguageModelV3StreamPart>({
        start(controller) {
          for (const part of parts) controller.enqueue(part);
          controller.close();
        },
      }),
    };
  }

  private answer(options: LanguageModelV3CallOptions): LanguageModelV3Content[] {
    this.calls += 1;
    this.lastPromptMessages = options.prompt.length;
    if (this.calls > this.steps) throw new Error(`instant model: call ${this.calls} of a ${this.steps}-step run`);
    if (this.calls === this.steps) return [{ type: "text", text: finalAnswer }];
    const input = JSON.stringify({ step: this.calls });
    return [{ type: "tool-call", toolCallId: `call_${this.calls}`, toolName: noopToolName, input }];
  }
}

function finishOf(content: LanguageModelV3Content[]) {
  const unified = content.some((part) => part.type === "tool-call") ? "tool-calls" : "stop";
  return { unified, raw: unified } as const;
}
