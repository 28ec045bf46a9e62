import { describe, expect, it } from "vitest";
import { formatUsd } from "../../src/cost/format-usd.ts";

describe("formatUsd", () => {
  it("shows nothing as $0 and a sub-cent amount with two significant digits, not as $0.00", () => {
    expect(formatUsd("0")).toBe("$0");
    expect(formatUsd("0.000366")).toBe("$0.00037");
    expect(formatUsd("0.003")).toBe("$0.003");
  });

  it("never falls into exponent notation for tiny amounts, as float formatting did", () => {
    // Number("0.00000012345").toPrecision(3) is "1.23e-7".
    expect(formatUsd("0.00000012345")).toBe("$0.00000012");
  });

  it("shows four places under $100 and two above, exactly for amounts a float cannot hold", () => {
    expect(formatUsd("2.5")).toBe("$2.5000");
    expect(formatUsd("123.456")).toBe("$123.46");
    expect(formatUsd("12345678901234567.891")).toBe("$12345678901234567.89");
  });
});
