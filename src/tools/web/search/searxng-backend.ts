import { z } from "zod";
import type { SearchBackendSettings } from "../web-policy.ts";
import type { SearchBackend } from "./search-backend.ts";
import { searchServiceJson } from "./search-http.ts";

const answerSchema = z.object({
  results: z.array(z.object({ title: z.string().default(""), url: z.string(), content: z.string().default("") })),
});

/** A self-hosted SearXNG instance's JSON API (`format=json` must be enabled in its settings.yml). */
export const searxngBackend: SearchBackend<Extract<SearchBackendSettings, { provider: "searxng" }>> = {
  provider: "searxng",
  async search(settings, request) {
    const url = new URL("search", settings.url.endsWith("/") ? settings.url : `${settings.url}/`);
    url.searchParams.set("q", request.query);
    url.searchParams.set("format", "json");
    const answer = await searchServiceJson("SearXNG", url, { signal: request.signal }, answerSchema);
    return answer.results
      .slice(0, request.count)
      .map((result) => ({ title: result.title, url: result.url, snippet: result.content }));
  },
};
