import type {
  LanguageModelV3FilePart,
  LanguageModelV3Message,
  LanguageModelV3Prompt,
  LanguageModelV3TextPart,
} from "@ai-sdk/provider";
import { imagePart, parsedArguments, refuseTooManyImages } from "../chat-messages-to-prompt.ts";
import { InvalidRequestError } from "../gateway-errors.ts";
import type { ResponsesInputItem } from "./responses-request-schema.ts";

type AssistantContent = Extract<LanguageModelV3Message, { role: "assistant" }>["content"];
type MessageItem = Extract<ResponsesInputItem, { type: "message" }>;

const textOf = (content: MessageItem["content"]): string =>
  typeof content === "string"
    ? content
    : content
        .map((part) =>
          part.type === "input_text" || part.type === "output_text"
            ? part.text
            : part.type === "refusal"
              ? part.refusal
              : "",
        )
        .join("");

/**
 * Responses API input items (after `instructions`) as the provider-level prompt. Consecutive reasoning, assistant
 * message and function_call items are one assistant turn (its thinking first, so the provider can replay it as
 * DeepSeek requires); a function_call_output is the tool result of the call with its call_id.
 */
export function responsesInputToPrompt(
  instructions: string | null | undefined,
  items: readonly ResponsesInputItem[],
  param: (index: number) => string,
): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Message[] = [];
  if (instructions) prompt.push({ role: "system", content: instructions });
  const toolNames = new Map<string, string>();
  let assistant: { reasoning: string; text: string; calls: AssistantContent } | undefined;
  const flush = () => {
    if (!assistant) return;
    const content: AssistantContent = [];
    if (assistant.reasoning !== "") content.push({ type: "reasoning", text: assistant.reasoning });
    if (assistant.text !== "") content.push({ type: "text", text: assistant.text });
    content.push(...assistant.calls);
    prompt.push({ role: "assistant", content });
    assistant = undefined;
  };
  const assistantTurn = () => {
    assistant ??= { reasoning: "", text: "", calls: [] };
    return assistant;
  };

  items.forEach((item, index) => {
    switch (item.type) {
      case "reasoning": {
        const text =
          (item.content ?? []).map((part) => part.text).join("") || item.summary.map((part) => part.text).join("");
        const turn = assistantTurn();
        // Thinking after the turn's text or calls starts the next turn.
        if (turn.text !== "" || turn.calls.length > 0) {
          flush();
          assistantTurn().reasoning = text;
        } else turn.reasoning += text;
        break;
      }
      case "function_call": {
        toolNames.set(item.call_id, item.name);
        assistantTurn().calls.push({
          type: "tool-call",
          toolCallId: item.call_id,
          toolName: item.name,
          input: parsedArguments(item.arguments, `${param(index)}.arguments`),
        });
        break;
      }
      case "message": {
        if (item.role === "assistant") {
          const turn = assistantTurn();
          if (turn.calls.length > 0) {
            flush();
            assistantTurn().text = textOf(item.content);
          } else turn.text += textOf(item.content);
          break;
        }
        flush();
        if (item.role === "system" || item.role === "developer") {
          prompt.push({ role: "system", content: textOf(item.content) });
          break;
        }
        const content: (LanguageModelV3TextPart | LanguageModelV3FilePart)[] =
          typeof item.content === "string"
            ? [{ type: "text", text: item.content }]
            : item.content.flatMap((part, partIndex): (LanguageModelV3TextPart | LanguageModelV3FilePart)[] => {
                if (part.type === "input_image") {
                  return [imagePart(part.image_url, `${param(index)}.content[${partIndex}].image_url`)];
                }
                const text = part.type === "refusal" ? part.refusal : part.text;
                return [{ type: "text", text }];
              });
        prompt.push({ role: "user", content });
        break;
      }
      case "function_call_output": {
        flush();
        const toolName = toolNames.get(item.call_id);
        if (toolName === undefined) {
          throw new InvalidRequestError(
            `${param(index)} answers function call "${item.call_id}", which no earlier function_call item made. ` +
              "Send the function_call item (or previous_response_id) before its output.",
            { param: `${param(index)}.call_id` },
          );
        }
        const value =
          typeof item.output === "string"
            ? item.output
            : item.output
                .map((part, partIndex) => {
                  if (part.type === "input_text") return part.text;
                  throw new InvalidRequestError(
                    `${param(index)}.output[${partIndex}] is an image; this gateway takes function call outputs as text only.`,
                    { code: "unsupported_value", param: `${param(index)}.output[${partIndex}]` },
                  );
                })
                .join("");
        const part = {
          type: "tool-result" as const,
          toolCallId: item.call_id,
          toolName,
          output: { type: "text" as const, value },
        };
        const previous = prompt[prompt.length - 1];
        if (previous?.role === "tool") previous.content.push(part);
        else prompt.push({ role: "tool", content: [part] });
        break;
      }
    }
  });
  flush();
  refuseTooManyImages(prompt);
  return prompt;
}
