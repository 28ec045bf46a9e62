import { Worker } from "node:worker_threads";
import { estimatedNestingDepth, htmlPlainText } from "./html-plain-text.ts";

/** Limits on the DOM route; past them the page is given as plain text with a note saying why. */
export interface HtmlConversionLimits {
  /** HTML longer than this (in characters) is not given to Readability. */
  maximumCharacters: number;
  /** Elements nested deeper than this are not given to Readability (its recursion grows with depth). */
  maximumDepth: number;
  /** The worker converting the page is ended after this long. */
  timeLimitMilliseconds: number;
}

export const defaultHtmlConversionLimits: HtmlConversionLimits = {
  maximumCharacters: 1_500_000,
  maximumDepth: 512,
  timeLimitMilliseconds: 8_000,
};

/**
 * The page's main content as Markdown: Readability drops navigation, ads and footers, Turndown writes the rest,
 * in a worker thread with a time limit so a hostile page cannot freeze the process. Links are made absolute.
 */
export async function htmlToMarkdown(
  html: string,
  pageUrl: URL,
  signal?: AbortSignal,
  limits: HtmlConversionLimits = defaultHtmlConversionLimits,
): Promise<string> {
  if (html.length > limits.maximumCharacters) {
    return plainTextWithNote(html, `the page is ${html.length} characters, more than ${limits.maximumCharacters}`);
  }
  const depth = estimatedNestingDepth(html);
  if (depth > limits.maximumDepth) {
    return plainTextWithNote(html, `its elements nest about ${depth} deep, more than ${limits.maximumDepth}`);
  }
  const outcome = await convertInWorker(html, pageUrl, limits.timeLimitMilliseconds, signal);
  if ("markdown" in outcome) return outcome.markdown;
  return plainTextWithNote(html, outcome.reason);
}

function plainTextWithNote(html: string, reason: string): string {
  return `[This page was not turned into Markdown because ${reason}; its plain text follows, without links.]\n\n${htmlPlainText(html)}`;
}

type Conversion = { markdown: string } | { reason: string };

function convertInWorker(html: string, pageUrl: URL, timeLimit: number, signal?: AbortSignal): Promise<Conversion> {
  // Plain JavaScript with no loader flags: the worker needs neither tsx nor the parent's options.
  const worker = new Worker(new URL("./html-to-markdown-worker.js", import.meta.url), { execArgv: [] });
  return new Promise<Conversion>((resolve, reject) => {
    let finished = false;
    const finish = (outcome: Conversion | Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      void worker.terminate();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onAbort = () => finish(signal?.reason instanceof Error ? signal.reason : new Error("fetch_url was stopped"));
    const timer = setTimeout(
      () => finish({ reason: `turning it into Markdown took longer than ${timeLimit / 1000} s` }),
      timeLimit,
    );
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.once("message", (message: { markdown?: string; failure?: string }) =>
      finish(
        message.markdown !== undefined
          ? { markdown: message.markdown }
          : { reason: `the converter failed on it (${message.failure})` },
      ),
    );
    worker.once("error", (error) => finish({ reason: `the converter failed on it (${error.message})` }));
    worker.once("exit", (code) => finish({ reason: `the converter stopped (exit code ${code})` }));
    worker.postMessage({ html, pageUrl: pageUrl.href });
  });
}
