import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { ApiKeyRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";

const keyPrefix = "tsk_";
// Enough of the key to tell keys apart in a listing, far too little to guess the rest.
const shownPrefixLength = keyPrefix.length + 8;

export interface NewApiKeyOptions {
  name?: string;
  /** USD as a decimal string, e.g. "5" or "0.25". */
  budgetUsd?: string;
  requestsPerMinute?: number;
  concurrency?: number;
  /** Sees every run, not only its own. */
  admin?: boolean;
}

/** A key as handed out: the secret (shown once) and the record kept (hash and prefix only). */
export interface IssuedApiKey {
  key: string;
  record: ApiKeyRecord;
}

/** sha256 of the whole key, hex: the only form of the key the store keeps. */
export const hashApiKey = (key: string): string => createHash("sha256").update(key).digest("hex");

/** Makes a key (`tsk_` and 32 random bytes in base64url) and stores its hash; the key itself is never stored. */
export async function issueApiKey(
  store: Store,
  options: NewApiKeyOptions = {},
  now = new Date(),
): Promise<IssuedApiKey> {
  const key = keyPrefix + randomBytes(32).toString("base64url");
  const record: ApiKeyRecord = {
    id: `key_${randomUUID().replaceAll("-", "").slice(0, 16)}`,
    name: options.name ?? "default",
    prefix: key.slice(0, shownPrefixLength),
    hash: hashApiKey(key),
    budgetUsd: options.budgetUsd,
    requestsPerMinute: options.requestsPerMinute,
    concurrency: options.concurrency,
    ...(options.admin ? { admin: true } : {}),
    createdAt: now.toISOString(),
  };
  await store.createApiKey(record);
  return { key, record };
}

export const isActiveKey = (record: ApiKeyRecord): boolean => record.revokedAt === undefined;

/** How many keys can still be used; with none, a loopback server lets requests in without a key. */
export const activeKeyCount = async (store: Store): Promise<number> =>
  (await store.listApiKeys()).filter(isActiveKey).length;
