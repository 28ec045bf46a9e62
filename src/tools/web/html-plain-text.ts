// Elements whose content is no readable text.
const skippedElements = new Set(["script", "style", "noscript", "template", "svg", "head"]);
// Elements often left open in real pages; they do not count as nesting.
const looseElements = new Set(["p", "li", "td", "th", "tr", "dt", "dd", "option", "tbody", "thead", "colgroup"]);
const voidElements = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);
const blockElements = /^(p|div|br|li|tr|h[1-6]|table|section|article|header|footer|ul|ol|blockquote|pre|hr)$/;
const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** How deep the page's elements nest, estimated in one pass without building a DOM (loose and void tags skipped). */
export function estimatedNestingDepth(html: string): number {
  let depth = 0;
  let deepest = 0;
  for (const { name, closing, selfClosing } of tags(html)) {
    if (looseElements.has(name) || voidElements.has(name) || selfClosing) continue;
    depth = closing ? Math.max(0, depth - 1) : depth + 1;
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

/** The page's text without tags, scripts or styles, in linear time: the fallback when the DOM route is too costly. */
export function htmlPlainText(html: string): string {
  const pieces: string[] = [];
  const lowerCase = html.toLowerCase();
  let textStart = 0;
  for (const tag of tags(html)) {
    pieces.push(html.slice(textStart, tag.start));
    textStart = tag.end;
    if (blockElements.test(tag.name)) pieces.push("\n");
    if (skippedElements.has(tag.name) && !tag.closing && !tag.selfClosing) {
      const close = lowerCase.indexOf(`</${tag.name}`, tag.end);
      textStart = close < 0 ? html.length : close;
      tag.skipTo(textStart);
    }
  }
  pieces.push(html.slice(textStart));
  return decodeEntities(pieces.join(""))
    .replace(/[ \t\r\f\v]+/g, " ")
    .replace(/ ?\n[ \n]*/g, "\n")
    .trim();
}

interface Tag {
  name: string;
  closing: boolean;
  selfClosing: boolean;
  start: number;
  end: number;
  skipTo(position: number): void;
}

function* tags(html: string): Generator<Tag> {
  let position = html.indexOf("<");
  while (position >= 0 && position < html.length) {
    if (html.startsWith("<!--", position)) {
      const close = html.indexOf("-->", position + 4);
      position = close < 0 ? -1 : html.indexOf("<", close + 3);
      continue;
    }
    const end = html.indexOf(">", position + 1);
    if (end < 0) return;
    const match = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(position, Math.min(end + 1, position + 64)));
    let next = end + 1;
    if (match) {
      const tag: Tag = {
        name: (match[2] ?? "").toLowerCase(),
        closing: match[1] === "/",
        selfClosing: html[end - 1] === "/",
        start: position,
        end: end + 1,
        skipTo: (skipped) => {
          next = skipped;
        },
      };
      yield tag;
    }
    position = html.indexOf("<", match ? next : position + 1);
  }
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return entities[name.toLowerCase()] ?? whole;
  });
}
