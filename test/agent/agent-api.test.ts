import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { Agent, defineTool, type RunEvent, SqliteStore, StructuredOutputError } from "../../src/index.ts";
import { ScriptedModel, toolResultsIn } from "../../src/testing/index.ts";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function folders() {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-agent-api-"));
  const workspace = path.join(folder, "workspace");
  mkdirSync(workspace);
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  return { folder, workspace, database: path.join(folder, "runs.db") };
}

const weather = defineTool({
  name: "get_weather",
  description: "The weather in a city today.",
  inputSchema: z.object({ city: z.string() }),
  readOnly: true,
  needsApproval: false,
  execute: async (input) => `${input.city}: 21°C, sunny`,
});

// Dollars per 1M tokens; the scripted model reports 100 input (all misses) and 20 output tokens per call.
const price = { effectiveFrom: "2025-01-01", inputCacheHit: "0.1", inputCacheMiss: "1", output: "2" };

function agentWith(model: ScriptedModel, options: { output?: z.ZodType } = {}) {
  const { workspace, database } = folders();
  const store = new SqliteStore(database);
  cleanups.push(() => store.close());
  const agent = new Agent({
    model,
    price,
    instructions: "Be brief.",
    tools: [weather],
    workspace,
    store,
    budgetUsd: "0.01",
    maxSteps: 5,
    approval: "auto",
    output: options.output,
  });
  return { agent, store, database };
}

describe("Agent", () => {
  it("runs a task with a custom tool and returns id, status, output, cost, usage and steps", async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: "get_weather", input: { city: "Hangzhou" }, id: "weather" }] },
      {
        text: "Sunny, 21°C.",
        expect: (options) =>
          expect(toolResultsIn(options)).toEqual([
            { toolCallId: "weather", toolName: "get_weather", output: "Hangzhou: 21°C, sunny", isError: false },
          ]),
      },
    ]);
    const { agent, database } = agentWith(model);
    const result = await agent.run("What is the weather in Hangzhou?");
    expect(result).toMatchObject({ status: "succeeded", output: "Sunny, 21°C.", steps: 2, costUsd: "0.00028" });
    expect(result.usage).toMatchObject({ inputTokens: 200, outputTokens: 40 });
    expect(result.parsed).toBeUndefined();
    // Only the agent's own tool is offered, and the instructions reach the system prompt.
    expect(model.calls[0]!.tools?.map((tool) => tool.name)).toEqual(["get_weather"]);
    expect(JSON.stringify(model.calls[0]!.prompt[0])).toContain("Be brief.");
    model.assertFinished();
    const reopened = new SqliteStore(database);
    cleanups.push(() => reopened.close());
    expect(await reopened.getRun(result.id)).toMatchObject({ status: "succeeded", stepCount: 2 });
  });

  it("streams the run's events as they happen, ending after `finished`", async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: "get_weather", input: { city: "Xi'an" } }] },
      { text: "Warm." },
    ]);
    const { agent } = agentWith(model);
    const stream = agent.stream("weather in Xi'an?");
    const events: RunEvent[] = [];
    for await (const event of stream) events.push(event);
    const types = events.map((event) => event.type);
    expect(types.at(-1)).toBe("finished");
    expect(types).toEqual(expect.arrayContaining(["step-started", "tool-call", "tool-result", "text-delta", "usage"]));
    expect(types.indexOf("tool-call")).toBeLessThan(types.indexOf("tool-result"));
    expect(events.at(-1)).toMatchObject({ type: "finished", status: "succeeded", output: "Warm." });
    expect(await stream.result).toMatchObject({ status: "succeeded", output: "Warm.", steps: 2 });
  });

  it("offers built-in tools named in `tools` beside its own, in the fixed order", async () => {
    const model = new ScriptedModel([
      {
        text: "none needed",
        expect: (options) =>
          expect(options.tools?.map((tool) => tool.name)).toEqual(["read_file", "list_files", "get_weather"]),
      },
    ]);
    const { workspace } = folders();
    const agent = new Agent({ model, tools: [weather, "list_files", "read_file"], workspace, memory: true });
    expect(await agent.run("look around")).toMatchObject({ status: "succeeded" });
    agent.close();
    model.assertFinished();
  });

  it("keeps runs in $TANSUO_HOME/tansuo.db by default, and in memory when asked", async () => {
    const { folder, workspace } = folders();
    const home = path.join(folder, "home");
    const previous = process.env.TANSUO_HOME;
    process.env.TANSUO_HOME = home;
    cleanups.push(() => {
      if (previous === undefined) delete process.env.TANSUO_HOME;
      else process.env.TANSUO_HOME = previous;
    });
    const durable = new Agent({ model: new ScriptedModel([{ text: "kept" }]), workspace });
    const kept = await durable.run("say kept");
    durable.close();
    const store = new SqliteStore(path.join(home, "tansuo.db"));
    cleanups.push(() => store.close());
    expect(await store.getRun(kept.id)).toMatchObject({ status: "succeeded", output: "kept" });

    const inMemory = new Agent({ model: new ScriptedModel([{ text: "gone" }]), workspace, memory: true });
    const gone = await inMemory.run("say gone");
    expect(gone).toMatchObject({ status: "succeeded", output: "gone" });
    expect(await store.getRun(gone.id)).toBeUndefined();
    inMemory.close();
  });

  it("stops at a call that needs approval; `approve` answers it and continues", async () => {
    const { workspace, database } = folders();
    const store = new SqliteStore(database);
    cleanups.push(() => store.close());
    const launched: string[] = [];
    const launch = defineTool({
      name: "launch",
      description: "Launches a rocket.",
      inputSchema: z.object({ target: z.string() }),
      readOnly: false,
      needsApproval: true,
      execute: async (input) => {
        launched.push(input.target);
        return "launched";
      },
    });
    const model = new ScriptedModel([
      { toolCalls: [{ name: "launch", input: { target: "moon" }, id: "launch" }] },
      { text: "Launched." },
    ]);
    const agent = new Agent({ model, tools: [launch], workspace, store, approval: "ask" });
    const paused = await agent.run("launch to the moon");
    expect(paused.status).toBe("awaiting_approval");
    expect(launched).toEqual([]);
    expect(await agent.approve(paused.id, { approve: true })).toMatchObject({
      status: "succeeded",
      output: "Launched.",
    });
    expect(launched).toEqual(["moon"]);
    model.assertFinished();
  });
});

describe("Agent structured output", () => {
  const forecast = z.object({ city: z.string(), celsius: z.number() });

  it("asks for JSON matching the schema in the instructions and returns the parsed answer", async () => {
    const model = new ScriptedModel([
      {
        text: '```json\n{"city":"Hangzhou","celsius":21}\n```',
        expect: (options) => {
          const system = JSON.stringify(options.prompt[0]);
          expect(system).toContain("one JSON object");
          expect(system).toContain('\\"celsius\\":{\\"type\\":\\"number\\"}');
        },
      },
    ]);
    const { agent } = agentWith(model, { output: forecast });
    const result = await agent.run("forecast for Hangzhou");
    expect(result.status).toBe("succeeded");
    expect(result.parsed).toEqual({ city: "Hangzhou", celsius: 21 });
    model.assertFinished();
  });

  it("sends one repair turn with the validation errors, and accepts the repaired answer", async () => {
    const model = new ScriptedModel([
      { text: '{"city":"Hangzhou","celsius":"warm"}' },
      {
        text: '{"city":"Hangzhou","celsius":24}',
        expect: (options) => {
          const last = options.prompt.at(-1)!;
          expect(last.role).toBe("user");
          const text = JSON.stringify(last.content);
          expect(text).toContain("does not match the required output");
          expect(text).toContain("celsius:");
          expect(options.prompt.at(-2)!.role).toBe("assistant");
        },
      },
    ]);
    const { agent } = agentWith(model, { output: forecast });
    const result = await agent.run("forecast");
    expect(result).toMatchObject({ status: "succeeded", steps: 2, parsed: { city: "Hangzhou", celsius: 24 } });
    model.assertFinished();
  });

  it("fails with a StructuredOutputError after the repair turn, and a resume does not ask a third time", async () => {
    const model = new ScriptedModel([{ text: "It is warm." }, { text: '{"city":"Hangzhou"}' }]);
    const { agent, store } = agentWith(model, { output: forecast });
    const failure = await agent.run("forecast").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StructuredOutputError);
    const error = failure as StructuredOutputError;
    expect(error.message).toContain("did not match the output schema after 1 repair turn(s)");
    expect(error.message).toContain("celsius:");
    expect(error.output).toBe('{"city":"Hangzhou"}');
    expect(await store.getRun(error.runId)).toMatchObject({ status: "failed", stepCount: 2 });
    // The script is used up: a third model call would fail the ScriptedModel, not end in the same error.
    await expect(agent.resume(error.runId)).rejects.toThrow(StructuredOutputError);
    model.assertFinished();
  });

  it("rebuilds the repair turn when a run is resumed after a crash during the repair call", async () => {
    const first = new ScriptedModel([{ text: "not json" }]);
    const { workspace, database } = folders();
    const store = new SqliteStore(database);
    cleanups.push(() => store.close());
    const options = { price, workspace, store, approval: "auto" as const, output: forecast };
    // The first agent's script ends after the bad answer: its repair call fails, as a crash mid-call would.
    const crashed = await new Agent({ ...options, model: first }).run("forecast");
    expect(crashed.status).toBe("failed");
    const second = new ScriptedModel([
      {
        text: '{"city":"Xi\'an","celsius":30}',
        expect: (call) => {
          const roles = call.prompt.map((message) => message.role);
          expect(roles).toEqual(["system", "user", "assistant", "user"]);
          expect(JSON.stringify(call.prompt.at(-1))).toContain("not valid JSON");
        },
      },
    ]);
    const resumed = await new Agent({ ...options, model: second }).resume(crashed.id);
    expect(resumed).toMatchObject({ status: "succeeded", parsed: { city: "Xi'an", celsius: 30 } });
    second.assertFinished();
  });
});
