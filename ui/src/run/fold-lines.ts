/** A long text cut to its first lines, so a tool's big output does not bury the timeline. */
export interface Folded {
  head: string;
  hiddenLines: number;
}

export function foldLines(text: string, shownLines = 20): Folded {
  const lines = text.split("\n");
  if (lines.length <= shownLines) return { head: text, hiddenLines: 0 };
  return { head: lines.slice(0, shownLines).join("\n"), hiddenLines: lines.length - shownLines };
}
