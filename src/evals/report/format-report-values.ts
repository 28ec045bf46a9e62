import { Usd } from "../../cost/usd.ts";
import { formatTokens } from "../progress/format-progress.ts";

export const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

export const usdOrDash = (amount: string | null) => (amount === null ? "–" : Usd.format(amount));

export function seconds(milliseconds: number): string {
  return milliseconds < 1000 ? `${Math.round(milliseconds)} ms` : `${(milliseconds / 1000).toFixed(1)} s`;
}

export { formatTokens };
