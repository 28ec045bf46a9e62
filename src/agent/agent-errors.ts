/** The run cannot be used as asked (unknown id, wrong state); the message says what to do instead. */
export class RunStateError extends Error {
  override readonly name = "RunStateError";
}

/** The run's budget cannot pay for the next model call, even with the smallest useful output. */
export class BudgetExhaustedError extends Error {
  override readonly name = "BudgetExhaustedError";
}
