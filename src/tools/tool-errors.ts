/** The model called a tool wrongly; the message goes back to the model so it can correct the call. */
export class ToolInputError extends Error {
  override readonly name = "ToolInputError";
}
