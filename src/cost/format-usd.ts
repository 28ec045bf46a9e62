import { Decimal } from "decimal.js";

/**
 * Dollars for people, from a decimal string: `$0` for nothing, two significant digits under a cent (so a cheap
 * call does not read as $0.00), four places under $100 and two above. Never exponent notation, never float.
 */
export function formatUsd(amount: string): string {
  const value = new Decimal(amount);
  if (value.isZero()) return "$0";
  const size = value.abs();
  if (size.lessThan(0.01)) return `$${value.toSignificantDigits(2).toFixed()}`;
  return `$${value.toFixed(size.lessThan(100) ? 4 : 2)}`;
}
