import { describe, expect, it } from "vitest";
import type { RunMessage, Step } from "../../ui/src/api-types.ts";
import { foldLines } from "../../ui/src/run/fold-lines.ts";
import { nextLiveStep } from "../../ui/src/run/live-step.ts";
import { prettyJson } from "../../ui/src/run/pretty-json.ts";
import { runDuration } from "../../ui/src/run/run-states.ts";
import { timelineItems } from "../../ui/src/run/timeline-items.ts";

describe("foldLines", () => {
  it("keeps a short text whole", () => {
    expect(foldLines("one\ntwo", 20)).toEqual({ head: "one\ntwo", hiddenLines: 0 });
  });

  it("shows the first lines of a long text and counts the rest", () => {
    const text = Array.from({ length: 25 }, (_, index) => `line ${index + 1}`).join("\n");
    const folded = foldLines(text, 20);
    expect(folded.hiddenLines).toBe(5);
    expect(folded.head.split("\n")).toHaveLength(20);
    expect(folded.head.endsWith("line 20")).toBe(true);
  });
});

describe("prettyJson", () => {
  it("indents JSON arguments and leaves other text as it came", () => {
    expect(prettyJson('{"path":"a.ts"}')).toBe('{\n  "path": "a.ts"\n}');
    expect(prettyJson("{not json")).toBe("{not json");
  });
});

describe("timelineItems", () => {
  const step = (index: number) => ({ index }) as Step;
  const message = (index: number, afterStep: number) => ({ index, after_step: afterStep }) as RunMessage;

  it("puts a follow-up message between the steps it came between", () => {
    // A message with after_step 2 came when the run had made steps 0 and 1.
    const items = timelineItems([step(0), step(1), step(2), step(3)], [message(1, 4), message(0, 2)]);
    expect(items.map((item) => (item.kind === "step" ? `s${item.step.index}` : `m${item.message.index}`))).toEqual([
      "s0",
      "s1",
      "m0",
      "s2",
      "s3",
      "m1",
    ]);
  });
});

describe("nextLiveStep", () => {
  it("builds the current step's text from deltas and ends it when its usage arrives", () => {
    let live = nextLiveStep(undefined, { type: "step-started", step: 2 });
    live = nextLiveStep(live, { type: "text-delta", step: 2, text: "Hel" });
    live = nextLiveStep(live, { type: "reasoning-delta", step: 2, text: "think" });
    live = nextLiveStep(live, { type: "text-delta", step: 2, text: "lo" });
    live = nextLiveStep(live, { type: "text-delta", step: 1, text: "stale" });
    expect(live).toEqual({ step: 2, text: "Hello", reasoning: "think" });
    expect(nextLiveStep(live, { type: "usage", step: 2 })).toBeUndefined();
    expect(nextLiveStep(live, { type: "finished" })).toBeUndefined();
  });
});

describe("runDuration", () => {
  const createdAt = "2026-01-01T00:00:00.000Z";
  const now = Date.parse("2026-01-01T00:01:30.000Z");

  it("counts a working run up to now and keeps a finished run's own duration", () => {
    expect(runDuration({ status: "running", created_at: createdAt, duration_ms: 1000 }, now)).toBe(90_000);
    expect(runDuration({ status: "succeeded", created_at: createdAt, duration_ms: 4000 }, now)).toBe(4000);
  });
});
