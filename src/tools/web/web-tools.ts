import type { Tool } from "../tool.ts";
import { createFetchUrlTool } from "./fetch-url.ts";
import type { WebPolicy } from "./web-policy.ts";
import { createWebSearchTool } from "./web-search.ts";

/** Names the network tools may have, offered or not: no user tool may take them. */
export const webToolNames = ["fetch_url", "web_search"] as const;

/** The network tools a runtime offers after the file and shell tools: web_search only with a search backend. */
export function webTools(web: WebPolicy | undefined): Tool[] {
  const requireApproval = web?.requireApproval ?? true;
  const tools = [createFetchUrlTool({ requireApproval })];
  if (web?.search) tools.push(createWebSearchTool({ requireApproval }));
  return tools;
}
