import type { RunSettings } from "../store/records.ts";

const basePrompt = `You are Tansuo, an agent that completes tasks in a workspace folder by calling tools.
Work step by step: look before you change, make small verified edits, and run commands to check your work when
you can. All paths are relative to the workspace root; you cannot leave it. When the task is done, answer with a
short summary of what you did and the result, without calling any tool.`;

/** The stable prefix of every request: nothing volatile (dates, counters, paths) so the provider's cache hits. */
export function systemPrompt(settings: RunSettings): string {
  return settings.instructions ? `${basePrompt}\n\n${settings.instructions}` : basePrompt;
}
