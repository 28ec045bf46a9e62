import { locale } from "./i18n.ts";

/** USD from the API's decimal string, with enough digits that a fraction of a cent still reads. */
export function formatUsd(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === "") return "–";
  const value = Number(amount);
  if (value === 0) return "$0";
  const digits = Math.abs(value) >= 1 ? 2 : Math.min(8, Math.max(2, 1 - Math.floor(Math.log10(Math.abs(value))) + 2));
  return `$${value.toLocaleString(locale(), { minimumFractionDigits: 2, maximumFractionDigits: digits })}`;
}

export const formatTokens = (count: number): string => count.toLocaleString(locale());

const unit = (value: number, name: "millisecond" | "second" | "minute" | "hour", digits = 0): string =>
  value.toLocaleString(locale(), { style: "unit", unit: name, unitDisplay: "short", maximumFractionDigits: digits });

/** A duration in the current language's units (Intl's short unit names: "1.5 s", "1.5 秒"). */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return unit(Math.round(milliseconds), "millisecond");
  const seconds = milliseconds / 1000;
  if (seconds < 60) return unit(seconds, "second", 1);
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${unit(minutes, "minute")} ${unit(Math.round(seconds % 60), "second")}`;
  return `${unit(Math.floor(minutes / 60), "hour")} ${unit(minutes % 60, "minute")}`;
}

export const formatTime = (iso: string): string =>
  new Date(iso).toLocaleString(locale(), { dateStyle: "medium", timeStyle: "short" });

export const formatPercent = (share: number): string =>
  share.toLocaleString(locale(), { style: "percent", maximumFractionDigits: 1 });
