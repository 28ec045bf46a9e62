import type { MessageText } from "./prompt-text.ts";
import type { PromptTokenizer } from "./prompt-tokenizer.ts";

export type TiktokenEncodingName = "o200k_base" | "cl100k_base";

// OpenAI's published chat accounting: 3 tokens frame each message, 3 more open the answer.
const tokensPerMessage = 3;
const answerOpening = 3;
// Each tool call's framing (id, type, name field); the tools' definitions as a rendered namespace header.
const tokensPerToolCall = 8;
const toolsHeader = 12;

/** An OpenAI tiktoken encoding with the chat format's per-message overhead. */
export async function loadTiktokenTokenizer(encodingName: TiktokenEncodingName): Promise<PromptTokenizer> {
  const [{ Tiktoken }, ranks] = await Promise.all([
    import("js-tiktoken/lite"),
    encodingName === "o200k_base" ? import("js-tiktoken/ranks/o200k_base") : import("js-tiktoken/ranks/cl100k_base"),
  ]);
  const encoding = new Tiktoken(ranks.default);
  const tokens = (text: string) => encoding.encode(text, "all").length;
  const messageTokens = (message: MessageText) =>
    tokensPerMessage +
    tokens(message.role) +
    message.texts.reduce((sum, text) => sum + tokens(text) + (message.role === "tool" ? tokensPerMessage : 0), 0) +
    (message.reasoning ? tokens(message.reasoning) : 0) +
    message.toolCalls.reduce((sum, call) => sum + tokensPerToolCall + tokens(call.name) + tokens(call.arguments), 0);
  return {
    name: encodingName,
    countPrompt(messages, toolsJson) {
      const tools = toolsJson === undefined ? 0 : toolsHeader + tokens(toolsJson);
      return messages.reduce((sum, message) => sum + messageTokens(message), answerOpening + tools);
    },
    countAppended(messages) {
      return messages.reduce((sum, message) => sum + messageTokens(message), answerOpening);
    },
  };
}
