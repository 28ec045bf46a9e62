import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { runTree } from "../../src/agent/run-tree.ts";
import { Agent, type AgentOptions, defineTool, SqliteStore } from "../../src/index.ts";
import type { BudgetStanding } from "../../src/store/budget-records.ts";
import { ScriptedModel, toolResultsIn } from "../../src/testing/index.ts";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function setup() {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-agent-as-tool-"));
  const workspace = path.join(folder, "workspace");
  mkdirSync(workspace);
  const store = new SqliteStore(path.join(folder, "runs.db"));
  cleanups.push(
    () => rmSync(folder, { recursive: true, force: true }),
    () => void store.close(),
  );
  return { workspace, store };
}

// Dollars per 1M tokens; the scripted model reports 100 input (all misses) and 20 output tokens per call: $0.00014.
const price = { effectiveFrom: "2025-01-01", inputCacheHit: "0.1", inputCacheMiss: "1", output: "2" };

const weather = defineTool({
  name: "get_weather",
  description: "The weather in a city today.",
  inputSchema: z.object({ city: z.string() }),
  readOnly: true,
  needsApproval: false,
  execute: async (input) => `${input.city}: 21°C, sunny`,
});

describe("an Agent used as another's tool (asTool)", () => {
  it("runs the task as a child run with a parent link and a carved-out budget, and answers with its output", async () => {
    const { workspace, store } = setup();
    const parentStandings: BudgetStanding[] = [];
    // The child looks at the parent's budget while it runs: the carve-out is held there.
    const lookAtParent = defineTool({
      name: "look_at_parent",
      description: "Reads the parent's budget standing.",
      inputSchema: z.object({}),
      readOnly: true,
      needsApproval: false,
      execute: async () => {
        const parent = (await store.listRuns()).find((run) => run.parentRunId === undefined)!;
        parentStandings.push(...(await store.budgetStandings([{ kind: "run", id: parent.id }])));
        return "looked";
      },
    });
    const helperModel = new ScriptedModel([
      {
        toolCalls: [
          { name: "get_weather", input: { city: "Hangzhou" } },
          { name: "look_at_parent", input: {} },
        ],
      },
      { text: "Hangzhou is sunny." },
    ]);
    const helper = new Agent({
      name: "helper",
      model: helperModel,
      price,
      instructions: "Look things up.",
      tools: [weather, lookAtParent],
      workspace,
      approval: "auto",
    });
    const leadModel = new ScriptedModel([
      {
        toolCalls: [
          { name: "agent_helper", input: { task: "The weather in Hangzhou?", budgetUsd: "0.003" }, id: "ask" },
        ],
      },
      {
        text: "It is sunny.",
        expect: (options) =>
          expect(toolResultsIn(options)).toEqual([
            { toolCallId: "ask", toolName: "agent_helper", output: "Hangzhou is sunny.", isError: false },
          ]),
      },
    ]);
    const lead = new Agent({ model: leadModel, price, tools: [helper.asTool()], workspace, store, budgetUsd: "0.01" });
    const result = await lead.run("Is it sunny in Hangzhou?");
    expect(result).toMatchObject({ status: "succeeded", output: "It is sunny.", costUsd: "0.00028" });
    helperModel.assertFinished();
    leadModel.assertFinished();
    expect(leadModel.calls[0]!.tools?.map((tool) => tool.name)).toEqual(["agent_helper"]);
    expect(helperModel.calls[0]!.tools?.map((tool) => tool.name)).toEqual(["get_weather", "look_at_parent"]);

    const [child] = await store.listChildRuns(result.id);
    expect(child).toMatchObject({
      status: "succeeded",
      parentRunId: result.id,
      parentCallId: "ask",
      costUsd: "0.00028",
      settings: { task: "The weather in Hangzhou?", budgetUsd: "0.003", agentName: "helper" },
    });
    // While the child ran, its whole budget was held against the parent's (given back after), and what the child
    // had spent (its first call) counted as the parent's spend beside the parent's own first call.
    expect(parentStandings).toEqual([
      { account: { kind: "run", id: result.id }, budgetUsd: "0.01", spentUsd: "0.00028", heldUsd: "0.003" },
    ]);
    expect(await store.budgetStandings([{ kind: "run", id: result.id }])).toEqual([
      { account: { kind: "run", id: result.id }, budgetUsd: "0.01", spentUsd: "0.00056", heldUsd: "0" },
    ]);
    // Each run's cost is its own calls'; the tree adds them; the ledger has each call once.
    expect((await runTree(store, (await store.getRun(result.id))!)).treeCostUsd).toBe("0.00056");
    const ledger = await store.usageRows();
    expect(ledger.map((row) => row.costUsd)).toEqual(["0.00056"]);
    expect(ledger[0]!.requests).toBe(4);
    const events = await store.listEvents(result.id);
    expect(events.find((event) => event.type === "child-run")?.data).toEqual({
      type: "child-run",
      step: 0,
      callId: "ask",
      childRunId: child!.id,
      agentName: "helper",
      budgetUsd: "0.003",
    });
  });

  it("gives a child the parent's remaining budget at most, and a child that exhausts it is an error result", async () => {
    const { workspace, store } = setup();
    // The child's one call costs more than its share: 9,900 input tokens ($0.0099) and 20 output ($0.00004).
    const helperModel = new ScriptedModel([
      { toolCalls: [{ name: "get_weather", input: { city: "Xi'an" } }], usage: { inputTokens: 9900 } },
    ]);
    const helper = new Agent({ name: "helper", model: helperModel, price, tools: [weather], workspace });
    const leadModel = new ScriptedModel([
      { toolCalls: [{ name: "agent_helper", input: { task: "Weather?", budgetUsd: "5" }, id: "ask" }] },
    ]);
    const lead = new Agent({ model: leadModel, price, tools: [helper.asTool()], workspace, store, budgetUsd: "0.01" });
    const result = await lead.run("Weather in Xi'an?");
    const [child] = await store.listChildRuns(result.id);
    // Asked $5; the parent had $0.01 less its first call's $0.00014.
    expect(child).toMatchObject({ status: "budget_exhausted", settings: { budgetUsd: "0.00986" } });
    const [call] = await store.listToolCalls(result.id);
    expect(call).toMatchObject({ callId: "ask", status: "finished", isError: true });
    expect(call!.output).toContain(`Agent "helper" (run ${child!.id}) exhausted its budget of $0.00986`);
    // The child's spend is the parent's: together they reached the parent's budget, so the parent stops too.
    expect(result.status).toBe("budget_exhausted");
    expect(result.error).toContain("$0.01 is spent ($0.01008)");
    leadModel.assertFinished();
    helperModel.assertFinished();
  });

  it("gives the parent an error result when the child run fails", async () => {
    const { workspace, store } = setup();
    const helperModel = new ScriptedModel([{ error: new Error("the helper's model is down") }]);
    const helper = new Agent({ name: "helper", model: helperModel, price, workspace });
    const leadModel = new ScriptedModel([
      { toolCalls: [{ name: "agent_helper", input: { task: "Help." }, id: "ask" }] },
      {
        text: "The helper failed.",
        expect: (options) => {
          const [received] = toolResultsIn(options);
          expect(received).toMatchObject({ toolCallId: "ask", isError: true });
          expect(received!.output).toMatch(/^Agent "helper" \(run run_\w+\) ended failed: /);
          expect(received!.output).toContain("the helper's model is down");
        },
      },
    ]);
    const lead = new Agent({ model: leadModel, price, tools: [helper.asTool()], workspace, store });
    const ended = await lead.run("Get help.");
    expect(ended).toMatchObject({ status: "succeeded", output: "The helper failed." });
    leadModel.assertFinished();
  });

  it("refuses an agent that calls itself further down the tree, and an agent without a name", async () => {
    const { workspace, store } = setup();
    const model = new ScriptedModel([
      { toolCalls: [{ name: "agent_loop", input: { task: "Again." }, id: "first" }] },
      { toolCalls: [{ name: "agent_loop", input: { task: "And again." }, id: "second" }] },
      {
        text: "Stopped.",
        expect: (options) =>
          expect(toolResultsIn(options)[0]!.output).toContain(
            'Agent "loop" is already running higher up this run tree',
          ),
      },
      { text: "Done." },
    ]);
    const options: AgentOptions<unknown> = { name: "loop", model, price, workspace, store };
    const agent = new Agent(options);
    options.tools = [agent.asTool()];
    expect(await agent.run("Loop.")).toMatchObject({ status: "succeeded", output: "Done." });
    model.assertFinished();
    expect(() => new Agent({ model, price }).asTool()).toThrow(/needs a name/);
  });
});
