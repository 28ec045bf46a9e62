import { InvalidArgumentError } from "commander";

const unitMilliseconds: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * `--since`: a day (2026-11-30, from its UTC midnight), an ISO time, or a span back from `now` (12h, 7d, 2w),
 * as the ISO time the ledger's `at` is compared with.
 */
export function sinceInstant(value: string, now: Date): string {
  const span = /^(\d+)([hdw])$/.exec(value);
  if (span) return new Date(now.getTime() - Number(span[1]) * unitMilliseconds[span[2]!]!).toISOString();
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/.test(value) && !Number.isNaN(Date.parse(value))) {
    return new Date(value.length === 10 ? `${value}T00:00:00Z` : value).toISOString();
  }
  throw new InvalidArgumentError("expected a day (2026-11-30), an ISO time, or a span such as 12h, 7d or 2w");
}
