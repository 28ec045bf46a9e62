import type { RunMessage, Step } from "../api-types.ts";

export type TimelineItem = { kind: "step"; step: Step } | { kind: "message"; message: RunMessage };

// A message's `after_step` is the run's step count when it came: it goes before the step with that index.
const order = (item: TimelineItem): [number, number, number] =>
  item.kind === "step" ? [item.step.index, 1, 0] : [item.message.after_step, 0, item.message.index];

/** Steps in order, each follow-up message between the steps it came between. */
export function timelineItems(steps: readonly Step[], messages: readonly RunMessage[]): TimelineItem[] {
  const items: TimelineItem[] = [
    ...steps.map((step) => ({ kind: "step", step }) as const),
    ...messages.map((message) => ({ kind: "message", message }) as const),
  ];
  return items.sort((left, right) => {
    const [a, b] = [order(left), order(right)];
    return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  });
}
