import { describe, expect, it } from "vitest";
import { InvalidUsdError, Usd, usd } from "../../src/cost/usd.ts";

describe("usd", () => {
  it("writes an amount exactly in its shortest form, never as a float or in exponent notation", () => {
    expect(usd("0.10")).toBe("0.1");
    expect(usd("007.500")).toBe("7.5");
    expect(usd(1e-7)).toBe("0.0000001");
    expect(usd("2.5e-9")).toBe("0.0000000025");
    expect(usd(" 3 ")).toBe("3");
    expect(usd("-0")).toBe("0");
  });

  it("refuses what is not a decimal amount, naming the value and how to write one", () => {
    for (const value of ["", "$1", "1,000", "0x10", "abc", "1.2.3"]) expect(() => usd(value)).toThrow(InvalidUsdError);
    expect(() => usd(Number.NaN)).toThrow(InvalidUsdError);
    expect(() => usd(Number.POSITIVE_INFINITY)).toThrow(InvalidUsdError);
    expect(() => Usd.add("0.1", "ten")).toThrow('Not an amount of USD: "ten". Nothing was computed from it; write');
  });

  it("serialises as the exact decimal string", () => {
    expect(JSON.stringify({ cost: Usd.add("0.1", "0.2") })).toBe('{"cost":"0.3"}');
    expect(Usd.toJSON("0.50")).toBe("0.5");
  });
});

describe("Usd arithmetic", () => {
  it("adds exactly where a float does not (0.1 + 0.2 is 0.3)", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(Usd.add("0.1", "0.2")).toBe("0.3");
    expect(Usd.sum(Array.from({ length: 10 }, () => "0.1"))).toBe("1");
    expect(Usd.sum([])).toBe("0");
    expect(Usd.add("12345678901234567.891", "0.000000001")).toBe("12345678901234567.891000001");
    expect(Usd.sum(["0.00000028", "0.00000014", 0.5])).toBe("0.50000042");
  });

  it("subtracts into negatives and back to zero exactly", () => {
    expect(Usd.subtract("0.3", "0.1")).toBe("0.2");
    expect(Usd.subtract("0.1", "0.3")).toBe("-0.2");
    expect(Usd.subtract("0.1", "0.1")).toBe("0");
  });

  it("compares by value, not by spelling", () => {
    expect(Usd.compare("0.10", "0.1")).toBe(0);
    expect(Usd.equals("1.50", "1.5")).toBe(true);
    expect(Usd.compare("0.0000001", "0")).toBe(1);
    expect(Usd.compare("-1", "0.5")).toBe(-1);
    expect(["10", "9", "0.5", "-2"].sort(Usd.compare)).toEqual(["-2", "0.5", "9", "10"]);
    expect(Usd.min(["0.5", "0.25", 1])).toBe("0.25");
    expect(Usd.max(["0.5", "0.25", 1])).toBe("1");
    expect(Usd.isPositive("0.0000001")).toBe(true);
    expect(Usd.isPositive("0")).toBe(false);
    expect(Usd.isPositive("-0.1")).toBe(false);
    expect(Usd.isZero("0.000")).toBe(true);
  });

  it("multiplies, divides and rounds a share half up", () => {
    expect(Usd.times("0.28", 3)).toBe("0.84");
    expect(Usd.dividedBy(Usd.times("0.28", 1234), 1_000_000)).toBe("0.00034552");
    expect(Usd.round(Usd.dividedBy("1", 3), 10)).toBe("0.3333333333");
    expect(Usd.round("0.00000000005", 10)).toBe("0.0000000001");
    expect(Usd.ratio("0.75", "1", 4)).toBe(0.75);
  });
});

describe("Usd.format", () => {
  it("shows nothing as $0 and a sub-cent amount with two significant digits, not as $0.00", () => {
    expect(Usd.format("0")).toBe("$0");
    expect(Usd.format("0.000366")).toBe("$0.00037");
    expect(Usd.format("0.003")).toBe("$0.003");
  });

  it("never falls into exponent notation for tiny amounts, as float formatting did", () => {
    // Number("0.00000012345").toPrecision(3) is "1.23e-7".
    expect(Usd.format("0.00000012345")).toBe("$0.00000012");
  });

  it("shows four places under $100 and two above, exactly for amounts a float cannot hold", () => {
    expect(Usd.format("2.5")).toBe("$2.5000");
    expect(Usd.format("123.456")).toBe("$123.46");
    expect(Usd.format("12345678901234567.891")).toBe("$12345678901234567.89");
  });

  it("puts the sign of a negative amount before the dollar sign", () => {
    expect(Usd.format("-0.000366")).toBe("-$0.00037");
    expect(Usd.format("-2.5")).toBe("-$2.5000");
    expect(Usd.format("-1234.5")).toBe("-$1234.50");
  });

  it("writes short axis ticks to a number of significant digits", () => {
    expect(Usd.formatSignificant(0, 3)).toBe("$0");
    expect(Usd.formatSignificant(0.001, 3)).toBe("$0.001");
    expect(Usd.formatSignificant(0.1 + 0.2, 3)).toBe("$0.3");
    expect(Usd.formatSignificant(1e-7, 3)).toBe("$0.0000001");
    expect(Usd.formatSignificant("123456", 3)).toBe("$123000");
  });
});
