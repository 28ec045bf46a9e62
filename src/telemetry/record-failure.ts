import { type Span, SpanStatusCode } from "@opentelemetry/api";

/** Marks a span failed the conventions' way: status ERROR with the message, an exception event, error.type. */
export function recordFailure(span: Span, error: unknown, errorType?: string): void {
  const message = error instanceof Error ? error.message : String(error);
  const type = errorType ?? (error instanceof Error ? error.name : "Error");
  span.recordException(error instanceof Error ? error : { name: type, message });
  span.setAttribute("error.type", type);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}
