import { appendFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  approveRun,
  createRuntime,
  executeRun,
  type RunEvent,
  RunStateError,
  startRun,
} from "../../src/agent/index.ts";
import { toolResultsIn } from "../../src/testing/index.ts";
import { builtinTools } from "../../src/tools/builtin-tools.ts";
import { defineTool } from "../../src/tools/tool.ts";
import { ToolRegistryError } from "../../src/tools/tool-registry-errors.ts";
import { scriptedHarness } from "../support/agent-harness.ts";

let harness: ReturnType<typeof scriptedHarness>;
afterEach(() => harness?.cleanup());

const deployTool = (log: string[]) =>
  defineTool({
    name: "deploy",
    description: "Deploys the given service.",
    inputSchema: z.object({ service: z.string(), replicas: z.number().int().positive() }),
    readOnly: false,
    needsApproval: true,
    async execute(input) {
      log.push(`${input.service}x${input.replicas}`);
      return `deployed ${input.service} with ${input.replicas} replicas`;
    },
  });

const failingTool = defineTool({
  name: "flaky_lookup",
  description: "Looks a word up; fails today.",
  inputSchema: z.object({ word: z.string() }),
  readOnly: true,
  needsApproval: false,
  async execute() {
    throw new Error("the dictionary service is down");
  },
});

/** A runtime over the harness's store and scripted model, with the given user tools. */
const runtimeWith = (tools: Parameters<typeof createRuntime>[0]["tools"], secrets: string[] = []) =>
  createRuntime({
    store: harness.store,
    resolveModel: harness.runtime.resolveModel,
    tools,
    toolPolicy: { secrets },
  });

describe("a user's tool in a run", () => {
  it("is offered after the built-ins, waits for approval, runs once approved, and sends events", async () => {
    const log: string[] = [];
    harness = scriptedHarness([
      {
        toolCalls: [{ name: "deploy", input: { service: "api", replicas: 2 }, id: "deploy-1" }],
        expect: (options) => {
          const names = (options.tools ?? []).map((tool) => tool.name);
          expect(names).toEqual([
            "read_file",
            "write_file",
            "edit_file",
            "list_files",
            "search_files",
            "run_command",
            "job_output",
            "job_stop",
            "fetch_url",
            "deploy",
            "flaky_lookup",
          ]);
        },
      },
      {
        text: "Deployed.",
        expect: (options) =>
          expect(toolResultsIn(options)).toEqual([
            { toolCallId: "deploy-1", toolName: "deploy", output: "deployed api with 2 replicas", isError: false },
          ]),
      },
    ]);
    const runtime = runtimeWith([deployTool(log), failingTool]);
    const run = await startRun(runtime, {
      task: "deploy the api",
      model: "scripted",
      workspace: harness.workspace,
      approval: "ask",
    });
    expect(run.settings.tools).toContain("deploy");
    const events: RunEvent[] = [];
    const paused = await executeRun(runtime, run.id, { onEvent: (event) => events.push(event) });
    expect(paused.status).toBe("awaiting_approval");
    expect(log).toEqual([]);
    expect(events.find((event) => event.type === "tool-call")).toMatchObject({
      callId: "deploy-1",
      toolName: "deploy",
      input: '{"service":"api","replicas":2}',
    });
    expect(events.find((event) => event.type === "approval-required")).toMatchObject({
      calls: [{ callId: "deploy-1", toolName: "deploy", interrupted: false }],
    });

    await approveRun(runtime, run.id, { approve: true });
    const finished = await executeRun(runtime, run.id, { onEvent: (event) => events.push(event) });
    expect(finished).toMatchObject({ status: "succeeded", output: "Deployed." });
    expect(log).toEqual(["apix2"]);
    expect(events.find((event) => event.type === "tool-result")).toMatchObject({
      callId: "deploy-1",
      toolName: "deploy",
      output: "deployed api with 2 replicas",
      isError: false,
    });
    const [call] = await harness.store.listToolCalls(run.id);
    expect(call).toMatchObject({ toolName: "deploy", status: "finished", isError: false });
    expect(call!.startedAt).toBeTruthy();
    harness.model.assertFinished();
  });

  it("sends bad input and a thrown error back to the model as tool results it can act on", async () => {
    const log: string[] = [];
    harness = scriptedHarness([
      {
        toolCalls: [
          { name: "deploy", input: { service: "api", replicas: "two" }, id: "bad-input" },
          { name: "flaky_lookup", input: { word: "tansuo" }, id: "throws" },
          { name: "deploy", input: "{not json", id: "not-json" },
        ],
      },
      {
        text: "Could not do it.",
        expect: (options) => {
          const results = toolResultsIn(options);
          expect(results.map((result) => [result.toolCallId, result.isError])).toEqual([
            ["bad-input", true],
            ["throws", true],
            ["not-json", true],
          ]);
          expect(results[0]!.output).toContain("Invalid arguments for deploy: replicas:");
          expect(results[0]!.output).toContain("Rewrite the input");
          expect(results[1]!.output).toBe("flaky_lookup failed: the dictionary service is down");
          expect(results[2]!.output).toContain("not valid JSON");
        },
      },
    ]);
    const runtime = runtimeWith([deployTool(log), failingTool]);
    const run = await startRun(runtime, {
      task: "deploy",
      model: "scripted",
      workspace: harness.workspace,
      approval: "auto",
    });
    const finished = await executeRun(runtime, run.id);
    expect(finished).toMatchObject({ status: "succeeded", output: "Could not do it." });
    expect(log).toEqual([]);
    harness.model.assertFinished();
  });

  it("has its output redacted and truncated like a built-in's", async () => {
    const secret = "sk-user-tool-secret-123456";
    harness = scriptedHarness([
      { toolCalls: [{ name: "dump", input: {}, id: "dump" }] },
      {
        text: "ok",
        expect: (options) => {
          const [result] = toolResultsIn(options);
          expect(result!.output).not.toContain(secret);
          expect(result!.output.startsWith("token=")).toBe(true);
          expect(result!.output.length).toBeLessThan(25_000);
        },
      },
    ]);
    const dump = defineTool({
      name: "dump",
      description: "Dumps the environment.",
      inputSchema: z.object({}),
      readOnly: true,
      needsApproval: false,
      execute: async () => `token=${secret}\n${"x".repeat(100_000)}`,
    });
    const runtime = runtimeWith([dump], [secret]);
    const run = await startRun(runtime, {
      task: "dump",
      model: "scripted",
      workspace: harness.workspace,
      tools: ["dump"],
    });
    expect((await executeRun(runtime, run.id)).status).toBe("succeeded");
    const [call] = await harness.store.listToolCalls(run.id);
    expect(call!.output).not.toContain(secret);
    harness.model.assertFinished();
  });

  it("is the only tool offered when the run's tools name only it", async () => {
    harness = scriptedHarness([
      {
        text: "nothing to do",
        expect: (options) => expect(options.tools?.map((tool) => tool.name)).toEqual(["deploy"]),
      },
    ]);
    const runtime = runtimeWith([deployTool([])]);
    const run = await startRun(runtime, {
      task: "t",
      model: "scripted",
      workspace: harness.workspace,
      tools: ["deploy"],
    });
    expect(run.settings.tools).toEqual(["deploy"]);
    expect((await executeRun(runtime, run.id)).status).toBe("succeeded");
  });
});

describe("a user's tool call that a crash interrupted", () => {
  const counter = (idempotent: boolean, runs: string[]) =>
    defineTool({
      name: "set_flag",
      description: "Sets a flag.",
      inputSchema: z.object({}),
      readOnly: false,
      needsApproval: false,
      idempotent,
      execute: async () => {
        runs.push("ran");
        return "set";
      },
    });

  /** Commits the first step, then marks its call started and never finished, as a kill mid-call leaves it. */
  async function interrupt(runtime: ReturnType<typeof runtimeWith>) {
    const run = await startRun(runtime, {
      task: "t",
      model: "scripted",
      workspace: harness.workspace,
      approval: "ask",
    });
    expect((await executeRun(runtime, run.id)).status).toBe("awaiting_approval");
    const [call] = await harness.store.listToolCalls(run.id);
    await harness.store.updateToolCall(run.id, call!.callId, {
      status: "started",
      startedAt: new Date().toISOString(),
    });
    await harness.store.updateRunSettings(run.id, { ...run.settings, approval: "auto" });
    await harness.store.setRunStatus(run.id, "running");
    return run;
  }

  it("waits for a person under --approval auto unless the tool declares itself idempotent", async () => {
    const runs: string[] = [];
    harness = scriptedHarness([{ toolCalls: [{ name: "set_flag", input: {} }] }]);
    const runtime = runtimeWith([defineTool({ ...counter(false, runs), needsApproval: true })]);
    const run = await interrupt(runtime);
    expect((await executeRun(runtime, run.id)).status).toBe("awaiting_approval");
    expect(runs).toEqual([]);
    harness.model.assertFinished();
  });

  it("re-runs by itself when the tool is idempotent", async () => {
    const runs: string[] = [];
    harness = scriptedHarness([{ toolCalls: [{ name: "set_flag", input: {} }] }, { text: "done" }]);
    const runtime = runtimeWith([defineTool({ ...counter(true, runs), needsApproval: true })]);
    const run = await interrupt(runtime);
    expect((await executeRun(runtime, run.id)).status).toBe("succeeded");
    expect(runs).toEqual(["ran"]);
    harness.model.assertFinished();
  });
});

describe("registering tools", () => {
  it("refuses a tool named like a built-in, two tools of one name, and an unknown name in a run's tools", async () => {
    harness = scriptedHarness([]);
    const shadow = defineTool({ ...deployTool([]), name: "read_file" });
    expect(() => runtimeWith([shadow])).toThrow(ToolRegistryError);
    expect(() => runtimeWith([shadow])).toThrow(/"read_file" has the name of a built-in tool/);
    expect(() => runtimeWith([deployTool([]), deployTool([])])).toThrow(/Two of your tools are named "deploy"/);
    expect(() => runtimeWith([defineTool({ ...deployTool([]), name: "finish" })])).toThrow(/built-in tool/);
    expect(() => runtimeWith([defineTool({ ...deployTool([]), name: "has space" })])).toThrow(/needs a name/);
    await expect(
      startRun(runtimeWith([deployTool([])]), {
        task: "t",
        model: "scripted",
        workspace: harness.workspace,
        tools: ["deploy", "launch_rocket"],
      }),
    ).rejects.toThrow(
      /Unknown tool\(s\): launch_rocket\. Available tools: .*run_command, job_output, job_stop, use_skill, fetch_url, deploy\./,
    );
    // The built-ins keep their fixed order without user tools; fetch_url follows them (web_search needs a backend).
    expect(runtimeWith([]).tools.names).toEqual([...builtinTools.map((tool) => tool.name), "fetch_url"]);
  });
});

describe("resuming a run whose runtime lacks one of its tools", () => {
  it("is a clear error naming the tool; the run stays as it was and resumes once the tool is back", async () => {
    const sideEffect = () => path.join(harness.workspace, "side-effect.txt");
    const appendLine = defineTool({
      name: "append_line",
      description: "Appends a line to side-effect.txt.",
      inputSchema: z.object({ text: z.string() }),
      readOnly: false,
      needsApproval: true,
      async execute(input) {
        appendFileSync(sideEffect(), `${input.text}\n`);
        return "appended";
      },
    });
    harness = scriptedHarness([
      { toolCalls: [{ name: "append_line", input: { text: "one" }, id: "append" }] },
      { text: "Appended." },
    ]);
    const withTool = runtimeWith([appendLine]);
    const run = await startRun(withTool, {
      task: "append",
      model: "scripted",
      workspace: harness.workspace,
      approval: "ask",
    });
    expect((await executeRun(withTool, run.id)).status).toBe("awaiting_approval");
    await approveRun(withTool, run.id, { approve: true });

    const withoutTool = runtimeWith([]);
    const attempt = executeRun(withoutTool, run.id);
    await expect(attempt).rejects.toThrow(RunStateError);
    await expect(executeRun(withoutTool, run.id)).rejects.toThrow(
      /uses the tool\(s\) "append_line", which this runtime/,
    );
    expect(await harness.store.getRun(run.id)).toMatchObject({ status: "queued", stepCount: 1 });
    expect(await harness.store.leaseOf(run.id)).toBeUndefined();

    expect(await executeRun(runtimeWith([appendLine]), run.id)).toMatchObject({ status: "succeeded" });
    expect(readFileSync(sideEffect(), "utf8")).toBe("one\n");
    harness.model.assertFinished();
  });
});
