import type { ModelEntry } from "./model-entry.ts";

const vendorByProvider: Record<string, string> = {
  deepseek: "DeepSeek",
  openai: "OpenAI",
  anthropic: "Anthropic",
  google: "Google",
  embedded: "Local",
};

// OpenAI-compatible rows are told apart by their host (DashScope serves Qwen, Volcengine Ark serves Doubao).
const vendorByHost: [RegExp, string][] = [
  [/dashscope|aliyuncs/, "Qwen"],
  [/volces|volcengine/, "Doubao"],
  [/deepseek/, "DeepSeek"],
];

/** The display group of a catalog model in price charts: the company whose model it is. */
export function modelVendor(entry: Pick<ModelEntry, "id" | "provider" | "baseUrl">): string {
  const known = vendorByProvider[entry.provider];
  if (known) return known;
  for (const [host, vendor] of vendorByHost) if (host.test(entry.baseUrl ?? "")) return vendor;
  if (/^qwen/i.test(entry.id)) return "Qwen";
  if (/^doubao/i.test(entry.id)) return "Doubao";
  return "Other";
}
