import { secretVariants } from "./secret-variants.ts";

export const redactionMark = "[secret redacted]";

/**
 * Any run of this many characters of a secret (or of one of its encodings) is redacted, so a dump that cuts a key
 * into lines (`xxd`, `od -c`: 16 bytes a line between offsets) leaves at most a few characters of it in sight.
 */
export const fragmentLength = 12;

// Whitespace a dump inserts (base64 wraps at 76 columns, `xxd -p` at 60, `od` puts spaces between bytes).
const isLayout = (code: number) => code === 32 || code === 9 || code === 10 || code === 13;

/** Replaces every known secret in text, in each encoding of secretVariants, whole, wrapped or in pieces. */
export class SecretRedactor {
  private readonly fragments = new Set<string>();
  private readonly shortVariants: string[] = [];

  constructor(secrets: readonly string[]) {
    for (const variant of new Set(secrets.flatMap(secretVariants))) {
      if (variant.length < fragmentLength) this.shortVariants.push(variant);
      else
        for (let start = 0; start + fragmentLength <= variant.length; start++) {
          this.fragments.add(variant.slice(start, start + fragmentLength));
        }
    }
  }

  redact(text: string): string {
    if ((this.fragments.size === 0 && this.shortVariants.length === 0) || text.length === 0) return text;
    const ranges: [number, number][] = [];
    this.collect(text, ranges, undefined);
    const { compact, positions } = withoutLayout(text);
    if (compact.length < text.length) this.collect(compact, ranges, positions);
    return ranges.length === 0 ? text : replaceRanges(text, ranges);
  }

  private collect(haystack: string, ranges: [number, number][], positions: Uint32Array | undefined) {
    const add = (start: number, length: number) => {
      const last = start + length - 1;
      ranges.push(positions ? [positions[start]!, positions[last]! + 1] : [start, last + 1]);
    };
    if (this.fragments.size > 0) {
      for (let start = 0; start + fragmentLength <= haystack.length; start++) {
        if (this.fragments.has(haystack.slice(start, start + fragmentLength))) add(start, fragmentLength);
      }
    }
    for (const variant of this.shortVariants) {
      for (let index = haystack.indexOf(variant); index !== -1; index = haystack.indexOf(variant, index + 1)) {
        add(index, variant.length);
      }
    }
  }
}

function withoutLayout(text: string): { compact: string; positions: Uint32Array } {
  const positions = new Uint32Array(text.length);
  const kept: string[] = [];
  let start = 0;
  let length = 0;
  for (let index = 0; index <= text.length; index++) {
    if (index < text.length && !isLayout(text.charCodeAt(index))) {
      positions[length++] = index;
      continue;
    }
    if (index > start) kept.push(text.slice(start, index));
    start = index + 1;
  }
  return { compact: kept.join(""), positions };
}

function replaceRanges(text: string, ranges: [number, number][]): string {
  ranges.sort((left, right) => left[0] - right[0]);
  let result = "";
  let cursor = 0;
  for (const [start, end] of ranges) {
    if (end <= cursor) continue;
    // Overlapping or touching pieces of one secret become one mark.
    if (start > cursor || cursor === 0) result += text.slice(cursor, start) + redactionMark;
    cursor = end;
  }
  return result + text.slice(cursor);
}

const cache = new Map<string, SecretRedactor>();

/** Redacts with one redactor per set of secrets (a run's set is built once, then reused for every output). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  const key = secrets.join("\u0000");
  let redactor = cache.get(key);
  if (!redactor) {
    redactor = new SecretRedactor(secrets);
    if (cache.size > 16) cache.clear();
    cache.set(key, redactor);
  }
  return redactor.redact(text);
}
