import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, runCli } from "../support/cli-process.ts";
import { startDeepSeekServer } from "../support/deepseek-server/index.ts";
import type { ScriptedCompletion } from "../support/deepseek-server/types.ts";

const apiKey = "sk-escalation-000777";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type WireMessage = {
  role: string;
  reasoning_content?: unknown;
  tool_calls?: { id: string }[];
  tool_call_id?: string;
};

const readFile = (file: string, reasoning?: string): ScriptedCompletion => ({
  ...(reasoning ? { reasoningContent: reasoning } : {}),
  toolCalls: [{ name: "read_file", arguments: { path: file } }],
});

describe("--models on the DeepSeek-format server", () => {
  it("climbs flash off → flash on → pro off → pro on mid tool loop, comes back down, and no request is refused", async () => {
    const server = await startDeepSeekServer({
      apiKey,
      rules: { reasoningContent: "v3.2-requires-on-tool-turns" },
      script: [
        readFile("missing-1.txt"),
        readFile("missing-2.txt"),
        readFile("missing-3.txt", "flash thinks: try another name"),
        readFile("missing-4.txt", "flash thinks again"),
        readFile("missing-5.txt"),
        readFile("missing-6.txt"),
        readFile("notes.txt", "pro thinks: the file is notes.txt"),
        { content: "The notes say: ship it." },
      ],
    });
    const sandbox = cliSandbox();
    mkdirSync(sandbox.workspace, { recursive: true });
    writeFileSync(path.join(sandbox.workspace, "notes.txt"), "ship it\n");
    cleanups.push(
      () => server.close(),
      () => rmSync(sandbox.folder, { recursive: true, force: true }),
    );
    const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: apiKey, TANSUO_RETRY_SCALE: "0.01" };
    const ladder = "deepseek-v4-flash,deepseek-v4-pro";
    const base = ["--base-url", server.url, "--tools", "read_file", "--approval", "auto", "--json"];
    const result = await runCli(["run", "--models", ladder, ...base, "read the notes"], {
      env,
      cwd: sandbox.workspace,
    });
    // The live view tells each switch as it happens.
    expect(result.stderr).toContain(
      "⇅ deepseek-v4-flash (thinking off) → deepseek-v4-flash (thinking on): 2 tool errors in a row",
    );
    expect(result.exitCode).toBe(0);
    const finished = JSON.parse(result.stdout) as { id: string; status: string; output: string };
    expect(finished).toMatchObject({ status: "succeeded", output: "The notes say: ship it." });

    const bodies = server.requests.map((request) => request.body as Record<string, unknown>);
    expect(server.requests.map((request) => request.status)).toEqual(Array(8).fill(200));
    expect(bodies.map((body) => `${body.model}:${(body.thinking as { type: string }).type}`)).toEqual([
      "deepseek-v4-flash:disabled",
      "deepseek-v4-flash:disabled",
      "deepseek-v4-flash:enabled",
      "deepseek-v4-flash:enabled",
      "deepseek-v4-pro:disabled",
      "deepseek-v4-pro:disabled",
      "deepseek-v4-pro:enabled",
      "deepseek-v4-flash:disabled",
    ]);
    for (const body of bodies) {
      const messages = body.messages as WireMessage[];
      const callIds = new Set<string>();
      for (const message of messages) {
        // Every tool-calling turn carries its reasoning (empty when it was made without thinking)...
        if (message.role === "assistant" && message.tool_calls) {
          expect(typeof message.reasoning_content).toBe("string");
          for (const call of message.tool_calls) callIds.add(call.id);
        }
        // ...and every tool result answers a call made before it.
        if (message.role === "tool") expect(callIds.has(message.tool_call_id!)).toBe(true);
      }
    }
    // The thinking turns' reasoning is sent back, on the other model too.
    const proThinking = bodies[6]!.messages as WireMessage[];
    const replayed = proThinking.filter((message) => message.role === "assistant").map((m) => m.reasoning_content);
    expect(replayed).toEqual(["", "", "flash thinks: try another name", "flash thinks again", "", ""]);

    const shown = await runCli(["runs", "show", finished.id, "--json"], { env, cwd: sandbox.workspace });
    const transcript = JSON.parse(shown.stdout) as {
      steps: { model: string }[];
      modelSwitches: { step: number; from: unknown; to: unknown; reason: string }[];
    };
    expect(transcript.steps.map((step) => step.model)).toEqual([
      ...Array(4).fill("deepseek-v4-flash"),
      ...Array(3).fill("deepseek-v4-pro"),
      "deepseek-v4-flash",
    ]);
    expect(transcript.modelSwitches).toEqual([
      {
        step: 2,
        from: { model: "deepseek-v4-flash", thinking: false },
        to: { model: "deepseek-v4-flash", thinking: true },
        reason: "2 tool errors in a row",
      },
      {
        step: 4,
        from: { model: "deepseek-v4-flash", thinking: true },
        to: { model: "deepseek-v4-pro", thinking: false },
        reason: "2 tool errors in a row",
      },
      {
        step: 6,
        from: { model: "deepseek-v4-pro", thinking: false },
        to: { model: "deepseek-v4-pro", thinking: true },
        reason: "2 tool errors in a row",
      },
      {
        step: 7,
        from: { model: "deepseek-v4-pro", thinking: true },
        to: { model: "deepseek-v4-flash", thinking: false },
        reason: "succeeded: back to the first rung",
      },
    ]);
    const text = await runCli(["runs", "show", finished.id], { env, cwd: sandbox.workspace });
    expect(text.stdout).toContain(
      "⇅ before step 5: deepseek-v4-flash (thinking on) → deepseek-v4-pro (thinking off): 2 tool errors in a row",
    );
  });

  it("tansuo chat --models starts the conversation's run on the ladder's first rung", async () => {
    const server = await startDeepSeekServer({ apiKey, script: [{ content: "Hello." }, { content: "Again." }] });
    const sandbox = cliSandbox();
    mkdirSync(sandbox.workspace, { recursive: true });
    cleanups.push(
      () => server.close(),
      () => rmSync(sandbox.folder, { recursive: true, force: true }),
    );
    const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: apiKey, TANSUO_RETRY_SCALE: "0.01" };
    const result = await runCli(["chat", "--models", "deepseek-v4-flash,deepseek-v4-pro", "--base-url", server.url], {
      env,
      cwd: sandbox.workspace,
      input: "hi\nhi again\n",
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Again.");
    const sent = server.requests.map((request) => {
      const body = request.body as { model: string; thinking?: { type: string } };
      return `${body.model}:${body.thinking?.type}`;
    });
    expect(sent).toEqual(["deepseek-v4-flash:disabled", "deepseek-v4-flash:disabled"]);
  });

  it("a wrong name in --models is a usage mistake: exit 2, no run", async () => {
    const sandbox = cliSandbox();
    mkdirSync(sandbox.workspace, { recursive: true });
    cleanups.push(() => rmSync(sandbox.folder, { recursive: true, force: true }));
    const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: apiKey };
    const result = await runCli(["run", "--models", "deepseek-v4-flash,no-such-model", "--json", "t"], {
      env,
      cwd: sandbox.workspace,
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("no-such-model");
    const both = await runCli(["run", "--model", "deepseek-v4-pro", "--models", "deepseek-v4-flash", "t"], {
      env,
      cwd: sandbox.workspace,
    });
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain("pass one");
  });
});
