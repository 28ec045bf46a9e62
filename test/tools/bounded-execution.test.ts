import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { invokeTool } from "../../src/tools/invoke-tool.ts";
import { defaultToolPolicy, defineTool, type ToolContext } from "../../src/tools/tool.ts";
import { Workspace } from "../../src/tools/workspace.ts";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function context(signal: AbortSignal): ToolContext {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-bounded-"));
  folders.push(folder);
  return { workspace: new Workspace(folder), signal, policy: defaultToolPolicy(), warn: () => {} };
}

// A tool that ignores its abort signal and never returns, as a blocked read of a FIFO would.
const hangingTool = (timeoutMilliseconds?: number) =>
  defineTool({
    name: "hang",
    description: "never returns",
    inputSchema: z.object({}),
    needsApproval: false,
    readOnly: true,
    timeoutMilliseconds,
    execute: () => new Promise<string>(() => {}),
  });

describe("a tool call bounded by the run's signal and its time limit", () => {
  it("ends soon after the run is cancelled, even when the tool ignores its signal", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = invokeTool(hangingTool(), "{}", context(controller.signal));
    setTimeout(() => controller.abort(new Error("the run was cancelled")), 50);
    const outcome = await pending;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcome).toEqual({
      isError: true,
      output: "hang was stopped before it finished: the run was cancelled. Its effects may be partial.",
    });
  });

  it("ends at its time limit, and the tool sees its signal abort", async () => {
    let sawAbort = false;
    const tool = defineTool({
      name: "slow",
      description: "waits for its signal",
      inputSchema: z.object({}),
      needsApproval: false,
      readOnly: true,
      timeoutMilliseconds: 100,
      execute: (_input, { signal }) =>
        new Promise<string>((resolve) => {
          signal.addEventListener("abort", () => {
            sawAbort = true;
            resolve("partial result");
          });
        }),
    });
    const outcome = await invokeTool(tool, "{}", context(new AbortController().signal));
    expect(sawAbort).toBe(true);
    expect(outcome.isError).toBe(true);
    expect(outcome.output).toMatch(/^slow was stopped before it finished: it ran longer than its limit of 100 ms/);
    expect(outcome.output).toContain("What it returned when stopped:\npartial result");
  });

  it("is not started at all once the run was stopped", async () => {
    let ran = false;
    const tool = defineTool({
      name: "effect",
      description: "would change something",
      inputSchema: z.object({}),
      needsApproval: false,
      readOnly: false,
      execute: async () => {
        ran = true;
        return "changed";
      },
    });
    const controller = new AbortController();
    controller.abort(new Error("the run was cancelled"));
    const outcome = await invokeTool(tool, "{}", context(controller.signal));
    expect(ran).toBe(false);
    expect(outcome).toEqual({ isError: true, output: "effect was not started: the run was cancelled." });
  });

  it("ends at its time limit when the tool ignores its signal too", async () => {
    const outcome = await invokeTool(hangingTool(50), "{}", context(new AbortController().signal));
    expect(outcome).toEqual({
      isError: true,
      output: "hang was stopped before it finished: it ran longer than its limit of 50 ms. Its effects may be partial.",
    });
  });
});
