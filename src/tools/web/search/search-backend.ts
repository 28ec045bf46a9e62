import type { SearchBackendSettings } from "../web-policy.ts";

export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
}

export interface SearchRequest {
  query: string;
  count: number;
  signal: AbortSignal;
  /** Reads a variable the settings name (the API key's); process.env outside tests. */
  environment: NodeJS.ProcessEnv;
}

/** One web search service; `web.search.provider` picks it by `provider`. */
export interface SearchBackend<Settings extends SearchBackendSettings = SearchBackendSettings> {
  provider: Settings["provider"];
  search(settings: Settings, request: SearchRequest): Promise<SearchResult[]>;
}
