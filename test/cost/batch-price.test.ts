import { describe, expect, it } from "vitest";
import { batchPriceAt } from "../../src/cost/batch-price.ts";
import { priceRowSchema } from "../../src/cost/price-row-schema.ts";

const rows = [
  priceRowSchema.parse({ effectiveFrom: "2025-01-01", inputCacheHit: "0.30", inputCacheMiss: "3", output: "15" }),
  priceRowSchema.parse({
    effectiveFrom: "2025-06-01",
    inputCacheHit: "0.30",
    inputCacheMiss: "3",
    output: "15",
    cacheWrite: "3.75",
    batch: "0.5",
  }),
];

describe("batchPriceAt", () => {
  it("bills every rate of the row in force at its batch share", () => {
    expect(batchPriceAt(rows, new Date("2025-07-01"))).toEqual({
      effectiveFrom: "2025-06-01",
      inputCacheHit: "0.15",
      inputCacheMiss: "1.5",
      output: "7.5",
      cacheWrite: "1.875",
      offPeak: false,
    });
  });

  it("has no batch price where the row in force names no batch share", () => {
    expect(batchPriceAt(rows, new Date("2025-03-01"))).toBeUndefined();
    expect(batchPriceAt(rows, new Date("2024-03-01"))).toBeUndefined();
  });
});
