import type { RunMessage } from "./records.ts";

/** The event that tells a run's followers a person's message was added (stored with it, in the same write). */
export interface UserMessageEvent {
  type: "user-message";
  index: number;
  /** The message comes after steps 0 .. afterStep - 1. */
  afterStep: number;
  content: string;
}

export const userMessageEvent = (message: RunMessage): UserMessageEvent => ({
  type: "user-message",
  index: message.index,
  afterStep: message.afterStep,
  content: message.content,
});
