import { emptyUsage } from "../../src/cost/usage.ts";
import type { RunSettings } from "../../src/store/records.ts";
import type { Store } from "../../src/store/store.ts";

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

/** Two API keys: `key_a` (hash h1, prefix tsk_abcd, budget $1) and `key_b` (hash h2, prefix tsk_efgh, no budget). */
export async function createTwoKeys(store: Store): Promise<void> {
  await store.createApiKey({
    id: "key_a",
    name: "a",
    prefix: "tsk_abcd",
    hash: "h1",
    budgetUsd: "1",
    createdAt: new Date().toISOString(),
  });
  await store.createApiKey({
    id: "key_b",
    name: "b",
    prefix: "tsk_efgh",
    hash: "h2",
    createdAt: new Date().toISOString(),
  });
}
