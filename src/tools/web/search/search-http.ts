import type { z } from "zod";
import { SearchBackendError } from "./search-errors.ts";

/** One call to a search service, its JSON answer parsed by `schema`; errors name the service and never a header. */
export async function searchServiceJson<Output>(
  service: string,
  url: URL,
  init: RequestInit & { signal: AbortSignal },
  schema: z.ZodType<Output>,
): Promise<Output> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : error;
    throw new SearchBackendError(`${service} at ${url.origin} did not answer (${cause}). Check web.search in config.`);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new SearchBackendError(
      `${service} answered HTTP ${response.status}: ${text.slice(0, 300)}. Check web.search in config and the key.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SearchBackendError(`${service} answered with something that is not JSON: ${text.slice(0, 200)}`);
  }
  const checked = schema.safeParse(parsed);
  if (!checked.success) {
    throw new SearchBackendError(
      `${service} answered JSON of an unexpected shape (${checked.error.issues[0]?.message}).`,
    );
  }
  return checked.data;
}

/** The API key a backend's `apiKeyEnv` names, or an error that names the variable (never a value). */
export function searchApiKey(service: string, variable: string, environment: NodeJS.ProcessEnv): string {
  const key = environment[variable];
  if (!key) {
    throw new SearchBackendError(
      `${service} search needs an API key in ${variable} (web.search.apiKeyEnv), and it is not set. ` +
        "Tell the user; do not retry until it is set.",
    );
  }
  return key;
}
