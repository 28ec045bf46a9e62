/** The run cannot be used as asked (unknown id, wrong state); the message says what to do instead. */
export class RunStateError extends Error {
  override readonly name = "RunStateError";
}
