/** A search backend as config names it (`web.search`); its address is the user's own, so it is not SSRF-checked. */
export type SearchBackendSettings =
  | { provider: "searxng"; url: string }
  | { provider: "brave"; apiKeyEnv: string; url?: string }
  | { provider: "tavily"; apiKeyEnv: string; url?: string };

/** What config `web` decides for the network tools. */
export interface WebPolicy {
  /** Hosts and IPs (or CIDR ranges) fetch_url may reach although they are not public, e.g. `127.0.0.1`. */
  allowHosts: readonly string[];
  search?: SearchBackendSettings;
  /** Network tools ask before each call unless this is false (or the run's approval is `auto`). */
  requireApproval: boolean;
  /** One fetch, redirects included, is stopped after this long. */
  timeoutMilliseconds: number;
  /** A body is read up to this many bytes, then the connection is closed. */
  maximumBytes: number;
}

export const defaultWebPolicy = (): WebPolicy => ({
  allowHosts: [],
  requireApproval: true,
  timeoutMilliseconds: 20_000,
  maximumBytes: 5 * 1024 * 1024,
});

/** The policy from config `web`; TANSUO_WEB_TIMEOUT_MILLISECONDS shortens the fetch timeout (tests use it). */
export function webPolicyFromSettings(
  settings: { allowHosts: readonly string[]; search?: SearchBackendSettings; requireApproval: boolean },
  environment: NodeJS.ProcessEnv,
): WebPolicy {
  const timeout = Number(environment.TANSUO_WEB_TIMEOUT_MILLISECONDS);
  return {
    ...defaultWebPolicy(),
    allowHosts: settings.allowHosts,
    search: settings.search,
    requireApproval: settings.requireApproval,
    ...(Number.isInteger(timeout) && timeout > 0 ? { timeoutMilliseconds: timeout } : {}),
  };
}

/** The variable holding the search service's key, if it uses one: a secret to redact and keep from commands. */
export const searchKeyVariable = (search: SearchBackendSettings | undefined): string | undefined =>
  search && "apiKeyEnv" in search ? search.apiKeyEnv : undefined;
