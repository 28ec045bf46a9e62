import { Decimal } from "decimal.js";
import { TansuoError } from "../errors/tansuo-error.ts";

// Forty significant digits: sums and differences of any real bill are exact, far past a float's 15-17.
const Exact = Decimal.clone({ precision: 40 });

declare const usdBrand: unique symbol;

/**
 * An exact amount of US dollars: a plain decimal string in its shortest form ("0.00037", "12.5", "-3"), never a
 * float and never exponent notation. Being a string, it is stored, sent and serialised (JSON) as that exact
 * decimal; every sum, comparison and format of money goes through `Usd` below, the one place that does arithmetic.
 */
export type Usd = string & { readonly [usdBrand]: true };

/** An amount as it arrives: a Usd, a decimal string read from a row or a request, or a number from a config file. */
export type UsdInput = Usd | string | number;

const decimalPattern = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A string or number that is not an amount of dollars; the caller's value is named so it can be fixed at its source. */
export class InvalidUsdError extends TansuoError {
  readonly kind = "user";
  constructor(value: unknown) {
    super(
      `Not an amount of USD: ${JSON.stringify(value)}. Nothing was computed from it; ` +
        'write a decimal number such as "0.25" (no currency sign, no thousands separators).',
    );
    this.name = "InvalidUsdError";
  }
}

const exact = (amount: UsdInput): Decimal => {
  const text = typeof amount === "number" ? (Number.isFinite(amount) ? String(amount) : "") : amount;
  if (typeof text !== "string" || !decimalPattern.test(text.trim())) throw new InvalidUsdError(amount);
  return new Exact(text.trim());
};

const of = (value: Decimal): Usd => value.toFixed() as Usd;

/** An amount in its exact shortest form: `usd("0.10")` is "0.1", `usd(1e-7)` is "0.0000001". Throws on non-decimals. */
export const usd = (amount: UsdInput): Usd => of(exact(amount));

/** Dollars for people: `$0` for nothing, two significant digits under a cent, four places under $100, two above. */
function format(amount: UsdInput): string {
  const value = exact(amount);
  if (value.isZero()) return "$0";
  const size = value.abs();
  const sign = value.isNegative() ? "-" : "";
  // A cheap call does not read as $0.00.
  if (size.lessThan(0.01)) return `${sign}$${size.toSignificantDigits(2).toFixed()}`;
  return `${sign}$${size.toFixed(size.lessThan(100) ? 4 : 2)}`;
}

export const Usd = {
  zero: "0" as Usd,
  add: (left: UsdInput, right: UsdInput): Usd => of(exact(left).plus(exact(right))),
  sum: (amounts: readonly UsdInput[]): Usd =>
    of(amounts.reduce<Decimal>((total, amount) => total.plus(exact(amount)), new Exact(0))),
  subtract: (left: UsdInput, right: UsdInput): Usd => of(exact(left).minus(exact(right))),
  /** -1, 0 or 1 as `left` is less than, equal to or more than `right`; fits `Array.prototype.sort`. */
  compare: (left: UsdInput, right: UsdInput): -1 | 0 | 1 => exact(left).comparedTo(exact(right)) as -1 | 0 | 1,
  equals: (left: UsdInput, right: UsdInput): boolean => exact(left).equals(exact(right)),
  min: (amounts: readonly UsdInput[]): Usd => of(Exact.min(...amounts.map(exact))),
  max: (amounts: readonly UsdInput[]): Usd => of(Exact.max(...amounts.map(exact))),
  isPositive: (amount: UsdInput): boolean => exact(amount).greaterThan(0),
  isZero: (amount: UsdInput): boolean => exact(amount).isZero(),
  /** An amount times a count or a rate (tokens times a price per token). */
  times: (amount: UsdInput, factor: number | string): Usd => of(exact(amount).times(factor)),
  /** An amount shared by `divisor`, to 40 significant digits; `round` it before showing or storing a share. */
  dividedBy: (amount: UsdInput, divisor: number | string): Usd => of(exact(amount).dividedBy(divisor)),
  /** Rounded half up to `decimalPlaces`. */
  round: (amount: UsdInput, decimalPlaces: number): Usd => of(exact(amount).toDecimalPlaces(decimalPlaces)),
  /** What share `part` is of `whole`, as a plain number for reports (a ratio, not money). */
  ratio: (part: UsdInput, whole: UsdInput, decimalPlaces: number): number =>
    exact(part).dividedBy(exact(whole)).toDecimalPlaces(decimalPlaces).toNumber(),
  /** A float of the amount, for geometry only (a chart's pixel position); never for sums, comparisons or text. */
  toPlotPosition: (amount: UsdInput): number => exact(amount).toNumber(),
  /** The exact decimal string, as JSON and the store hold it. */
  toJSON: (amount: UsdInput): string => usd(amount),
  format,
  /** Short dollars to `digits` significant digits, for axis ticks: `$0.001`, `$2.5`. */
  formatSignificant: (amount: UsdInput, digits: number): string => {
    const value = exact(amount);
    return value.isZero()
      ? "$0"
      : `${value.isNegative() ? "-" : ""}$${value.abs().toSignificantDigits(digits).toFixed()}`;
  },
} as const;
