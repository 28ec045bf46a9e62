import type { SharedV3ProviderOptions } from "@ai-sdk/provider";
import type { ModelEntry } from "../models/model-entry.ts";

// A thinking budget for providers that take one in tokens (Anthropic); generous but bounded.
const anthropicThinkingBudgetTokens = 8192;

/** `--thinking on|off` in each provider's own terms; `auto` leaves the model's default. */
export function thinkingOptions(
  thinking: "on" | "off" | "auto",
  entry: ModelEntry,
): SharedV3ProviderOptions | undefined {
  if (thinking === "auto" || !entry.capabilities.thinking) return undefined;
  const on = thinking === "on";
  switch (entry.provider) {
    case "deepseek":
    case "openai-compatible":
      return { tansuo: { thinking: on ? "enabled" : "disabled" } };
    case "openai":
      return { openai: { reasoningEffort: on ? "high" : "minimal" } };
    case "anthropic":
      return {
        anthropic: {
          thinking: on ? { type: "enabled", budgetTokens: anthropicThinkingBudgetTokens } : { type: "disabled" },
        },
      };
    case "google":
      return { google: { thinkingConfig: on ? { thinkingBudget: -1, includeThoughts: true } : { thinkingBudget: 0 } } };
    case "embedded":
      return undefined;
  }
}
