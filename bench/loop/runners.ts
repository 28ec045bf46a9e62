import { runAgentsSdk } from "./agents-sdk-runner.ts";
import { runAiSdk } from "./ai-sdk-runner.ts";
import type { LoopResult } from "./loop-result.ts";
import { runTansuo } from "./tansuo-runner.ts";

/** The loops compared, by the name the table shows; Tansuo first, as the ratios are against it. */
export const runners: Record<string, (steps: number) => Promise<LoopResult>> = {
  tansuo: runTansuo,
  "ai-sdk": runAiSdk,
  "agents-sdk": runAgentsSdk,
};

export const runnerLabels: Record<string, string> = {
  tansuo: "Tansuo (durable, SQLite file)",
  "ai-sdk": "AI SDK 6 generateText",
  "agents-sdk": "OpenAI Agents SDK run",
};
