import type { ProviderDescriptor } from "./provider-descriptor.ts";

/** Google's Gemini API through the AI SDK's provider, loaded on first use; the SDK knows the host. */
export const googleProvider: ProviderDescriptor = {
  kind: "google",
  apiKeyEnv: "GOOGLE_GENERATIVE_AI_API_KEY",
  adHocLimits: { contextWindow: 1048576, maxOutputTokens: 65536 },
  acceptsAdHocSpecs: true,
  requiresApiKey: true,
  reasoningReplay: "all",
  createModel: async (entry, connection) => {
    const { createGoogleGenerativeAI } = await import("@ai-sdk/google");
    return createGoogleGenerativeAI({ apiKey: connection.apiKey, baseURL: connection.baseUrl }).languageModel(
      entry.upstreamModel,
    );
  },
  thinkingOptions: (on) => ({
    google: { thinkingConfig: on ? { thinkingBudget: -1, includeThoughts: true } : { thinkingBudget: 0 } },
  }),
};
