import { causeChainMessage } from "../../errors/cause-chain.ts";
import { TansuoError } from "../../errors/tansuo-error.ts";

/** A provider answered with an error status; `isRetryable` follows the provider's documented error table. */
export class ProviderResponseError extends TansuoError {
  override readonly name = "ProviderResponseError";
  readonly kind = "provider";
  constructor(
    readonly provider: string,
    readonly statusCode: number,
    readonly providerMessage: string,
    readonly retryAfterMilliseconds: number | undefined,
  ) {
    super(`${provider} answered ${statusCode}${statusHint(statusCode)}: ${providerMessage}`);
  }

  /** 408, 409, 429 and 5xx are worth retrying; 400/401/402/422 are the caller's to fix. */
  get isRetryable(): boolean {
    return this.statusCode === 408 || this.statusCode === 409 || this.statusCode === 429 || this.statusCode >= 500;
  }
}

/** The provider could not be reached or the connection broke before an answer. */
export class ProviderConnectionError extends TansuoError {
  override readonly name = "ProviderConnectionError";
  readonly kind = "provider";
  readonly isRetryable = true;
  readonly url: string;
  constructor(
    readonly provider: string,
    url: string,
    cause: unknown,
  ) {
    // The message is stored with the run and printed: a password in the URL must not go with it.
    const reason = withoutUserinfo(causeChainMessage(cause), url);
    super(`Could not reach ${provider} at ${withoutUserinfo(url, url)}: ${reason}`, { cause });
    this.url = withoutUserinfo(url, url);
  }
}

/** The text with the URL's `user:password@` taken out wherever that URL (or any URL) appears in it. */
export function withoutUserinfo(text: string, url: string): string {
  let cleaned = text;
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      const userinfo = `${parsed.username}${parsed.password ? `:${parsed.password}` : ""}@`;
      cleaned = cleaned.split(userinfo).join("");
    }
  } catch {
    // Not a URL: only the general pattern below applies.
  }
  return cleaned.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, "$1");
}

/** The provider's answer did not follow its own wire format. */
export class ProviderProtocolError extends TansuoError {
  override readonly name: string = "ProviderProtocolError";
  readonly kind = "provider";
  readonly isRetryable: boolean = false;
}

/** A 200 answer, or one stream chunk, that is not JSON or has a field of the wrong type: the provider is at fault. */
export class ProviderMalformedAnswerError extends ProviderProtocolError {
  override readonly name = "ProviderMalformedAnswerError";
  constructor(
    readonly provider: string,
    /** Where in the answer, e.g. `choices[0].delta.content`; `(body)` when it is not JSON at all. */
    readonly fieldPath: string,
    readonly problem: string,
    /** The start of what was received, with the API key redacted. */
    readonly snippet: string,
  ) {
    super(
      `${provider} sent an answer Tansuo cannot read: ${fieldPath}: ${problem}. Received: ${snippet}. ` +
        "Nothing after this point of the answer was used. Retry the call; if it keeps happening, check that the " +
        "base URL points at an OpenAI-compatible chat completions endpoint.",
    );
  }
}

function statusHint(statusCode: number): string {
  switch (statusCode) {
    case 400:
      return " (invalid request)";
    case 401:
      return " (authentication failed: check the API key)";
    case 402:
      return " (insufficient balance: top up the account)";
    case 422:
      return " (invalid parameters)";
    case 429:
      return " (rate limited)";
    case 503:
      return " (server overloaded)";
    default:
      return statusCode >= 500 ? " (server error)" : "";
  }
}

/** Replaces every occurrence of a secret with a marker, for messages that might echo a request. */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join("[redacted]");
}

/** Reads Retry-After as seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
