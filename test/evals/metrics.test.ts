import { describe, expect, it } from "vitest";
import { passAtK, reportedKs } from "../../src/evals/metrics/pass-at-k.ts";
import { percentile } from "../../src/evals/metrics/percentile.ts";

describe("pass@k, 1 - C(n-c, k) / C(n, k)", () => {
  it("matches values computed by hand", () => {
    // n=5, c=2, k=1: 1 - C(3,1)/C(5,1) = 1 - 3/5
    expect(passAtK(5, 2, 1)).toBeCloseTo(0.4, 12);
    // n=5, c=2, k=2: 1 - C(3,2)/C(5,2) = 1 - 3/10
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12);
    // n=10, c=3, k=5: 1 - C(7,5)/C(10,5) = 1 - 21/252
    expect(passAtK(10, 3, 5)).toBeCloseTo(1 - 21 / 252, 12);
    // n=20, c=1, k=10: 1 - C(19,10)/C(20,10) = 1 - 92378/184756 = 0.5
    expect(passAtK(20, 1, 10)).toBeCloseTo(0.5, 12);
    // n=200, c=10, k=100: 1 - C(190,100)/C(200,100); the ratio is prod_{i=0..9} (100-i)/(200-i)
    let ratio = 1;
    for (let i = 0; i < 10; i++) ratio *= (100 - i) / (200 - i);
    expect(passAtK(200, 10, 100)).toBeCloseTo(1 - ratio, 12);
  });

  it("is 0 with no correct sample, 1 when fewer than k samples fail", () => {
    expect(passAtK(10, 0, 1)).toBe(0);
    expect(passAtK(10, 0, 10)).toBe(0);
    expect(passAtK(10, 10, 1)).toBe(1);
    expect(passAtK(10, 8, 3)).toBe(1);
  });

  it("is c/n for k = 1", () => {
    for (const [n, c] of [
      [1, 1],
      [7, 3],
      [200, 57],
    ] as const) {
      expect(passAtK(n, c, 1)).toBeCloseTo(c / n, 12);
    }
  });

  it("rejects impossible inputs", () => {
    expect(() => passAtK(3, 1, 4)).toThrow(RangeError);
    expect(() => passAtK(3, 4, 1)).toThrow(RangeError);
    expect(() => passAtK(3, 1, 0)).toThrow(RangeError);
  });

  it("reports k = 1, 10, 100 and n, up to n", () => {
    expect(reportedKs(1)).toEqual([1]);
    expect(reportedKs(5)).toEqual([1, 5]);
    expect(reportedKs(20)).toEqual([1, 10, 20]);
    expect(reportedKs(200)).toEqual([1, 10, 100, 200]);
  });
});

describe("percentile (nearest rank)", () => {
  it("gives p50 and p95 of latencies", () => {
    const values = Array.from({ length: 20 }, (_, index) => (index + 1) * 100);
    expect(percentile(values, 50)).toBe(1000);
    expect(percentile(values, 95)).toBe(1900);
    expect(percentile([300, 100, 200], 50)).toBe(200);
    expect(percentile([], 50)).toBeUndefined();
  });
});
