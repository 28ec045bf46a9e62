import type { Catalog } from "./catalog.ts";
import type { ChatWrapperName } from "./embedded/chat-wrapper-names.ts";
import type { RetryPolicy } from "./retry-policy.ts";

export interface ResolveModelOptions {
  catalog: Catalog;
  env: NodeJS.ProcessEnv;
  /** Where downloaded GGUF models are kept ($TANSUO_HOME/models). */
  modelsDirectory: string;
  defaultModel?: string;
  providers?: Record<string, { apiKey?: string; baseUrl?: string }>;
  /** --base-url: wins over environment, config and catalog. */
  baseUrl?: string;
  apiKey?: string;
  retryPolicy?: RetryPolicy;
  /** Told of download progress when a default or hf: model must be fetched. */
  onDownloadProgress?: (progress: { downloadedBytes: number; totalBytes: number | undefined }) => void;
  /** Local model settings; `chatWrapper` forces a chat wrapper (and so a tool-call syntax) instead of the GGUF's. */
  embedded?: { contextSize?: number; gpu?: boolean; threads?: number; chatWrapper?: ChatWrapperName };
  /** Replaces https://huggingface.co/ for hf: downloads (the HF_ENDPOINT variable: a mirror, or a test server). */
  huggingFaceEndpoint?: string;
}
