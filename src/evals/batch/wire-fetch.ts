// The AI SDK builds and parses the wire; a batch only moves its bodies. These fetches stand in for the network.

const jsonResponse = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });

/** A fetch that keeps the request the SDK would send (its URL and JSON body) and answers with an empty answer. */
export function capturingFetch(emptyAnswer: unknown): {
  fetch: typeof globalThis.fetch;
  take(): { url: string; body: unknown };
} {
  let captured: { url: string; body: unknown } | undefined;
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    captured = { url, body: JSON.parse(String(init?.body)) };
    return jsonResponse(emptyAnswer);
  }) as typeof globalThis.fetch;
  return {
    fetch,
    take() {
      if (!captured) throw new Error("the model made no request to capture");
      const request = captured;
      captured = undefined;
      return request;
    },
  };
}

/** A fetch that answers the next call with a body given beforehand: a batch's answer, parsed by the SDK as usual. */
export function replayingFetch(): { fetch: typeof globalThis.fetch; answerNextWith(body: unknown): void } {
  let next: unknown;
  const fetch = (async () => {
    if (next === undefined) throw new Error("no batch answer was set for this call");
    const body = next;
    next = undefined;
    return jsonResponse(body);
  }) as typeof globalThis.fetch;
  return {
    fetch,
    answerNextWith(body) {
      next = body;
    },
  };
}
