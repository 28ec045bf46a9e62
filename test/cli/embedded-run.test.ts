import { mkdirSync, rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, runCli, tinyModelPath } from "../support/cli-process.ts";

let sandbox: ReturnType<typeof cliSandbox>;
afterEach(() => rmSync(sandbox.folder, { recursive: true, force: true }));

describe("tansuo run with the embedded llama.cpp model", () => {
  it("runs on the tiny GGUF with --tool-choice required through Qwen's wrapper: native <tool_call> calls parse, validate and run, and the run ends within its step limit", async () => {
    sandbox = cliSandbox();
    mkdirSync(sandbox.workspace, { recursive: true });
    const env = {
      TANSUO_HOME: sandbox.home,
      TANSUO_THREADS: "1",
      TANSUO_CONTEXT_SIZE: "2048",
      TANSUO_CHAT_WRAPPER: "qwen",
    };
    const result = await runCli(
      [
        "run",
        "--model",
        tinyModelPath,
        "--tools",
        "list_files",
        "--tool-choice",
        "required",
        "--max-steps",
        "3",
        "--json",
        "list the files",
      ],
      {
        env,
        cwd: sandbox.workspace,
      },
    );
    const json = JSON.parse(result.stdout);
    // Random weights: the run either finishes through `finish` or stops at the step limit; it never crashes.
    expect(["succeeded", "failed"]).toContain(json.status);
    if (json.status === "failed") expect(json.error).toMatch(/step limit \(3\)/);
    expect(json.steps).toBeGreaterThan(0);
    expect(json.steps).toBeLessThanOrEqual(3);
    expect(json.costUsd).toBe("0");
    expect(json.usage.inputTokens).toBeGreaterThan(0);

    const transcript = JSON.parse(
      (await runCli(["runs", "show", json.id, "--json"], { env, cwd: sandbox.workspace })).stdout,
    );
    const calls = transcript.steps.flatMap((step: { toolCalls: unknown[] }) => step.toolCalls);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(["list_files", "finish"]).toContain(call.toolName);
      expect(() => JSON.parse(call.input)).not.toThrow();
      // Validated by the tool's own schema before running: no "Invalid arguments" comes back.
      expect(call.status).toBe("finished");
      expect(call.isError).toBe(false);
    }
  });

  it("defaults to --tool-choice auto on a local model: no finish tool is offered, and a text answer can end the run", async () => {
    sandbox = cliSandbox();
    mkdirSync(sandbox.workspace, { recursive: true });
    const env = { TANSUO_HOME: sandbox.home, TANSUO_THREADS: "1", TANSUO_CONTEXT_SIZE: "2048" };
    const result = await runCli(
      ["run", "--model", tinyModelPath, "--tools", "list_files", "--max-steps", "2", "--json", "say hello"],
      { env, cwd: sandbox.workspace },
    );
    const json = JSON.parse(result.stdout);
    expect(["succeeded", "failed"]).toContain(json.status);
    if (json.status === "failed") expect(json.error).toMatch(/step limit \(2\)/);
    const transcript = JSON.parse(
      (await runCli(["runs", "show", json.id, "--json"], { env, cwd: sandbox.workspace })).stdout,
    );
    const calls = transcript.steps.flatMap((step: { toolCalls: { toolName: string }[] }) => step.toolCalls);
    for (const call of calls) expect(call.toolName).toBe("list_files");
  });
});
