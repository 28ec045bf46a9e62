import { type DeepSeekServer, startDeepSeekServer } from "./deepseek-server/index.ts";

/** A fake DeepSeek upstream that answers every request after `delayMs` and counts how many it held at once. */
export async function countingUpstream(
  apiKey: string,
  delayMs: number,
): Promise<{ server: DeepSeekServer; answered: () => number; mostAtOnce: () => number }> {
  let inFlight = 0;
  let mostAtOnce = 0;
  let answered = 0;
  const server = await startDeepSeekServer({
    apiKey,
    fallback: () => {
      inFlight += 1;
      answered += 1;
      mostAtOnce = Math.max(mostAtOnce, inFlight);
      // Counted down just before the server writes the answer (its own wait of delayMs started after this one).
      setTimeout(() => {
        inFlight -= 1;
      }, delayMs);
      return { content: "ok", usage: { promptTokens: 10, completionTokens: 2 }, delayMs };
    },
  });
  return { server, answered: () => answered, mostAtOnce: () => mostAtOnce };
}

/** Sends `count` chat requests at once, alternating between the gateways; each answer's status and error code. */
export async function chatRequestsAcross(
  gateways: readonly string[],
  key: string,
  count: number,
): Promise<{ status: number; code?: string; retryAfter: string | null }[]> {
  return await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const response = await fetch(`${gateways[index % gateways.length]}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({
          model: "deepseek-v4-flash",
          max_tokens: 2,
          messages: [{ role: "user", content: `Say ok (${index}).` }],
        }),
      });
      const body = (await response.json()) as { error?: { code?: string } };
      return { status: response.status, code: body.error?.code, retryAfter: response.headers.get("retry-after") };
    }),
  );
}
