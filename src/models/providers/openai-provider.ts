import { withToolImagesInUserMessages } from "../tool-images-in-user-messages.ts";
import type { ProviderDescriptor } from "./provider-descriptor.ts";

/** OpenAI through the AI SDK's provider, loaded on first use. */
export const openAiProvider: ProviderDescriptor = {
  kind: "openai",
  defaultBaseUrl: "https://api.openai.com/v1",
  apiKeyEnv: "OPENAI_API_KEY",
  adHocLimits: { contextWindow: 128000, maxOutputTokens: 16384 },
  acceptsAdHocSpecs: true,
  requiresApiKey: true,
  defaultModel: "gpt-5-mini",
  usageSemantics: "openai",
  reasoningReplay: "strip",
  environmentBaseUrl: (_entry, env) => env.OPENAI_BASE_URL,
  batchApi: "openai-batch",
  createModel: async (entry, connection) => {
    const { createOpenAI } = await import("@ai-sdk/openai");
    // The chat API's tool messages are text only: images a tool returned go in a user message after them.
    return withToolImagesInUserMessages(
      createOpenAI({
        apiKey: connection.apiKey,
        baseURL: connection.baseUrl,
        ...(connection.fetch ? { fetch: connection.fetch } : {}),
      }).chat(entry.upstreamModel),
    );
  },
  thinkingOptions: (on) => ({ openai: { reasoningEffort: on ? "high" : "minimal" } }),
};
