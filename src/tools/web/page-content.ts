import { WebAccessRefusedError } from "./web-errors.ts";

const textTypes = [
  /^text\//,
  /^application\/(json|xml|javascript|ecmascript|x-ndjson|x-yaml|yaml|toml)$/,
  /\+(json|xml)$/,
];

/** The body as text the model can read: HTML as Markdown, other text as it is; anything binary is refused. */
export async function pageContent(
  body: Buffer,
  contentTypeHeader: string | undefined,
  url: URL,
  signal?: AbortSignal,
): Promise<string> {
  const [mediaType = "", ...parameters] = (contentTypeHeader ?? "").split(";").map((part) => part.trim());
  const type = mediaType.toLowerCase();
  const charset = parameters
    .find((parameter) => /^charset=/i.test(parameter))
    ?.slice(8)
    .replace(/"/g, "");
  if (type === "text/html" || type === "application/xhtml+xml") {
    // The converter (and, in its worker, linkedom, Readability and Turndown) loads on the first HTML page only.
    const { htmlToMarkdown } = await import("./html-to-markdown.ts");
    return htmlToMarkdown(decode(body, charset), url, signal);
  }
  const readable = textTypes.some((pattern) => pattern.test(type)) || (type === "" && !looksBinary(body));
  if (!readable) {
    throw new WebAccessRefusedError(
      `fetch_url reads web pages and text; ${url.href} is ${type || "binary data"} (${body.length} bytes read), ` +
        "which it does not turn into text. Use a page that links to it, or describe it from its URL.",
    );
  }
  return decode(body, charset);
}

function decode(body: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? "utf-8").decode(body);
  } catch {
    // An unknown charset label: UTF-8 shows most of the text, with replacement marks where it differs.
    return new TextDecoder("utf-8").decode(body);
  }
}

/** A NUL, or more than one in ten control bytes (other than tab, newline, carriage return) in the first KB. */
function looksBinary(body: Buffer): boolean {
  const head = body.subarray(0, 1024);
  if (head.includes(0)) return true;
  let control = 0;
  for (const byte of head)
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) control++;
  return head.length > 0 && control / head.length > 0.1;
}
