import { openAiChatModel } from "./openai-chat-wire.ts";
import type { ProviderDescriptor } from "./provider-descriptor.ts";

/**
 * Any chat-completions server (DashScope, Ark, vLLM, llama.cpp). It lends no host or key to ad-hoc specs: that
 * would send, say, a DashScope key to whatever server the user points at.
 */
export const openAiCompatibleProvider: ProviderDescriptor = {
  kind: "openai-compatible",
  adHocLimits: { contextWindow: 32768, maxOutputTokens: 8192 },
  acceptsAdHocSpecs: true,
  requiresApiKey: false,
  usageSemantics: "openai",
  reasoningReplay: "tool-turns",
  // OPENAI_BASE_URL moves ad-hoc servers only: a catalog row on its own host (DashScope, Ark) keeps it, and its key.
  environmentBaseUrl: (entry, env) => (entry.baseUrl === undefined ? env.OPENAI_BASE_URL : undefined),
  createModel: (entry, connection) => openAiChatModel("openai-compatible", entry, connection, "openai"),
  thinkingOptions: (on) => ({ tansuo: { thinking: on ? "enabled" : "disabled" } }),
};
