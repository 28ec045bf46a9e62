import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import TurndownService from "turndown";

/**
 * The page's main content as Markdown: Readability drops navigation, ads and footers, Turndown writes the rest.
 * Links are made absolute against the page's URL so the model can fetch them next.
 */
export function htmlToMarkdown(html: string, pageUrl: URL): string {
  const { document } = parseHTML(html);
  absolutiseLinks(document, pageUrl);
  const fallbackTitle = document.querySelector("title")?.textContent?.trim() ?? "";
  // Readability changes the document it reads; the body is taken first for pages it finds no article in.
  const bodyHtml = document.body?.innerHTML ?? html;
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
  const title = article?.title?.trim() || fallbackTitle;
  const markdown = turndown()
    .turndown(article?.content ?? bodyHtml)
    .trim();
  return title ? `# ${title}\n\n${markdown}` : markdown;
}

function absolutiseLinks(document: ReturnType<typeof parseHTML>["document"], pageUrl: URL): void {
  for (const [selector, attribute] of [
    ["a[href]", "href"],
    ["img[src]", "src"],
  ] as const) {
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

function turndown(): TurndownService {
  const service = new TurndownService({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-" });
  service.remove(["script", "style", "noscript", "iframe"]);
  return service;
}
