import type { MessageText } from "./prompt-text.ts";

/** A model family's tokenizer, with the chat template its provider renders a prompt with. */
export interface PromptTokenizer {
  /** The catalog's `tokenizer` name: "deepseek-v3", "o200k_base", ... */
  readonly name: string;
  /** The whole prompt's tokens as the provider counts them: template, tools and the answer's opening included. */
  countPrompt(messages: readonly MessageText[], toolsJson: string | undefined): number;
  /** The tokens `messages` add to a prompt whose size is already known (their share of the template included). */
  countAppended(messages: readonly MessageText[]): number;
}
