import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { afterEach, describe, expect, it } from "vitest";
import { continueRun, executeRun, startRun } from "../../src/agent/index.ts";
import { carryOutPlanMessage, setRunMode } from "../../src/agent/run-mode.ts";
import { toolResultsIn } from "../../src/testing/index.ts";
import { scriptedHarness } from "../support/agent-harness.ts";

let harness: ReturnType<typeof scriptedHarness>;
afterEach(() => harness?.cleanup());

const offered = (options: LanguageModelV3CallOptions) => (options.tools ?? []).map((tool) => tool.name);
const systemText = (options: LanguageModelV3CallOptions) => {
  const first = options.prompt[0];
  return first?.role === "system" ? first.content : "";
};
const lastUserText = (options: LanguageModelV3CallOptions) => {
  const message = options.prompt.findLast((candidate) => candidate.role === "user");
  return message?.role === "user"
    ? message.content.map((part) => (part.type === "text" ? part.text : "")).join("")
    : "";
};

describe("plan mode", () => {
  it("offers no write or shell tool but PLAN.md's, refuses other writes the model makes anyway, and /go carries the plan out", async () => {
    const calls: LanguageModelV3CallOptions[] = [];
    const record = (options: LanguageModelV3CallOptions) => calls.push(structuredClone(options));
    harness = scriptedHarness([
      {
        toolCalls: [
          { name: "write_file", input: { path: "src/x.ts", content: "export {}" }, id: "source" },
          { name: "run_command", input: { command: "touch ran.txt" }, id: "shell" },
          { name: "write_file", input: { path: "PLAN.md", content: "1. create src/x.ts" }, id: "plan" },
          { name: "edit_file", input: { path: "./PLAN.md", old_text: "1.", new_text: "Step 1." }, id: "edit" },
        ],
        expect: record,
      },
      { text: "The plan is in PLAN.md.", expect: record },
      {
        toolCalls: [{ name: "write_file", input: { path: "src/x.ts", content: "export {}" }, id: "after-go" }],
        expect: record,
      },
      { text: "done", expect: record },
    ]);
    // `auto` would run every call without asking: only plan mode stands between the model and the workspace.
    const run = await startRun(harness.runtime, {
      task: "add src/x.ts",
      model: "scripted",
      workspace: harness.workspace,
      approval: "auto",
      mode: "plan",
    });
    expect((await executeRun(harness.runtime, run.id)).output).toBe("The plan is in PLAN.md.");

    expect(offered(calls[0]!)).not.toContain("run_command");
    expect(offered(calls[0]!)).toEqual([
      "read_file",
      "write_file",
      "edit_file",
      "list_files",
      "search_files",
      // Reading a background job's output changes nothing, so planning may look at a server the run started.
      "job_output",
      "fetch_url",
    ]);
    expect(systemText(calls[0]!)).toContain("# Plan mode");
    const results = toolResultsIn(calls[1]!);
    expect(results.map((result) => [result.toolCallId, result.isError])).toEqual([
      ["source", true],
      ["shell", true],
      ["plan", false],
      ["edit", false],
    ]);
    expect(results[0]!.output).toContain("Refused: this run is in plan mode, where write_file may not run");
    expect(results[1]!.output).toContain("plan mode, where run_command may not run");
    expect(existsSync(path.join(harness.workspace, "src", "x.ts"))).toBe(false);
    expect(existsSync(path.join(harness.workspace, "ran.txt"))).toBe(false);
    expect(readFileSync(path.join(harness.workspace, "PLAN.md"), "utf8")).toBe("Step 1. create src/x.ts");

    // What chat's /go does: normal mode, then a message carrying the plan.
    await setRunMode(harness.runtime, run.id, "normal");
    const message = carryOutPlanMessage(harness.workspace);
    expect(message).toContain("Carry out the plan in PLAN.md:\n\nStep 1. create src/x.ts");
    expect((await continueRun(harness.runtime, run.id, message)).output).toBe("done");
    expect(offered(calls[2]!)).toContain("run_command");
    expect(systemText(calls[2]!)).not.toContain("# Plan mode");
    expect(lastUserText(calls[2]!)).toContain("Step 1. create src/x.ts");
    expect(readFileSync(path.join(harness.workspace, "src", "x.ts"), "utf8")).toBe("export {}");
    const stored = await harness.store.getRun(run.id);
    expect(stored?.settings.mode).toBe("normal");
    const modeEvents = (await harness.store.listEvents(run.id)).filter((event) => event.type === "mode");
    expect(modeEvents.map((event) => event.data)).toEqual([{ type: "mode", mode: "normal" }]);
  });

  it("refuses a write through a PLAN.md that is a link to another file", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "write_file", input: { path: "PLAN.md", content: "overwritten" } }] },
      { text: "tried" },
    ]);
    writeFileSync(path.join(harness.workspace, "real.ts"), "original");
    symlinkSync("real.ts", path.join(harness.workspace, "PLAN.md"));
    const run = await startRun(harness.runtime, {
      task: "t",
      model: "scripted",
      workspace: harness.workspace,
      mode: "plan",
    });
    await executeRun(harness.runtime, run.id);
    expect(readFileSync(path.join(harness.workspace, "real.ts"), "utf8")).toBe("original");
    const [call] = await harness.store.listToolCalls(run.id);
    expect(call).toMatchObject({ isError: true });
    expect(call!.output).toContain("plan mode");
  });
});
