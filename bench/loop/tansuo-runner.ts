import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRuntime, executeRun, startRun } from "../../src/agent/index.ts";
import { freePrice } from "../../src/cost/price.ts";
import { modelEntrySchema } from "../../src/models/model-entry.ts";
import type { ResolvedModel } from "../../src/models/resolved-model.ts";
import { usageOf } from "../../src/models/usage-of.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { defineTool } from "../../src/tools/tool.ts";
import { InstantModel } from "./instant-model.ts";
import type { LoopResult } from "./loop-result.ts";
import { benchTask, noopInputSchema, noopOutput, noopToolDescription, noopToolName } from "./noop-tool.ts";

const noopToolCounting = (counter: { calls: number }) =>
  defineTool({
    name: noopToolName,
    description: noopToolDescription,
    inputSchema: noopInputSchema,
    readOnly: true,
    needsApproval: false,
    execute: async () => {
      counter.calls += 1;
      return noopOutput;
    },
  });

/** Tansuo's durable path: a real SQLite file in a temp folder, a run started and executed as a library user does. */
export async function runTansuo(steps: number): Promise<LoopResult> {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-bench-loop-"));
  const workspace = path.join(folder, "workspace");
  mkdirSync(workspace);
  const entry = modelEntrySchema.parse({
    id: "instant",
    provider: "openai-compatible",
    upstreamModel: "instant",
    contextWindow: 10_000_000,
    maxOutputTokens: 4096,
    prices: [],
  });
  const model = new InstantModel(steps);
  const resolved: ResolvedModel = {
    entry,
    model,
    priceAt: () => freePrice(),
    usageOf: (usage) => usageOf(usage, undefined),
    close: async () => {},
  };
  const counter = { calls: 0 };
  const store = new SqliteStore(path.join(folder, "tansuo.db"));
  try {
    const runtime = createRuntime({ store, resolveModel: async () => resolved, tools: [noopToolCounting(counter)] });
    const run = await startRun(runtime, {
      task: benchTask,
      model: "instant",
      workspace,
      tools: [noopToolName],
      maxSteps: steps,
    });
    const finished = await executeRun(runtime, run.id);
    if (finished.status !== "succeeded") throw new Error(`Tansuo run ended ${finished.status}: ${finished.error}`);
    return {
      steps: finished.stepCount,
      toolCalls: counter.calls,
      lastPromptMessages: model.lastPromptMessages,
      output: finished.output ?? "",
      retained: finished,
    };
  } finally {
    store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
