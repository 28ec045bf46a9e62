import { openAiChatModel } from "./openai-chat-wire.ts";
import type { ProviderDescriptor } from "./provider-descriptor.ts";

/** DeepSeek: its own chat-completions dialect (reasoning_content, cache-split usage, the `thinking` field). */
export const deepSeekProvider: ProviderDescriptor = {
  kind: "deepseek",
  defaultBaseUrl: "https://api.deepseek.com",
  apiKeyEnv: "DEEPSEEK_API_KEY",
  adHocLimits: { contextWindow: 128000, maxOutputTokens: 8192 },
  acceptsAdHocSpecs: true,
  requiresApiKey: true,
  defaultModel: "deepseek-v4-flash",
  usageSemantics: "deepseek",
  reasoningReplay: "tool-turns",
  environmentBaseUrl: (_entry, env) => env.DEEPSEEK_BASE_URL,
  createModel: (entry, connection) => openAiChatModel("deepseek", entry, connection, "deepseek"),
  thinkingOptions: (on) => ({ tansuo: { thinking: on ? "enabled" : "disabled" } }),
};
