// DeepSeek caches prompt prefixes in units of 64 tokens; this server counts a token as 4 characters of the
// messages' JSON, as its prompt-token estimate does.
const charactersPerToken = 4;
const cacheUnitTokens = 64;

/**
 * The cache hits DeepSeek would report for `messagesJson`: the longest common prefix (in characters of the
 * messages array's JSON) with any earlier request's, as whole 64-token units. 0 for the first request.
 */
export function cachedPrefixTokens(messagesJson: string, earlierJson: readonly string[]): number {
  let longest = 0;
  for (const earlier of earlierJson) {
    const limit = Math.min(earlier.length, messagesJson.length);
    let common = 0;
    while (common < limit && earlier.charCodeAt(common) === messagesJson.charCodeAt(common)) common++;
    longest = Math.max(longest, common);
  }
  const tokens = Math.floor(longest / charactersPerToken);
  return tokens - (tokens % cacheUnitTokens);
}
