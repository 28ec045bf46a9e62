import type { Store } from "../store/store.ts";
import { hashApiKey, isActiveKey } from "./api-keys.ts";
import type { Caller } from "./gateway-env.ts";
import { AuthenticationError } from "./gateway-errors.ts";

const bearer = (authorization: string | undefined): string | undefined => {
  const match = authorization?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim() || undefined;
};

/**
 * Finds the caller's key from `Authorization: Bearer`, or from `x-api-key` (Anthropic's clients send that). With no active key in the store and a loopback bind,
 * any request is let in without a key (local use; OpenAI clients insist on sending some key, so it is ignored).
 */
export async function authenticate(
  store: Store,
  authorization: string | undefined,
  bindIsLoopback: boolean,
  apiKeyHeader?: string,
): Promise<Caller> {
  const token = bearer(authorization) ?? (apiKeyHeader?.trim() || undefined);
  const record = token === undefined ? undefined : await store.findApiKeyByHash(hashApiKey(token));
  if (record && isActiveKey(record)) return { key: record };
  if (bindIsLoopback && !(await store.listApiKeys()).some(isActiveKey)) return { key: undefined };
  if (record) {
    throw new AuthenticationError(
      `The API key ${record.prefix}... was revoked at ${record.revokedAt}. Ask the operator for a new key (tansuo keys create).`,
      "revoked_api_key",
    );
  }
  if (token === undefined) {
    throw new AuthenticationError(
      "No API key: send `Authorization: Bearer <key>` (or `x-api-key: <key>`). The operator creates keys with `tansuo keys create`.",
      "missing_api_key",
    );
  }
  throw new AuthenticationError(
    `The API key ${token.slice(0, 8)}... is not known to this server. Check the key, or ask the operator for one (tansuo keys create).`,
    "invalid_api_key",
  );
}
