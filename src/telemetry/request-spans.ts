import { context, propagation, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import { genAi, providerName, usageAttributes } from "./gen-ai-attributes.ts";
import { recordFailure } from "./record-failure.ts";
import type { ModelCallTrace, RequestTrace, RequestTracing } from "./telemetry.ts";

/** Gateway requests as server spans (HTTP conventions), each upstream call a `chat` span under its request. */
export class RequestSpans implements RequestTracing {
  constructor(private readonly tracer: Tracer) {}

  startRequest(request: Parameters<RequestTracing["startRequest"]>[0]): RequestTrace {
    const url = new URL(request.url);
    const carrier = {
      ...(request.traceParent ? { traceparent: request.traceParent } : {}),
      ...(request.traceState ? { tracestate: request.traceState } : {}),
    };
    const incoming = propagation.extract(context.active(), carrier);
    const span = this.tracer.startSpan(
      `${request.method} ${request.path}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "http.request.method": request.method,
          "http.route": request.path,
          "url.path": url.pathname,
          "url.scheme": url.protocol.replace(":", ""),
          "server.address": url.hostname,
          ...(url.port ? { "server.port": Number(url.port) } : {}),
          ...(request.userAgent ? { "user_agent.original": request.userAgent } : {}),
        },
      },
      incoming,
    );
    const current = trace.setSpan(incoming, span);
    let ended = false;
    return {
      within: (work) => context.with(current, work),
      modelCall: (call) => modelCallTrace(this.tracer, current, call),
      end: (statusCode, error) => {
        if (ended) return;
        ended = true;
        span.setAttribute("http.response.status_code", statusCode);
        // Server spans fail on 5xx only; a 4xx is the client's mistake (the HTTP conventions' rule).
        if (statusCode >= 500) recordFailure(span, error ?? `answered ${statusCode}`, String(statusCode));
        span.end();
      },
    };
  }
}

function modelCallTrace(
  tracer: Tracer,
  parent: ReturnType<typeof context.active>,
  call: Parameters<RequestTrace["modelCall"]>[0],
): ModelCallTrace {
  const span: Span = tracer.startSpan(
    `chat ${call.requestModel}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [genAi.operationName]: "chat",
        [genAi.providerName]: providerName(call.provider),
        [genAi.requestModel]: call.requestModel,
        ...(call.maxOutputTokens !== undefined ? { [genAi.requestMaxTokens]: call.maxOutputTokens } : {}),
      },
    },
    parent,
  );
  let failed = false;
  let ended = false;
  return {
    fail: (error) => {
      if (ended || failed) return;
      failed = true;
      recordFailure(span, error);
    },
    end: (billed) => {
      if (ended) return;
      ended = true;
      if (billed) {
        span.setAttributes(usageAttributes(billed.usage, billed.costUsd));
        if (billed.finishReason) span.setAttribute(genAi.responseFinishReasons, [billed.finishReason]);
      }
      if (!failed) span.setStatus({ code: SpanStatusCode.UNSET });
      span.end();
    },
  };
}
