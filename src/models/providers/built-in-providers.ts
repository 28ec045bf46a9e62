import { anthropicProvider } from "./anthropic-provider.ts";
import { deepSeekProvider } from "./deepseek-provider.ts";
import { embeddedProvider } from "./embedded-provider.ts";
import { googleProvider } from "./google-provider.ts";
import { openAiCompatibleProvider } from "./openai-compatible-provider.ts";
import { openAiProvider } from "./openai-provider.ts";
import type { ProviderDescriptor } from "./provider-descriptor.ts";

/** The providers Tansuo ships; the order decides which key picks the default model when none is named. */
export const builtInProviders: readonly ProviderDescriptor[] = [
  deepSeekProvider,
  openAiProvider,
  anthropicProvider,
  googleProvider,
  openAiCompatibleProvider,
  embeddedProvider,
];
