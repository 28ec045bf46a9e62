import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { RequestSpans } from "./request-spans.ts";
import { RunSpans } from "./run-spans.ts";
import type { Telemetry } from "./telemetry.ts";
import type { TelemetryOptions } from "./telemetry-options.ts";

const tansuoVersion = "0.1.0";
// A collector that does not answer must not hold the CLI's exit for the exporter's default 10 s.
const exportTimeoutMilliseconds = 5_000;

/**
 * Starts the OpenTelemetry trace SDK with an OTLP/HTTP (JSON) exporter. Imported with `await import()` only when
 * telemetry is on, so no command pays for it otherwise. Registers the provider and its async context globally,
 * so a gateway request's span is the parent of the run it starts.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  const exporter = new OTLPTraceExporter({
    ...(options.tracesUrl ? { url: options.tracesUrl } : {}),
    headers: options.headers,
    timeoutMillis: exportTimeoutMilliseconds,
  });
  const provider = new NodeTracerProvider({
    resource: defaultResource()
      .merge(detectResources({ detectors: [envDetector] }))
      .merge(resourceFromAttributes({ "service.name": options.serviceName, "service.version": tansuoVersion })),
    spanProcessors: [new BatchSpanProcessor(exporter, { exportTimeoutMillis: exportTimeoutMilliseconds })],
  });
  provider.register();
  const tracer = provider.getTracer("tansuo", tansuoVersion);
  return {
    observeRun: (run) => new RunSpans(tracer, run, options.captureContent),
    requests: new RequestSpans(tracer),
    shutdown: () => provider.shutdown(),
  };
}
