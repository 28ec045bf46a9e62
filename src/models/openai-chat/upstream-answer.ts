/** One read of a body, shaped as a web stream reader's. */
export type BodyRead = { done: false; value: Uint8Array } | { done: true; value?: Uint8Array };

/** The part of a web stream's reader the model uses; `response.body.getReader()` is one as it is. */
export interface BodyReader {
  read(): Promise<BodyRead>;
  /** Stops reading without closing the connection: the rest of the body is read and dropped, so it can be reused. */
  releaseLock(): void;
  /** Gives up on the body and closes the connection. */
  cancel(reason?: unknown): Promise<void>;
}

/** An upstream's HTTP answer, as the model reads it, whichever transport fetched it. */
export interface UpstreamAnswer {
  status: number;
  statusText: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** Null for statuses that carry no body. */
  body: BodyReader | null;
}

/** A POST of a JSON body; the signal aborts it, before or while the answer streams in. */
export interface UpstreamRequest {
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal | undefined;
}

/** Sends a request and resolves once the answer's status and headers are in; rejects if it could not be sent. */
export type UpstreamTransport = (url: string, request: UpstreamRequest) => Promise<UpstreamAnswer>;

/** The whole body as text. */
export async function readAnswerText(answer: UpstreamAnswer): Promise<string> {
  if (!answer.body) return "";
  const decoder = new TextDecoder();
  let text = "";
  for (let next = await answer.body.read(); !next.done; next = await answer.body.read()) {
    text += decoder.decode(next.value, { stream: true });
  }
  return text + decoder.decode();
}
