/** The chat wrappers a local model may be forced to; `auto` reads the model's GGUF chat template. */
export const chatWrapperNames = ["auto", "qwen", "llama3.1", "llama3", "mistral", "general"] as const;
export type ChatWrapperName = (typeof chatWrapperNames)[number];

export const isChatWrapperName = (name: string): name is ChatWrapperName =>
  (chatWrapperNames as readonly string[]).includes(name);
