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

export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  const seconds = milliseconds / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export const formatTime = (iso: string): string =>
  new Date(iso).toLocaleString(locale(), { dateStyle: "medium", timeStyle: "short" });

export const formatPercent = (share: number): string =>
  share.toLocaleString(locale(), { style: "percent", maximumFractionDigits: 1 });
