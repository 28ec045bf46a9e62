import type { TelemetrySettings } from "../config/settings-schema.ts";

/** How spans are exported, from config `telemetry` and the standard OTEL_* variables. */
export interface TelemetryOptions {
  /** The traces address; absent, the exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT itself. */
  tracesUrl?: string;
  headers: Record<string, string>;
  captureContent: boolean;
  serviceName: string;
}

/**
 * Telemetry is on when config has a `telemetry` section or an OTLP endpoint variable is set, and off when
 * OTEL_SDK_DISABLED=true. Pure: nothing of OpenTelemetry is loaded to decide.
 */
export function telemetryOptions(
  settings: TelemetrySettings | undefined,
  env: NodeJS.ProcessEnv,
): TelemetryOptions | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return undefined;
  const fromEnvironment = Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (!settings && !fromEnvironment) return undefined;
  return {
    // The OTLP rule for a base endpoint: signals go to its /v1/<signal> path.
    ...(settings?.endpoint ? { tracesUrl: `${settings.endpoint.replace(/\/+$/, "")}/v1/traces` } : {}),
    headers: settings?.headers ?? {},
    captureContent:
      settings?.captureContent === true ||
      env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT?.trim().toLowerCase() === "true",
    serviceName: settings?.serviceName ?? (env.OTEL_SERVICE_NAME || "tansuo"),
  };
}
