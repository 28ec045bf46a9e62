import { z } from "zod";
import { defineTool, type Tool, type ToolContext } from "../tool.ts";
import { AllowedHosts } from "./allowed-hosts.ts";
import { checkedUrl, guardedFetch } from "./guarded-fetch.ts";
import { pageContent } from "./page-content.ts";
import { defaultWebPolicy, type WebPolicy } from "./web-policy.ts";

const inputSchema = z.object({ url: z.string().min(1).describe("An http:// or https:// URL") });

/** fetch_url; whether it asks first is the user's config (`web.requireApproval`), so it is made per runtime. */
export function createFetchUrlTool(options: { requireApproval: boolean }): Tool<unknown> {
  return defineTool({
    name: "fetch_url",
    description:
      "Fetch a web page (GET, http or https) and return its main content as Markdown, with links; other text " +
      "(JSON, XML, plain text) as it is. Follows up to 5 redirects. Addresses inside the user's network " +
      "(localhost, private, link-local, cloud metadata) are refused unless the user allowed them.",
    inputSchema,
    needsApproval: options.requireApproval,
    readOnly: true,
    execute: (input, context) => fetchUrl(input.url, context),
  });
}

async function fetchUrl(text: string, context: ToolContext): Promise<string> {
  const web: WebPolicy = context.policy.web ?? defaultWebPolicy();
  const signal = AbortSignal.any([context.signal, AbortSignal.timeout(web.timeoutMilliseconds)]);
  const start = checkedUrl(text);
  const page = await guardedFetch(start, {
    allowed: new AllowedHosts(web.allowHosts),
    maximumBytes: web.maximumBytes,
    signal,
  }).catch((error: unknown) => {
    if (signal.aborted && !context.signal.aborted) {
      throw new Error(
        `no full answer from ${start.origin} within ${web.timeoutMilliseconds / 1000} s; try again later or another page`,
      );
    }
    throw error;
  });
  const contentType = String(page.headers["content-type"] ?? "");
  const lines = [`URL: ${page.url.href}`, `Status: ${page.status} · Content-Type: ${contentType || "(none)"}`];
  if (page.redirectedFrom.length > 0) lines.push(`Redirected from: ${page.redirectedFrom.join(" → ")}`);
  if (page.cut) lines.push(`[Only the first ${page.body.length} bytes were read; the rest of the page is left out.]`);
  return `${lines.join("\n")}\n\n${await pageContent(page.body, contentType, page.url, context.signal)}`;
}
