import type { LanguageModelV3 } from "@ai-sdk/provider";
import type { UsageSemantics } from "../../cost/wire-usage.ts";
import type { ModelEntry } from "../model-entry.ts";
import { UnknownModelError } from "../model-errors.ts";
import type { ProviderConnection } from "./provider-descriptor.ts";

// Loaded on first use: listing the catalog or checking config needs the descriptor, not the wire. Imported once:
// each dynamic import goes through the module loader again (about 0.1 ms a run through tsx).
let wire: Promise<typeof import("../openai-chat/openai-chat-language-model.ts")> | undefined;
const loadWire = () => {
  wire ??= import("../openai-chat/openai-chat-language-model.ts");
  return wire;
};

/** The chat-completions wire Tansuo speaks itself, for DeepSeek and every OpenAI-compatible server. */
export async function openAiChatModel(
  kind: string,
  entry: ModelEntry,
  connection: ProviderConnection,
  defaultUsageSemantics: UsageSemantics,
): Promise<LanguageModelV3> {
  if (!connection.baseUrl) {
    throw new UnknownModelError(`${entry.id} (no base URL: pass --base-url or set OPENAI_BASE_URL)`);
  }
  const { OpenAiChatLanguageModel } = await loadWire();
  return new OpenAiChatLanguageModel({
    provider: kind,
    upstreamModel: entry.upstreamModel,
    baseUrl: connection.baseUrl,
    apiKey: connection.apiKey,
    reasoningReplay: entry.reasoningReplay,
    usageSemantics: entry.usageSemantics ?? defaultUsageSemantics,
    thinkingRequestField: entry.thinkingToggle === "request-field",
  });
}
