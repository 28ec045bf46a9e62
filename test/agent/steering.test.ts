import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { continueRun, createRuntime, executeRun, startRun } from "../../src/agent/index.ts";
import { steerRun } from "../../src/agent/steering.ts";
import { defineTool } from "../../src/tools/tool.ts";
import { scriptedHarness } from "../support/agent-harness.ts";

let harness: ReturnType<typeof scriptedHarness>;
afterEach(() => harness?.cleanup());

/** A tool that waits until the test lets it finish (or the run is interrupted). */
function gatedTool() {
  let calls = 0;
  let markStarted = () => {};
  let release = () => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tool = defineTool({
    name: "slow_build",
    description: "Builds slowly.",
    inputSchema: z.object({}),
    needsApproval: false,
    readOnly: false,
    idempotent: true,
    execute: async (_input, context) => {
      calls += 1;
      if (calls > 1) return "built (again)";
      markStarted();
      await Promise.race([
        released,
        new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true })),
      ]);
      return "built";
    },
  });
  return { tool, started, release };
}

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;
const runtimeWith = (tool: ReturnType<typeof gatedTool>["tool"]) =>
  createRuntime({ store: harness.store, resolveModel: harness.runtime.resolveModel, tools: [tool] });

describe("steering a running turn", () => {
  it("delivers a message stored while a tool runs right after that tool's result, before the next call", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "slow_build", input: {} }] },
      {
        text: "built with tabs",
        expect: (options) => {
          expect(options.prompt.at(-2)?.role).toBe("tool");
          expect(options.prompt.at(-1)).toEqual({ role: "user", content: [{ type: "text", text: "use tabs" }] });
        },
      },
    ]);
    const gated = gatedTool();
    const runtime = runtimeWith(gated.tool);
    const run = await startRun(runtime, { task: "build it", model: "scripted", workspace: harness.workspace });
    const finished = executeRun(runtime, run.id);
    await gated.started;
    await steerRun(runtime, run.id, "use tabs");
    gated.release();
    expect((await finished).status).toBe("succeeded");
    expect(await harness.store.listRunMessages(run.id)).toMatchObject([{ afterStep: 1, content: "use tabs" }]);
    harness.model.assertFinished();
  });

  it("a message stored before an interruption is delivered on resume, once, and stays in place afterwards", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "slow_build", input: {} }] },
      {
        text: "built with tabs",
        expect: (options) => {
          expect(options.prompt.at(-1)).toEqual({ role: "user", content: [{ type: "text", text: "use tabs" }] });
          expect(occurrences(JSON.stringify(options.prompt), "use tabs")).toBe(1);
        },
      },
      {
        text: "yes",
        expect: (options) => {
          const prompt = JSON.stringify(options.prompt);
          expect(occurrences(prompt, "use tabs")).toBe(1);
          // Rebuilt from the store: the steering message sits between the tool result and the answer it changed.
          expect(prompt.indexOf("use tabs")).toBeLessThan(prompt.indexOf("built with tabs"));
          expect(prompt.indexOf('"tool"')).toBeLessThan(prompt.indexOf("use tabs"));
        },
      },
    ]);
    const gated = gatedTool();
    const runtime = runtimeWith(gated.tool);
    const run = await startRun(runtime, { task: "build it", model: "scripted", workspace: harness.workspace });
    const interrupt = new AbortController();
    const first = executeRun(runtime, run.id, { signal: interrupt.signal });
    await gated.started;
    await steerRun(runtime, run.id, "use tabs");
    interrupt.abort(new Error("interrupted"));
    expect((await first).status).toBe("failed");
    expect((await harness.store.listPendingRunMessages(run.id)).map((message) => message.content)).toEqual([
      "use tabs",
    ]);
    expect((await executeRun(runtime, run.id)).status).toBe("succeeded");
    expect(await harness.store.listPendingRunMessages(run.id)).toEqual([]);
    expect((await continueRun(runtime, run.id, "tabs everywhere?")).output).toBe("yes");
    expect((await harness.store.listRunMessages(run.id)).map((message) => message.content)).toEqual([
      "use tabs",
      "tabs everywhere?",
    ]);
    harness.model.assertFinished();
  });
});
