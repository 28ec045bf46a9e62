/**
 * The unbiased pass@k estimator of the Codex paper: with n samples of which c pass, 1 - C(n-c, k) / C(n, k).
 * Computed as a product, as the reference implementation does, so large n stays exact in floating point.
 */
export function passAtK(samples: number, correct: number, k: number): number {
  if (!Number.isInteger(samples) || !Number.isInteger(correct) || !Number.isInteger(k)) {
    throw new RangeError("pass@k takes whole numbers");
  }
  if (k < 1 || k > samples || correct < 0 || correct > samples) {
    throw new RangeError(`pass@${k} needs 1 <= k <= n and 0 <= c <= n (n=${samples}, c=${correct})`);
  }
  if (samples - correct < k) return 1;
  let allFail = 1;
  for (let drawn = samples - correct + 1; drawn <= samples; drawn++) allFail *= 1 - k / drawn;
  return 1 - allFail;
}

/** The k worth reporting for a run whose every task has at least `samples` samples: 1, 10, 100 and n itself. */
export function reportedKs(samples: number): number[] {
  return [...new Set([1, 10, 100, samples])].filter((k) => k >= 1 && k <= samples).sort((a, b) => a - b);
}
