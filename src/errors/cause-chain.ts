/** The error and the causes under it, outermost first (bounded: a cause that loops is not followed forever). */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && chain.length < 8 && !chain.includes(current); ) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

/**
 * The messages down the cause chain joined by ": " ("fetch failed: connect ECONNREFUSED 127.0.0.1:9"), so the
 * reason a library wraps away is shown; a cause whose message the outer one already contains is not repeated.
 */
export function causeChainMessage(error: unknown): string {
  const parts: string[] = [];
  for (const link of causeChain(error)) {
    const message = link instanceof Error ? link.message : String(link);
    if (message && !parts.some((part) => part.includes(message))) parts.push(message);
  }
  return parts.join(": ");
}

/** The system error codes (ENOTFOUND, ECONNREFUSED) anywhere in the chain. */
export function causeCodes(error: unknown): string[] {
  return causeChain(error)
    .map((link) => (link as { code?: unknown } | null)?.code)
    .filter((code): code is string => typeof code === "string");
}
