import { z } from "zod";
import { defineTool, type Tool, type ToolContext } from "../tool.ts";
import type { SearchResult } from "./search/search-backend.ts";
import { searchBackendFor, searchProviders } from "./search/search-backends.ts";
import { SearchBackendError } from "./search/search-errors.ts";
import { defaultWebPolicy } from "./web-policy.ts";

const inputSchema = z.object({
  query: z.string().min(1).describe("What to search the web for"),
  count: z.number().int().min(1).max(20).optional().describe("How many results (default 8)"),
});

/** web_search; offered only when config names a search backend (`web.search`), so the model never sees a dead tool. */
export function createWebSearchTool(options: { requireApproval: boolean }): Tool<unknown> {
  return defineTool({
    name: "web_search",
    description: "Search the web. Returns the results' titles, URLs and snippets; read a result with fetch_url.",
    inputSchema,
    needsApproval: options.requireApproval,
    readOnly: true,
    execute: (input, context) => webSearch(input.query, input.count ?? 8, context),
  });
}

async function webSearch(query: string, count: number, context: ToolContext): Promise<string> {
  const web = context.policy.web ?? defaultWebPolicy();
  if (!web.search) {
    context.warn("web_search has no search backend: set web.search in $TANSUO_HOME/config.json (e.g. SearXNG).");
    throw new SearchBackendError(
      "web_search has no search backend configured, so no search was made. Do not call it again in this run; " +
        "use fetch_url on a URL you know, or tell the user that web search needs web.search in their config.",
    );
  }
  const backend = searchBackendFor(web.search);
  if (!backend) {
    throw new SearchBackendError(
      `web.search.provider "${web.search.provider}" is not one of ${searchProviders().join(", ")}.`,
    );
  }
  const signal = AbortSignal.any([context.signal, AbortSignal.timeout(web.timeoutMilliseconds)]);
  const results = await backend.search(web.search, { query, count, signal, environment: process.env });
  return formatResults(query, results);
}

function formatResults(query: string, results: SearchResult[]): string {
  if (results.length === 0) return `No results for "${query}".`;
  const lines = results.map((result, index) => {
    const snippet = result.snippet.replace(/\s+/g, " ").trim();
    return `${index + 1}. ${result.title.trim() || "(untitled)"}\n   ${result.url}${snippet ? `\n   ${snippet}` : ""}`;
  });
  return `Results for "${query}":\n${lines.join("\n")}`;
}
