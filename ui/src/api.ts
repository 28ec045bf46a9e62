// The viewer's only way to the server: the gateway's /v1 API with the caller's key (asked for only on a 401).

const keyStorageName = "tansuo.apiKey";

/** Raised when the server wants a key; the shell then asks the person for one. */
export class KeyRequiredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyRequiredError";
  }
}

/** An error the API answered with: its message is the server's own words. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const storedKey = (): string | undefined => sessionStorage.getItem(keyStorageName) ?? undefined;
export const storeKey = (key: string): void => sessionStorage.setItem(keyStorageName, key.trim());
export const forgetKey = (): void => sessionStorage.removeItem(keyStorageName);

type KeyListener = () => void;
const keyListeners = new Set<KeyListener>();
/** The shell listens, to show the key form whenever any request meets a 401. */
export function onKeyRequired(listener: KeyListener): () => void {
  keyListeners.add(listener);
  return () => keyListeners.delete(listener);
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const key = storedKey();
  return { ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra };
}

async function failure(response: Response): Promise<Error> {
  let message = `${response.status} ${response.statusText}`;
  let code: string | undefined;
  try {
    const body = (await response.json()) as { error?: { message?: string; code?: string } };
    message = body.error?.message ?? message;
    code = body.error?.code;
  } catch {
    // Not JSON: keep the status line.
  }
  if (response.status === 401) {
    for (const listener of keyListeners) listener();
    return new KeyRequiredError(message);
  }
  return new ApiError(message, response.status, code);
}

/** GET a JSON resource under /v1; `query` values left undefined or empty are not sent. */
export async function getJson<T>(
  path: string,
  query: Record<string, string | undefined> = {},
  signal?: AbortSignal,
): Promise<T> {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== "") search.set(name, value);
  const url = `/v1${path}${search.size > 0 ? `?${search}` : ""}`;
  const response = await fetch(url, { headers: headers(), ...(signal ? { signal } : {}) });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

/** POST JSON under /v1 (approve, cancel, resume). */
export async function postJson<T>(path: string, body: unknown = {}): Promise<T> {
  const response = await fetch(`/v1${path}`, {
    method: "POST",
    headers: headers({ "content-type": "application/json" }),
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

export interface ServerSentEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * Follows an SSE endpoint with fetch (EventSource cannot send the Authorization header), reconnecting after a
 * dropped connection from the last event id; `onConnection` hears when the stream opens and drops. Returns a
 * function that stops following.
 */
export function followEvents(
  path: string,
  query: Record<string, string | undefined>,
  onEvent: (event: ServerSentEvent) => void,
  onConnection: (connected: boolean) => void = () => {},
): () => void {
  const controller = new AbortController();
  let lastEventId: string | undefined;
  const connect = async (): Promise<void> => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== "") search.set(name, value);
    const response = await fetch(`/v1${path}${search.size > 0 ? `?${search}` : ""}`, {
      headers: headers({ accept: "text/event-stream", ...(lastEventId ? { "last-event-id": lastEventId } : {}) }),
      signal: controller.signal,
    });
    if (!response.ok || !response.body) throw await failure(response);
    onConnection(true);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let boundary = buffer.indexOf("\n\n");
      while (boundary >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        boundary = buffer.indexOf("\n\n");
        const event: ServerSentEvent = { event: "message", data: "" };
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const fieldValue = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "data") data.push(fieldValue);
          else if (field === "event") event.event = fieldValue;
          else if (field === "id") event.id = fieldValue;
        }
        if (data.length === 0) continue;
        event.data = data.join("\n");
        if (event.id) lastEventId = event.id;
        onEvent(event);
      }
    }
  };
  const loop = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      try {
        await connect();
      } catch (error) {
        if (controller.signal.aborted || error instanceof KeyRequiredError) return;
      }
      onConnection(false);
      // The stream ended or broke: wait a moment, then pick up from the last event seen.
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  void loop();
  return () => controller.abort();
}
