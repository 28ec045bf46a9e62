import { createHash } from "node:crypto";

/**
 * A DeepSeek-style prefix cache: a request hits for the longest prefix, in whole units from token 0, that an
 * earlier request to the same model sent; the rest is a miss. Nothing is evicted (a long run keeps its cache warm).
 */
export class PrefixCache {
  private readonly seen = new Set<string>();

  constructor(private readonly unitTokens = 64) {}

  /** The tokens of `tokens` served from the cache; then the request's own prefixes are cached. */
  send(model: string, tokens: readonly number[]): number {
    let hash = model;
    let hits = 0;
    let missed = false;
    for (let end = this.unitTokens; end <= tokens.length; end += this.unitTokens) {
      hash = createHash("sha1")
        .update(hash)
        .update(tokens.slice(end - this.unitTokens, end).join(","))
        .digest("hex");
      if (!missed && this.seen.has(hash)) hits = end;
      else missed = true;
      this.seen.add(hash);
    }
    return hits;
  }
}
