import { priceAt } from "../src/cost/price.ts";
import { Usd } from "../src/cost/usd.ts";
import { Catalog } from "../src/models/catalog.ts";
import {
  type DeepSeekServer,
  type RecordedRequest,
  type ScriptedReply,
  startDeepSeekServer,
} from "../test/support/deepseek-server/index.ts";

export const crashModel = "deepseek-v4-flash";
export const appendedFile = "appended.txt";
export const writtenFile = "written.txt";
export const writtenContent = "written once\n";

// Usage the fake upstream reports for every answer: what it bills, whatever the CLI estimates.
const promptTokens = 1000;
const completionTokens = 40;
const answerWords = Array.from({ length: 24 }, (_, index) => `word${index}`).join(" ");

type ChatBody = { messages?: { role: string }[] };

/**
 * The task the crash campaign kills: append a line (run_command), write a file (write_file), then stream a final
 * answer slowly enough to be killed mid-stream. The reply depends only on how many tool results the request
 * carries, so a resumed run gets the same next step as a run that never stopped.
 */
function replyTo(request: RecordedRequest): ScriptedReply {
  const results = ((request.body as ChatBody).messages ?? []).filter((message) => message.role === "tool").length;
  const usage = { promptTokens, completionTokens };
  if (results === 0) {
    return {
      toolCalls: [{ name: "run_command", arguments: { command: `echo line >> ${appendedFile}` } }],
      usage,
    };
  }
  if (results === 1) {
    return { toolCalls: [{ name: "write_file", arguments: { path: writtenFile, content: writtenContent } }], usage };
  }
  return { content: answerWords, chunkDelayMs: 15, usage };
}

export const startCrashUpstream = (): Promise<DeepSeekServer> =>
  startDeepSeekServer({ apiKey: "sk-crash-campaign-000333", fallback: replyTo });

export const crashApiKey = "sk-crash-campaign-000333";

/**
 * The most the upstream can have billed for the requests it received: each answered or abandoned chat request at
 * its full reported usage (an abandoned one may have been generated to the end). The CLI's ledger must not be less.
 */
export function upstreamBilledUsd(requests: readonly RecordedRequest[]): string {
  const price = priceAt(Catalog.builtIn().find(crashModel)!.prices, new Date())!;
  const perCall = Usd.dividedBy(
    Usd.add(Usd.times(price.inputCacheMiss, promptTokens), Usd.times(price.output, completionTokens)),
    1_000_000,
  );
  const chatRequests = requests.filter((request) => request.path.endsWith("/chat/completions"));
  const billed = chatRequests.filter((request) => request.status === 200 || request.disconnected);
  return Usd.times(perCall, billed.length);
}
