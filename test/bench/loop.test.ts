import { describe, expect, it } from "vitest";
import { runChild } from "../../bench/loop/run-child.ts";
import { runners } from "../../bench/loop/runners.ts";

// bench/loop in short: each loop completes the steps it is given. Timing is the benchmark's business, not the suite's.
const steps = 20;

describe("bench/loop", () => {
  for (const name of ["tansuo", "ai-sdk", "agents-sdk"]) {
    it(`runs ${steps} steps of ${name}: ${steps - 1} no-op tool calls, then the final text, with the whole history`, async () => {
      const result = await runners[name]!(steps);
      expect(result).toMatchObject({ steps: 20, toolCalls: 19, output: "done" });
      // The task and 19 tool steps of two messages each: the whole history went to the model on the last call.
      expect(result.lastPromptMessages).toBeGreaterThanOrEqual(39);
    });
  }

  it("measures a loop in a child process of its own and reads back its figures", async () => {
    const outcome = await runChild("tansuo", steps, 60);
    expect(outcome).toMatchObject({ ok: true, measurement: { runner: "tansuo", completedSteps: 20, toolCalls: 19 } });
    if (!outcome.ok) return;
    expect(outcome.measurement.cpuMicrosecondsPerStep).toBeGreaterThan(0);
    expect(outcome.measurement.heapMegabytes).toBeGreaterThan(0);
  });
});
