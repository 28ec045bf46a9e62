import { planCompaction } from "../../src/agent/compaction/plan-compaction.ts";
import { costOf } from "../../src/cost/cost.ts";
import type { AppliedPrice } from "../../src/cost/price.ts";
import { Usd } from "../../src/cost/usd.ts";
import { PrefixCache } from "./prefix-cache.ts";
import type { Transcript } from "./transcripts.ts";

export type Strategy = "none" | "truncation" | "ours";

/** A message with its tokens; `step` is the transcript step it came from (none: system, task, a summary). */
interface Tokenized {
  text: string;
  tokens: number[];
  step?: number;
}

export interface PriceSet {
  label: string;
  model: string;
  price: AppliedPrice;
  summariser: string;
  summariserPrice: AppliedPrice;
}

export interface ReplaySettings {
  /** The window the run works in and the share of it that triggers truncation or compaction. */
  contextWindow: number;
  windowShare: number;
  cacheUnitTokens: number;
  summaryRatio: number;
  keepRecentSteps: number;
  encode: (text: string) => number[];
}

export interface ReplayResult {
  strategy: Strategy;
  requests: number;
  tokensSent: number;
  cacheHitTokens: number;
  costUsd: string;
  compactions: number;
  largestPrompt: number;
}

export const summaryInstruction =
  "user\nSummarise the conversation so far for your own later use: decisions, findings, files, open work.";

/** The bench's summariser: deterministic, the first `ratio` of each compacted message (a fixed-ratio extract). */
export function extractSummary(messages: readonly { text: string }[], ratio: number, through: number): string {
  const extracts = messages.map((message) => message.text.slice(0, Math.ceil(message.text.length * ratio)));
  return `user\nSummary of the run through step ${through}:\n${extracts.join("\n")}`;
}

const tokensOf = (messages: readonly Tokenized[]) => messages.reduce((sum, message) => sum + message.tokens.length, 0);
const perMillionTokens = (price: AppliedPrice) => ({
  cacheHit: Number(price.inputCacheHit),
  cacheMiss: Number(price.inputCacheMiss),
  output: Number(price.output),
});

/**
 * Replays the transcript's steps as model calls under one strategy: each call sends the context and is answered
 * with the recorded step. Every call (the summariser's too) goes through the same simulated prefix cache and is
 * priced with the catalog's rates.
 */
export function replay(transcript: Transcript, strategy: Strategy, prices: PriceSet, settings: ReplaySettings) {
  const memo = new Map<string, number[]>();
  const tokenize = (text: string, step?: number): Tokenized => {
    const tokens = memo.get(text) ?? settings.encode(text);
    memo.set(text, tokens);
    return { text, tokens, step };
  };
  const cache = new PrefixCache(settings.cacheUnitTokens);
  const result: ReplayResult = {
    strategy,
    requests: 0,
    tokensSent: 0,
    cacheHitTokens: 0,
    costUsd: Usd.zero,
    compactions: 0,
    largestPrompt: 0,
  };
  const send = (model: string, price: AppliedPrice, messages: readonly Tokenized[], outputTokens: number) => {
    const tokens = messages.flatMap((message) => message.tokens);
    const hits = cache.send(model, tokens);
    const usage = {
      inputTokens: tokens.length,
      cacheHitTokens: hits,
      cacheMissTokens: tokens.length - hits,
      cacheWriteTokens: 0,
      outputTokens,
      reasoningTokens: 0,
    };
    result.requests += 1;
    result.tokensSent += tokens.length;
    result.cacheHitTokens += hits;
    result.costUsd = Usd.add(result.costUsd, costOf(usage, price).totalUsd);
  };
  const limit = Math.floor(settings.contextWindow * settings.windowShare);
  let pinned: Tokenized[] = [tokenize(transcript.system), tokenize(transcript.task)];
  let steps: Tokenized[] = [];
  const instruction = tokenize(summaryInstruction);
  const stepCount = transcript.steps.length;
  for (let index = 0; index < stepCount; index++) {
    const recorded = transcript.steps[index]!;
    if (strategy === "truncation") {
      // Drop the oldest whole steps (an answer with its tool result) until the prompt fits.
      while (tokensOf(pinned) + tokensOf(steps) > limit && steps.length > 2) steps = steps.slice(2);
    }
    if (strategy === "ours" && tokensOf(pinned) + tokensOf(steps) > limit) {
      const added = tokensOf(steps) / Math.max(1, new Set(steps.map((message) => message.step)).size);
      const plan = planCompaction({
        messages: [...pinned, ...steps].map((message) => ({ tokens: message.tokens.length, step: message.step })),
        price: perMillionTokens(prices.price),
        summariserPrice: perMillionTokens(prices.summariserPrice),
        summariserSharesCache: prices.summariser === prices.model,
        cacheUnitTokens: settings.cacheUnitTokens,
        summaryRatio: settings.summaryRatio,
        instructionTokens: instruction.tokens.length,
        growthPerStep: Math.ceil(added),
        contextWindow: settings.contextWindow,
        windowShare: settings.windowShare,
        remainingSteps: stepCount - index,
        keepRecentSteps: settings.keepRecentSteps,
        force: true,
      });
      if (plan) {
        const compacted = steps.slice(0, plan.toMessage - plan.fromMessage);
        const summary = tokenize(extractSummary(compacted, settings.summaryRatio, plan.throughStep));
        send(prices.summariser, prices.summariserPrice, [...pinned, ...compacted, instruction], summary.tokens.length);
        // The summary joins the pinned prefix: the next compaction leaves it, and all before it, cached.
        pinned = [...pinned, summary];
        steps = steps.slice(compacted.length);
        result.compactions += 1;
      }
    }
    const answer = tokenize(recorded.assistant, index);
    result.largestPrompt = Math.max(result.largestPrompt, tokensOf(pinned) + tokensOf(steps));
    send(prices.model, prices.price, [...pinned, ...steps], answer.tokens.length);
    steps = [...steps, answer, tokenize(recorded.toolResult, index)];
  }
  return result;
}

/**
 * The most any prefix cache could serve of this transcript sent whole: every token but those new in each request
 * (the first prompt, then each step's answer and tool result), counted per token (no unit rounding).
 */
export function theoreticalHitShare(transcript: Transcript, encode: (text: string) => number[]): number {
  let prompt = encode(transcript.system).length + encode(transcript.task).length;
  let sent = prompt;
  let fresh = prompt;
  for (const step of transcript.steps.slice(0, -1)) {
    const added = encode(step.assistant).length + encode(step.toolResult).length;
    prompt += added;
    sent += prompt;
    fresh += added;
  }
  return (sent - fresh) / sent;
}
