import { z } from "zod";
import type { SearchBackendSettings } from "../web-policy.ts";
import type { SearchBackend } from "./search-backend.ts";
import { searchApiKey, searchServiceJson } from "./search-http.ts";

const answerSchema = z.object({
  results: z.array(z.object({ title: z.string().default(""), url: z.string(), content: z.string().default("") })),
});

/** Tavily's search API: a POST with the key as a bearer token. */
export const tavilyBackend: SearchBackend<Extract<SearchBackendSettings, { provider: "tavily" }>> = {
  provider: "tavily",
  async search(settings, request) {
    const key = searchApiKey("Tavily", settings.apiKeyEnv, request.environment);
    const answer = await searchServiceJson(
      "Tavily",
      new URL(settings.url ?? "https://api.tavily.com/search"),
      {
        method: "POST",
        signal: request.signal,
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: request.query, max_results: request.count }),
      },
      answerSchema,
    );
    return answer.results
      .slice(0, request.count)
      .map((result) => ({ title: result.title, url: result.url, snippet: result.content }));
  },
};
