import type { ToolCallRecord } from "../../store/records.ts";

/** How many of each sign make a run stuck. */
export interface StuckThresholds {
  /** Tool calls in a row that returned an error. */
  toolErrors: number;
  /** Steps in a row that made no tool call the run had not made before. */
  stepsWithoutProgress: number;
}

export const defaultStuckThresholds: StuckThresholds = { toolErrors: 2, stepsWithoutProgress: 4 };

/** What one step told the watch: stuck (why), a success that clears being stuck, or neither. */
export type StepSign = { kind: "stuck"; reason: string } | { kind: "succeeded" } | { kind: "none" };

const callKey = (call: Pick<ToolCallRecord, "toolName" | "input">): string => `${call.toolName}\u0000${call.input}`;

/**
 * Watches the steps made on the current rung for signs of being stuck. It is a fold over the steps, so a resumed run
 * rebuilds the same state from the stored steps made since the last switch.
 */
export class StuckWatch {
  private errorsInRow = 0;
  private stepsWithoutNewCall = 0;
  private lastCallKey: string | undefined;
  private checkFailed = false;
  /** Every call of the run so far (name + arguments): a call not among them is progress. */
  private readonly seenCalls: Set<string>;

  constructor(
    private readonly thresholds: StuckThresholds = defaultStuckThresholds,
    seenBefore: Iterable<string> = [],
  ) {
    this.seenCalls = new Set(seenBefore);
  }

  /** The keys of calls made before the watch started (steps on earlier rungs), so they are not counted as new. */
  static keysOf(calls: readonly Pick<ToolCallRecord, "toolName" | "input">[]): string[] {
    return calls.map(callKey);
  }

  /** A fresh count for a new rung; the calls made so far still are not progress. */
  restarted(): StuckWatch {
    return new StuckWatch(this.thresholds, this.seenCalls);
  }

  /** A check the agent runs failed (its final answer was sent back for repair). */
  noteFailedCheck(): void {
    this.checkFailed = true;
  }

  /** What the steps so far say: a failed check counts at once, else what the last step showed. */
  sign(): StepSign {
    return this.checkFailed ? { kind: "stuck", reason: "the answer failed its check" } : this.latest;
  }

  private latest: StepSign = { kind: "none" };

  /** One finished step with its tool calls (in call order, results in). */
  observe(calls: readonly ToolCallRecord[]): void {
    this.latest = this.signOf(calls);
  }

  private signOf(calls: readonly ToolCallRecord[]): StepSign {
    let repeated = false;
    let newCall = false;
    for (const call of [...calls].sort((left, right) => left.position - right.position)) {
      const key = callKey(call);
      if (key === this.lastCallKey) repeated = true;
      this.lastCallKey = key;
      if (!this.seenCalls.has(key)) newCall = true;
      this.seenCalls.add(key);
      // A denied call is the policy's answer, not the model failing: it neither counts nor clears errors.
      if (call.status === "finished") this.errorsInRow = call.isError ? this.errorsInRow + 1 : 0;
    }
    this.stepsWithoutNewCall = newCall ? 0 : this.stepsWithoutNewCall + 1;
    const stuck = this.stuckReason(repeated);
    if (stuck !== undefined) return { kind: "stuck", reason: stuck };
    const allSucceeded = calls.length > 0 && calls.every((call) => call.status === "finished" && !call.isError);
    return allSucceeded && newCall ? { kind: "succeeded" } : { kind: "none" };
  }

  private stuckReason(repeated: boolean): string | undefined {
    if (this.errorsInRow >= this.thresholds.toolErrors) return `${this.errorsInRow} tool errors in a row`;
    if (repeated) return "the same call repeated";
    if (this.stepsWithoutNewCall >= this.thresholds.stepsWithoutProgress) {
      return `no progress over ${this.stepsWithoutNewCall} steps`;
    }
    return undefined;
  }
}
