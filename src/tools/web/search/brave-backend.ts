import { z } from "zod";
import type { SearchBackendSettings } from "../web-policy.ts";
import type { SearchBackend } from "./search-backend.ts";
import { searchApiKey, searchServiceJson } from "./search-http.ts";

const answerSchema = z.object({
  web: z
    .object({
      results: z.array(
        z.object({ title: z.string().default(""), url: z.string(), description: z.string().default("") }),
      ),
    })
    .default({ results: [] }),
});

/** Brave Search's web API, keyed by the X-Subscription-Token header. */
export const braveBackend: SearchBackend<Extract<SearchBackendSettings, { provider: "brave" }>> = {
  provider: "brave",
  async search(settings, request) {
    const key = searchApiKey("Brave", settings.apiKeyEnv, request.environment);
    const url = new URL(settings.url ?? "https://api.search.brave.com/res/v1/web/search");
    url.searchParams.set("q", request.query);
    url.searchParams.set("count", String(Math.min(request.count, 20)));
    const answer = await searchServiceJson(
      "Brave",
      url,
      { signal: request.signal, headers: { accept: "application/json", "x-subscription-token": key } },
      answerSchema,
    );
    return answer.web.results
      .slice(0, request.count)
      .map((result) => ({ title: result.title, url: result.url, snippet: result.description }));
  },
};
