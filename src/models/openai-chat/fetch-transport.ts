import type { UpstreamTransport } from "./upstream-answer.ts";

/** A `fetch` function (the one given in the model's settings) as a transport, aborted after the overall timeout. */
export function fetchTransport(fetchFunction: typeof fetch, timeoutMilliseconds: number): UpstreamTransport {
  return async (url, request) => {
    const timeout = AbortSignal.timeout(timeoutMilliseconds);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const response = await fetchFunction(url, { method: "POST", headers: request.headers, body: request.body, signal });
    return {
      status: response.status,
      statusText: response.statusText,
      headers: Object.fromEntries(response.headers.entries()),
      body: response.body?.getReader() ?? null,
    };
  };
}
