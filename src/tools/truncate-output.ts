export const maximumToolOutputCharacters = 20_000;

/** Cuts long tool output in the middle so the model sees both ends, and says how much was left out. */
export function truncateOutput(output: string, limit = maximumToolOutputCharacters): string {
  if (output.length <= limit) return output;
  const half = Math.floor(limit / 2);
  const omitted = output.length - 2 * half;
  return `${output.slice(0, half)}\n[... ${omitted} characters omitted ...]\n${output.slice(-half)}`;
}
