import type { ProviderDescriptor } from "./provider-descriptor.ts";

// Anthropic takes a thinking budget in tokens; generous but bounded.
const thinkingBudgetTokens = 8192;

/** Anthropic through the AI SDK's provider, loaded on first use. */
export const anthropicProvider: ProviderDescriptor = {
  kind: "anthropic",
  defaultBaseUrl: "https://api.anthropic.com/v1",
  apiKeyEnv: "ANTHROPIC_API_KEY",
  adHocLimits: { contextWindow: 200000, maxOutputTokens: 64000 },
  acceptsAdHocSpecs: true,
  requiresApiKey: true,
  usageSemantics: "anthropic",
  reasoningReplay: "all",
  batchApi: "anthropic-message-batches",
  createModel: async (entry, connection) => {
    const { createAnthropic } = await import("@ai-sdk/anthropic");
    return createAnthropic({
      apiKey: connection.apiKey,
      baseURL: connection.baseUrl,
      ...(connection.fetch ? { fetch: connection.fetch } : {}),
    }).languageModel(entry.upstreamModel);
  },
  thinkingOptions: (on) => ({
    anthropic: { thinking: on ? { type: "enabled", budgetTokens: thinkingBudgetTokens } : { type: "disabled" } },
  }),
};
