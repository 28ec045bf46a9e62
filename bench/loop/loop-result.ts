/** What a runner hands back: the steps it completed, its final text, and what a caller would keep of the run. */
export interface LoopResult {
  steps: number;
  /** How many times the no-op tool ran: steps - 1 when the loop did what it was asked. */
  toolCalls: number;
  output: string;
  /** Messages in the prompt of the last model call (system, task, then two per tool step). */
  lastPromptMessages: number;
  /** Held until the heap is measured, so the figure includes what the loop's result keeps alive. */
  retained: unknown;
}
