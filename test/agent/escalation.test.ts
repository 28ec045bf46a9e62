import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { approveRun, createRuntime, executeRun, type RunEvent, startRun } from "../../src/agent/index.ts";
import { freePrice, priceAt } from "../../src/cost/price.ts";
import { type PriceRowInput, priceRowSchema } from "../../src/cost/price-row-schema.ts";
import { modelEntrySchema } from "../../src/models/model-entry.ts";
import type { ResolvedModel } from "../../src/models/resolved-model.ts";
import { usageOf } from "../../src/models/usage-of.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { ScriptedModel, type ScriptedStep } from "../../src/testing/index.ts";

interface LadderModelScript {
  id: string;
  canThink: boolean;
  steps: ScriptedStep[];
  price?: PriceRowInput;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A runtime over a real SQLite file whose models are strict scripted ones, each named by its catalog id. */
function ladderHarness(models: LadderModelScript[]) {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-escalation-"));
  const workspace = path.join(folder, "workspace");
  mkdirSync(workspace);
  const scripted = new Map(models.map((model) => [model.id, new ScriptedModel(model.steps)]));
  const resolvedOf = (script: LadderModelScript): ResolvedModel => {
    const prices = script.price ? [priceRowSchema.parse(script.price)] : [];
    const entry = modelEntrySchema.parse({
      id: script.id,
      provider: "openai-compatible",
      upstreamModel: script.id,
      contextWindow: 32000,
      maxOutputTokens: 4096,
      capabilities: { tools: true, thinking: script.canThink },
      prices,
    });
    return {
      entry,
      model: scripted.get(script.id)!,
      priceAt: (at) => priceAt(prices, at) ?? freePrice(),
      usageOf: (usage) => usageOf(usage, undefined),
      thinkingOptions: (setting) =>
        setting === "auto" || !script.canThink
          ? undefined
          : { tansuo: { thinking: setting === "on" ? "enabled" : "disabled" } },
      close: async () => {},
    };
  };
  const databasePath = path.join(folder, "tansuo.db");
  const stores: SqliteStore[] = [];
  const newRuntime = () => {
    const store = new SqliteStore(databasePath);
    stores.push(store);
    return createRuntime({
      store,
      resolveModel: async (spec) => {
        const script = models.find((model) => model.id === spec);
        if (!script) throw new Error(`the test has no model ${spec}`);
        return resolvedOf(script);
      },
    });
  };
  cleanups.push(() => {
    for (const store of stores) store.close();
    rmSync(folder, { recursive: true, force: true });
  });
  /** Which model answered each call, with the thinking it was asked for, in call order. */
  const callLog: string[] = [];
  for (const [id, model] of scripted) {
    const original = model.doStream.bind(model);
    model.doStream = (options) => {
      const thinking = (options.providerOptions?.tansuo as { thinking?: string } | undefined)?.thinking ?? "none";
      callLog.push(`${id}:${thinking}`);
      return original(options);
    };
  }
  const assertFinished = () => {
    for (const model of scripted.values()) model.assertFinished();
  };
  return { workspace, newRuntime, callLog, assertFinished };
}

const readMissing = (file: string): ScriptedStep => ({ toolCalls: [{ name: "read_file", input: { path: file } }] });
const listFolder = (folder: string): ScriptedStep => ({ toolCalls: [{ name: "list_files", input: { path: folder } }] });
const answer = (text: string): ScriptedStep => ({ text });

const switchesOf = (events: RunEvent[]) =>
  events.filter((event): event is Extract<RunEvent, { type: "model-switch" }> => event.type === "model-switch");

async function runLadder(
  harness: ReturnType<typeof ladderHarness>,
  settings: { models: string[]; budgetUsd?: string; thinking?: "on" | "off" | "auto"; tools?: string[] },
) {
  const runtime = harness.newRuntime();
  const run = await startRun(runtime, {
    task: "find the notes",
    model: settings.models[0]!,
    models: settings.models,
    workspace: harness.workspace,
    tools: settings.tools ?? ["read_file", "list_files"],
    budgetUsd: settings.budgetUsd,
    thinking: settings.thinking,
    approval: "ask",
  });
  const events: RunEvent[] = [];
  const finished = await executeRun(runtime, run.id, { onEvent: (event) => events.push(event) });
  return { runtime, run: finished, events };
}

describe("escalation ladder (--models)", () => {
  it("moves up after 2 tool errors in a row: thinking on first, then the next model", async () => {
    const harness = ladderHarness([
      { id: "flash", canThink: true, steps: [readMissing("a"), readMissing("b"), readMissing("c"), readMissing("d")] },
      { id: "pro", canThink: false, steps: [answer("there are no notes")] },
    ]);
    const { run, events, runtime } = await runLadder(harness, { models: ["flash", "pro"] });
    expect(run.status).toBe("succeeded");
    expect(harness.callLog).toEqual(["flash:disabled", "flash:disabled", "flash:enabled", "flash:enabled", "pro:none"]);
    expect(switchesOf(events)).toEqual([
      {
        type: "model-switch",
        step: 2,
        from: { model: "flash", thinking: false },
        to: { model: "flash", thinking: true },
        reason: "2 tool errors in a row",
      },
      {
        type: "model-switch",
        step: 4,
        from: { model: "flash", thinking: true },
        to: { model: "pro", thinking: false },
        reason: "2 tool errors in a row",
      },
    ]);
    // Each step names the model that made it, and the switches are stored with the run.
    const steps = await runtime.store.listSteps(run.id);
    expect(steps.map((step) => step.model)).toEqual(["flash", "flash", "flash", "flash", "pro"]);
    const stored = (await runtime.store.listEvents(run.id)).filter((event) => event.type === "model-switch");
    expect(stored).toHaveLength(2);
    harness.assertFinished();
  });

  it("moves up when the same call is repeated, and back to the first rung after a success", async () => {
    const harness = ladderHarness([
      {
        id: "flash",
        canThink: true,
        steps: [listFolder("."), listFolder("."), readMissing("x"), listFolder("sub"), answer("done")],
      },
    ]);
    mkdirSync(path.join(harness.workspace, "sub"));
    const { run, events } = await runLadder(harness, { models: ["flash"] });
    expect(run.status).toBe("succeeded");
    expect(harness.callLog).toEqual([
      "flash:disabled",
      "flash:disabled",
      "flash:enabled",
      "flash:enabled",
      "flash:disabled",
    ]);
    expect(switchesOf(events).map((event) => [event.step, event.to.thinking, event.reason])).toEqual([
      [2, true, "the same call repeated"],
      [4, false, "succeeded: back to the first rung"],
    ]);
    harness.assertFinished();
  });

  it("moves up when no new call is made over 4 steps", async () => {
    const harness = ladderHarness([
      {
        id: "flash",
        canThink: true,
        steps: [
          listFolder("."),
          listFolder("sub"),
          listFolder("."),
          listFolder("sub"),
          listFolder("."),
          listFolder("sub"),
          answer("the same two folders"),
        ],
      },
    ]);
    mkdirSync(path.join(harness.workspace, "sub"));
    const { run, events } = await runLadder(harness, { models: ["flash"] });
    expect(run.status).toBe("succeeded");
    expect(harness.callLog.at(-1)).toBe("flash:enabled");
    expect(switchesOf(events).map((event) => [event.step, event.reason])).toEqual([[6, "no progress over 4 steps"]]);
    harness.assertFinished();
  });

  it("moves up when the answer fails the run's check (structured output repair)", async () => {
    const harness = ladderHarness([{ id: "flash", canThink: true, steps: [answer("no json"), answer("{}")] }]);
    const runtime = harness.newRuntime();
    const started = await startRun(runtime, {
      task: "answer in JSON",
      model: "flash",
      models: ["flash"],
      workspace: harness.workspace,
      tools: [],
    });
    const events: RunEvent[] = [];
    const run = await executeRun(runtime, started.id, {
      onEvent: (event) => events.push(event),
      answerCheck: { problems: (text) => (text.startsWith("{") ? undefined : "it is not a JSON object") },
    });
    expect(run).toMatchObject({ status: "succeeded", output: "{}" });
    expect(harness.callLog).toEqual(["flash:disabled", "flash:enabled"]);
    expect(switchesOf(events).map((event) => event.reason)).toEqual(["the answer failed its check"]);
    harness.assertFinished();
  });

  it("stays on its rung, and says why, when the budget cannot pay for the next rung's worst case", async () => {
    const cheap = { effectiveFrom: "2025-01-01", inputCacheHit: "0.01", inputCacheMiss: "0.1", output: "0.2" };
    // 4096 output tokens at $1000 per million: about $4, more than the $1 budget.
    const dear = { effectiveFrom: "2025-01-01", inputCacheHit: "10", inputCacheMiss: "100", output: "1000" };
    const harness = ladderHarness([
      { id: "flash", canThink: false, price: cheap, steps: [readMissing("a"), readMissing("b"), answer("gave up")] },
      { id: "pro", canThink: false, price: dear, steps: [] },
    ]);
    const { run, events } = await runLadder(harness, { models: ["flash", "pro"], budgetUsd: "1" });
    expect(run.status).toBe("succeeded");
    expect(harness.callLog).toEqual(["flash:none", "flash:none", "flash:none"]);
    const [stay] = switchesOf(events);
    expect(stay).toMatchObject({
      step: 2,
      from: { model: "flash", thinking: false },
      to: { model: "flash", thinking: false },
    });
    expect(stay!.reason).toMatch(
      /^stays on flash \(thinking off\): budget left \$(0\.99\d*|1\.0000) cannot pay for pro's worst case \(\$4\.\d{4}\)$/,
    );
    expect(switchesOf(events)).toHaveLength(1);
    harness.assertFinished();
  });

  it("a resumed run continues on the rung its last switch left it", async () => {
    const harness = ladderHarness([
      {
        id: "flash",
        canThink: true,
        steps: [
          readMissing("a"),
          readMissing("b"),
          { toolCalls: [{ name: "run_command", input: { command: "ls" } }] },
          answer("listed nothing"),
        ],
      },
    ]);
    const first = await runLadder(harness, { models: ["flash"], tools: ["read_file", "run_command"] });
    expect(first.run.status).toBe("awaiting_approval");
    expect(harness.callLog).toEqual(["flash:disabled", "flash:disabled", "flash:enabled"]);
    // Another process (a new store connection, a fresh ladder) picks the run up from the store.
    const runtime = harness.newRuntime();
    await approveRun(runtime, first.run.id, { approve: false });
    const events: RunEvent[] = [];
    const resumed = await executeRun(runtime, first.run.id, { onEvent: (event) => events.push(event) });
    expect(resumed.status).toBe("succeeded");
    expect(harness.callLog).toEqual(["flash:disabled", "flash:disabled", "flash:enabled", "flash:enabled"]);
    expect(switchesOf(events)).toEqual([]);
    harness.assertFinished();
  });

  it("a run without a ladder keeps its own thinking setting and never switches", async () => {
    const harness = ladderHarness([
      { id: "flash", canThink: true, steps: [readMissing("a"), readMissing("b"), readMissing("c"), answer("no")] },
    ]);
    const runtime = harness.newRuntime();
    const started = await startRun(runtime, {
      task: "t",
      model: "flash",
      workspace: harness.workspace,
      tools: ["read_file"],
    });
    const events: RunEvent[] = [];
    const run = await executeRun(runtime, started.id, { onEvent: (event) => events.push(event) });
    expect(run.status).toBe("succeeded");
    expect(harness.callLog).toEqual(["flash:none", "flash:none", "flash:none", "flash:none"]);
    expect(switchesOf(events)).toEqual([]);
    harness.assertFinished();
  });
});
