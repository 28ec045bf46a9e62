/** Cuts text into word-sized pieces of at most `maxLength` characters, as a model streams tokens. */
export function splitIntoPieces(text: string, maxLength = 8): string[] {
  const pieces: string[] = [];
  for (const word of text.match(/\S+\s*|\s+/g) ?? []) {
    // Code points, not UTF-16 units, so a piece never ends in half a surrogate pair.
    const characters = Array.from(word);
    for (let start = 0; start < characters.length; start += maxLength) {
      pieces.push(characters.slice(start, start + maxLength).join(""));
    }
  }
  return pieces;
}
