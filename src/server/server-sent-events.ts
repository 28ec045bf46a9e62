const encoder = new TextEncoder();

/** One `data:` event of a text/event-stream, as text (streamed answers batch text before writing it). */
export const dataText = (json: string): string => `data: ${json}\n\n`;

/** A typed event (`event:` then `data:`), as text: the Responses and Anthropic Messages streams name each event. */
export const namedEventText = (event: string, json: string): string => `event: ${event}\ndata: ${json}\n\n`;

/** The end marker OpenAI chat clients wait for, as text. */
export const doneText = "data: [DONE]\n\n";

/** One `data:` event of a text/event-stream, as bytes. */
export const dataFrame = (json: string): Uint8Array => encoder.encode(dataText(json));

/** The end marker OpenAI clients wait for. */
export const doneFrame = encoder.encode(doneText);

/** An event with an id (for Last-Event-ID replay) and a type. */
export const eventFrame = (id: number | string, event: string, json: string): Uint8Array =>
  encoder.encode(`id: ${id}\nevent: ${event}\ndata: ${json}\n\n`);

/** A comment line: keeps idle connections open through proxies. */
export const commentFrame = (text: string): Uint8Array => encoder.encode(`: ${text}\n\n`);

// No `Connection` header: HTTP/1.1 keeps the connection alive by default, and one the client asked to close is closed.
export const serverSentEventHeaders = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
} as const;

/** A typed event without an id (a follower that needs no replay, such as the runs list). */
export const namedEventFrame = (event: string, json: string): Uint8Array => encoder.encode(namedEventText(event, json));
