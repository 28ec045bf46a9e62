import type { LanguageModelV3, LanguageModelV3Message, LanguageModelV3Prompt } from "@ai-sdk/provider";

type ToolMessage = Extract<LanguageModelV3Message, { role: "tool" }>;
type UserContent = Extract<LanguageModelV3Message, { role: "user" }>["content"];

/**
 * The prompt with the images of tool results moved into a user message right after their tool message, the
 * tool results keeping their text. For chat-completions APIs, whose `tool` messages hold text only: the AI SDK's
 * OpenAI chat model would otherwise send the image's base64 as JSON text.
 */
export function toolImagesInUserMessages(prompt: LanguageModelV3Prompt): LanguageModelV3Prompt {
  if (!prompt.some((message) => message.role === "tool" && message.content.some(hasImages))) return prompt;
  return prompt.flatMap((message): LanguageModelV3Message[] => {
    if (message.role !== "tool" || !message.content.some(hasImages)) return [message];
    const images: UserContent = [];
    const content = message.content.map((part): ToolMessage["content"][number] => {
      if (part.type !== "tool-result" || part.output.type !== "content") return part;
      const texts: string[] = [];
      for (const item of part.output.value) {
        if (item.type === "text") texts.push(item.text);
        else if ((item.type === "image-data" || item.type === "file-data") && item.mediaType.startsWith("image/")) {
          images.push({ type: "file", mediaType: item.mediaType, data: item.data });
        }
      }
      return { ...part, output: { type: "text", value: texts.join("\n") } };
    });
    return [
      { ...message, content },
      { role: "user", content: [{ type: "text", text: "Images returned by the tool calls above:" }, ...images] },
    ];
  });
}

function hasImages(part: ToolMessage["content"][number]): boolean {
  return (
    part.type === "tool-result" &&
    part.output.type === "content" &&
    part.output.value.some((item) => item.type === "image-data" || item.type === "file-data")
  );
}

/** A model that receives tool results' images as a user message after them (see `toolImagesInUserMessages`). */
export function withToolImagesInUserMessages(model: LanguageModelV3): LanguageModelV3 {
  return {
    specificationVersion: model.specificationVersion,
    provider: model.provider,
    modelId: model.modelId,
    get supportedUrls() {
      return model.supportedUrls;
    },
    doGenerate: (options) => model.doGenerate({ ...options, prompt: toolImagesInUserMessages(options.prompt) }),
    doStream: (options) => model.doStream({ ...options, prompt: toolImagesInUserMessages(options.prompt) }),
  };
}
