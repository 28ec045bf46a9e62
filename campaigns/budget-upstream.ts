// The provider of campaign:budget: a DeepSeek-format server that honours max_tokens (as DeepSeek does) and keeps
// its own invoice, so the gateways' ledger can be compared with what the provider billed.
import { Usd } from "../src/cost/usd.ts";
import {
  type DeepSeekServer,
  type RecordedRequest,
  type ScriptedReply,
  startDeepSeekServer,
} from "../test/support/deepseek-server/index.ts";

export const upstreamApiKey = "sk-budget-campaign";
export const slowDelayMilliseconds = 4000;

// deepseek-v4-flash today, USD per million tokens (all prompts are cache misses here).
const missPerMillion = "0.14";
const outputPerMillion = "0.28";

export interface BillingUpstream {
  server: DeepSeekServer;
  /** What the provider billed so far, an exact decimal. */
  invoiceUsd(): string;
  billedCalls(): number;
  /** Calls marked [slow] (the crash phase): counted apart, since a gateway killed while they run never records them. */
  slowCalls(): number;
  close(): Promise<void>;
}

/**
 * Agents get a list_files call on their first turn and an answer once a tool result is in; chat completions get an
 * answer. Usage: a prompt of about 4 characters per token (well under the gateways' byte bound), and a random
 * answer length capped by max_tokens. A random delay lets calls overlap.
 */
export async function startBillingUpstream(
  random: () => number,
  maximumDelayMilliseconds = 30,
): Promise<BillingUpstream> {
  let invoice = Usd.zero;
  let calls = 0;
  let slow = 0;
  const reply = (request: RecordedRequest): ScriptedReply => {
    const body = request.body as { messages: { role: string }[]; max_tokens?: number };
    if (JSON.stringify(body.messages).includes("[slow]")) {
      slow++;
      return { content: "Slow.", usage: { promptTokens: 10, completionTokens: 5 }, delayMs: slowDelayMilliseconds };
    }
    const promptTokens = Math.max(1, Math.ceil(JSON.stringify(body.messages).length / 4));
    const completionTokens = Math.min(5 + Math.floor(random() * 60), body.max_tokens ?? Number.MAX_SAFE_INTEGER);
    const perMillion = Usd.add(Usd.times(missPerMillion, promptTokens), Usd.times(outputPerMillion, completionTokens));
    invoice = Usd.add(invoice, Usd.dividedBy(perMillion, 1_000_000));
    calls++;
    const usage = { promptTokens, completionTokens };
    const delayMs = Math.floor(random() * maximumDelayMilliseconds);
    const isAgent = body.messages.some((message) => message.role === "system");
    const answered = body.messages.some((message) => message.role === "tool");
    if (isAgent && !answered) return { toolCalls: [{ name: "list_files", arguments: {} }], usage, delayMs };
    return { content: "Done.", usage, delayMs };
  };
  const server = await startDeepSeekServer({ apiKey: upstreamApiKey, fallback: reply });
  return {
    server,
    invoiceUsd: () => invoice,
    billedCalls: () => calls,
    slowCalls: () => slow,
    close: () => server.close(),
  };
}
