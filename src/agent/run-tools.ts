import type { RunRecord } from "../store/records.ts";
import { RunStateError } from "./agent-errors.ts";
import type { AgentRuntime } from "./runtime.ts";

/**
 * Refuses to continue a run whose tools this runtime lacks (a user tool not passed in this time): the model was
 * promised those tools and may have called them. Checked before the run is touched, so it stays resumable.
 */
export function assertRunTools(runtime: AgentRuntime, run: RunRecord): void {
  const missing = runtime.tools.missing(run.settings.tools);
  if (missing.length === 0) return;
  const names = missing.map((name) => `"${name}"`).join(", ");
  throw new RunStateError(
    `Run ${run.id} uses the tool(s) ${names}, which this runtime does not have. The run is kept as it was; ` +
      "pass the same tools to createRuntime({ tools }) or new Agent({ tools }) and resume it again.",
  );
}
