import type { TokenUsage } from "../cost/usage.ts";

export const formatTokens = (count: number): string =>
  count >= 1_000_000
    ? `${(count / 1_000_000).toFixed(1)}M`
    : count >= 1000
      ? `${(count / 1000).toFixed(1)}k`
      : String(count);

export function formatUsage(usage: TokenUsage): string {
  const parts = [`${formatTokens(usage.inputTokens)} in (${formatTokens(usage.cacheHitTokens)} cached)`];
  parts.push(`${formatTokens(usage.outputTokens)} out`);
  if (usage.reasoningTokens > 0) parts.push(`${formatTokens(usage.reasoningTokens)} reasoning`);
  return parts.join(", ");
}

/** One line, at most `width` characters, for showing tool arguments in short. */
export function shorten(text: string, width = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}

export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** Makes control characters visible (\x1b shown as ␛ and so on), keeping newlines and tabs. */
export function terminalSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (character) =>
    character === "\u001b" ? "␛" : `\\x${character.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}
