import { telemetryOptions } from "../telemetry/telemetry-options.ts";
import type { CliContext } from "./cli-context.ts";

/**
 * Starts telemetry for a command when config or the OTEL_* variables turn it on (the SDK is imported only then),
 * and returns what flushes its spans before the process exits.
 */
export async function startCliTelemetry(context: CliContext): Promise<(() => Promise<void>) | undefined> {
  const options = telemetryOptions(context.settings.telemetry, context.env);
  if (!options) return undefined;
  const { startTelemetry } = await import("../telemetry/start-telemetry.ts");
  const telemetry = startTelemetry(options);
  context.telemetry = telemetry;
  return async () => {
    try {
      await telemetry.shutdown();
    } catch (error) {
      // The command's own outcome stands; spans that could not be sent are only reported.
      context.stderr.write(
        `warning: could not export telemetry spans: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
  };
}
