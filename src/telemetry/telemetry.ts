import type { ObserveRun } from "../agent/run-observer.ts";
import type { TokenUsage } from "../cost/usage.ts";

/** What the CLI and the gateway get from telemetry once it is started (loaded only when it is on). */
export interface Telemetry {
  /** Spans for each execution of a run: handed to the agent runtime. */
  observeRun: ObserveRun;
  /** Spans for gateway requests. */
  requests: RequestTracing;
  /** Exports what is pending and stops; called before the process exits. */
  shutdown(): Promise<void>;
}

/** The gateway's side: one server span per request, with the model call under it. */
export interface RequestTracing {
  startRequest(request: {
    method: string;
    path: string;
    url: string;
    userAgent?: string;
    /** W3C trace context sent by the caller: the request span joins the caller's trace. */
    traceParent?: string;
    traceState?: string;
  }): RequestTrace;
}

export interface RequestTrace {
  /** Runs `work` with this request's span current, so a run the request starts nests under it. */
  within<T>(work: () => Promise<T>): Promise<T>;
  /** A `chat` span under the request for its upstream call. */
  modelCall(call: { provider: string; requestModel: string; maxOutputTokens?: number }): ModelCallTrace;
  /** Ends the request span with the status answered (and the error behind a failure). */
  end(statusCode: number, error?: unknown): void;
}

export interface ModelCallTrace {
  /** Marks the call failed; `end` still follows. */
  fail(error: unknown): void;
  /** Ends the span, with what the ledger recorded when the call was billed; later calls do nothing. */
  end(billed?: { usage: TokenUsage; costUsd: string; finishReason?: string }): void;
}
