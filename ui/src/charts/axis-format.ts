import { formatPercent, formatTokens, formatUsd } from "../format.ts";

// Tick labels in the current language's number style (format.ts reads i18n's locale()).
export const usdTick = (value: number | string): string => formatUsd(String(value));
export const tokenTick = (value: number | string): string => formatTokens(Number(value));
export const percentTick = (value: number | string): string => formatPercent(Number(value));

/** Money from the API's decimal string as a number for drawing (the exact string stays in tables). */
export const dollars = (amount: string | null | undefined): number => (amount ? Number(amount) : 0);

/**
 * On a log axis, labels only at 1, 2 and 5 times a power of ten, and only at powers of ten once the axis spans more
 * than two decades, so the ticks do not crowd each other.
 */
export function logUsdTick(value: number | string, _index?: number, ticks?: ReadonlyArray<{ value: number }>): string {
  const number = Number(value);
  if (number <= 0) return "";
  const positive = (ticks ?? []).map((tick) => tick.value).filter((tickValue) => tickValue > 0);
  const decades = positive.length > 1 ? Math.log10(Math.max(...positive) / Math.min(...positive)) : 0;
  const labelled = decades > 2 ? [1] : [1, 2, 5];
  const mantissa = number / 10 ** Math.floor(Math.log10(number) + 1e-9);
  const nearest = Math.round(mantissa);
  return labelled.includes(nearest) && Math.abs(mantissa - nearest) < 1e-6 ? usdTick(number) : "";
}

/** A logarithmic USD axis; Chart.js must not skip ticks itself, or it drops the labelled ones. */
export const logUsdAxis = (title: string) =>
  ({
    type: "logarithmic",
    ticks: { callback: logUsdTick, autoSkip: false, maxRotation: 0 },
    title: { display: true, text: title },
  }) as const;

/** A log axis once the largest of the values is more than `spread` times the smallest (and none is 0). */
export function wantsLogScale(values: readonly number[], spread = 10): boolean {
  const positive = values.filter((value) => value > 0);
  if (positive.length < 2 || positive.length < values.length) return false;
  return Math.max(...positive) / Math.min(...positive) > spread;
}
