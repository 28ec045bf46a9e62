/** The `since` choices of the spend charts, in days back from today; 0 is all time. */
export const sinceChoices = [7, 30, 90, 365, 0] as const;
export type SinceChoice = (typeof sinceChoices)[number];

/** YYYY-MM-DD (UTC, like the ledger's days) `days` before `now`; undefined for all time. */
export function sinceDay(days: SinceChoice, now = new Date()): string | undefined {
  if (days === 0) return undefined;
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}
