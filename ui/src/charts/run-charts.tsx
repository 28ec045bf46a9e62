import type { PricedList, Step } from "../api-types.ts";

/** A run's pictures: cumulative cost, cache-hit share and tokens per step, and the run priced on other models. (Being built.) */
export function RunCharts(_props: { steps: readonly Step[]; priced: PricedList | undefined }) {
  return null;
}
