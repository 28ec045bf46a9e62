import type { SearchBackendSettings } from "../web-policy.ts";
import { braveBackend } from "./brave-backend.ts";
import type { SearchBackend } from "./search-backend.ts";
import { searxngBackend } from "./searxng-backend.ts";
import { tavilyBackend } from "./tavily-backend.ts";

// One file per service; config `web.search.provider` names one of these.
const registered = new Map<string, SearchBackend>(
  [searxngBackend, braveBackend, tavilyBackend].map((backend) => [backend.provider, backend as SearchBackend]),
);

export const searchProviders = (): string[] => [...registered.keys()];

export function searchBackendFor(settings: SearchBackendSettings): SearchBackend | undefined {
  return registered.get(settings.provider);
}
