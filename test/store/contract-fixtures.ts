import { emptyUsage } from "../../src/cost/usage.ts";
import type { RunSettings } from "../../src/store/records.ts";

export const settings: RunSettings = {
  task: "t",
  model: "m",
  workspace: "/tmp",
  maxSteps: 5,
  thinking: "auto",
  approval: "deny",
  tools: ["read_file"],
  alwaysAllowedTools: [],
};

export const usage = (input: number, output: number) => ({
  ...emptyUsage(),
  inputTokens: input,
  cacheMissTokens: input,
  outputTokens: output,
});
