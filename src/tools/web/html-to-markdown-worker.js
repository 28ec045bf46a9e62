// Turns HTML into Markdown off the main thread, so a page that makes Readability or Turndown work for minutes
// (or recurse past the stack) can be stopped without freezing the process.
import { parentPort } from "node:worker_threads";
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import TurndownService from "turndown";

parentPort.on("message", ({ html, pageUrl }) => {
  try {
    parentPort.postMessage({ markdown: convert(html, new URL(pageUrl)) });
  } catch (error) {
    parentPort.postMessage({ failure: error instanceof Error ? error.message : String(error) });
  }
});

function convert(html, pageUrl) {
  const { document } = parseHTML(html);
  absolutiseLinks(document, pageUrl);
  const fallbackTitle = document.querySelector("title")?.textContent?.trim() ?? "";
  // Readability changes the document it reads; the body is taken first for pages it finds no article in.
  const bodyHtml = document.body?.innerHTML ?? html;
  const article = new Readability(document).parse();
  const title = article?.title?.trim() || fallbackTitle;
  const markdown = turndown()
    .turndown(article?.content ?? bodyHtml)
    .trim();
  return title ? `# ${title}\n\n${markdown}` : markdown;
}

function absolutiseLinks(document, pageUrl) {
  for (const [selector, attribute] of [
    ["a[href]", "href"],
    ["img[src]", "src"],
  ]) {
    for (const element of document.querySelectorAll(selector)) {
      const value = element.getAttribute(attribute);
      if (value === null) continue;
      try {
        element.setAttribute(attribute, new URL(value, pageUrl).href);
      } catch {
        // A link that is no URL stays as written.
      }
    }
  }
}

function turndown() {
  const service = new TurndownService({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-" });
  service.remove(["script", "style", "noscript", "iframe"]);
  return service;
}
