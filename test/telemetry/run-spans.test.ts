import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { cliSandbox, runCli } from "../support/cli-process.ts";
import { startDeepSeekServer } from "../support/deepseek-server/index.ts";
import { childrenOf, type ReceivedSpan, startOtlpReceiver } from "./otlp-receiver.ts";

const apiKey = "sk-telemetry-run-000777";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A `tansuo run` child with two read_file calls (one of a missing file), then an answer, exporting to a receiver. */
async function tracedRun(telemetry: {
  env?: (receiverUrl: string) => Record<string, string>;
  config?: (receiverUrl: string) => unknown;
}) {
  const receiver = await startOtlpReceiver();
  const upstream = await startDeepSeekServer({
    apiKey,
    script: [
      {
        toolCalls: [
          { id: "call_notes", name: "read_file", arguments: { path: "notes.txt" } },
          { id: "call_missing", name: "read_file", arguments: { path: "missing.txt" } },
        ],
        usage: { promptTokens: 900, cacheHitTokens: 640, completionTokens: 40 },
      },
      { content: "The notes say hello.", usage: { promptTokens: 1000, cacheHitTokens: 896, completionTokens: 12 } },
    ],
  });
  const sandbox = cliSandbox();
  mkdirSync(sandbox.workspace, { recursive: true });
  mkdirSync(sandbox.home, { recursive: true });
  writeFileSync(path.join(sandbox.workspace, "notes.txt"), "hello from the notes");
  if (telemetry.config) {
    writeFileSync(path.join(sandbox.home, "config.json"), JSON.stringify(telemetry.config(receiver.url)));
  }
  cleanups.push(
    () => receiver.close(),
    () => upstream.close(),
    () => rmSync(sandbox.folder, { recursive: true, force: true }),
  );
  const result = await runCli(
    ["run", "--model", "deepseek-v4-flash", "--base-url", upstream.url, "--approval", "auto", "--json", "read notes"],
    {
      env: {
        TANSUO_HOME: sandbox.home,
        DEEPSEEK_API_KEY: apiKey,
        TANSUO_RETRY_SCALE: "0.01",
        ...telemetry.env?.(receiver.url),
      },
      cwd: sandbox.workspace,
    },
  );
  expect(result.stderr).not.toMatch(/warning|error/i);
  expect(result.exitCode).toBe(0);
  const run = JSON.parse(result.stdout) as { id: string; status: string; costUsd: string };
  const store = new SqliteStore(path.join(sandbox.home, "tansuo.db"));
  const steps = await store.listSteps(run.id);
  await store.close();
  return { receiver, run, steps };
}

const byName = (spans: ReceivedSpan[], name: string) => spans.filter((span) => span.name === name);

describe("OpenTelemetry spans of a run (OTLP/HTTP to a receiver on 127.0.0.1)", () => {
  it("exports invoke_agent with chat and execute_tool children, usage and cost as the store recorded them", async () => {
    const { receiver, run, steps } = await tracedRun({
      env: (url) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_SERVICE_NAME: "tansuo-test" }),
    });
    expect(receiver.exports[0]?.contentType).toBe("application/json");
    const [agent] = byName(receiver.spans, "invoke_agent tansuo");
    expect(agent).toBeDefined();
    expect(agent!.parentSpanId).toBeUndefined();
    expect(agent!.kind).toBe(1);
    expect(agent!.resource["service.name"]).toBe("tansuo-test");
    expect(agent!.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.agent.name": "tansuo",
      "gen_ai.conversation.id": run.id,
      "tansuo.run.id": run.id,
      "gen_ai.provider.name": "deepseek",
      "tansuo.run.status": "succeeded",
      "tansuo.cost_usd": run.costUsd,
      "gen_ai.usage.input_tokens": 1900,
      "gen_ai.usage.output_tokens": 52,
      "gen_ai.usage.cache_read.input_tokens": 1536,
    });
    expect(agent!.status.code).toBe(1);

    const children = childrenOf(receiver.spans, agent!);
    expect(children.map((span) => span.name)).toEqual([
      "chat deepseek-v4-flash",
      "execute_tool read_file",
      "execute_tool read_file",
      "chat deepseek-v4-flash",
    ]);
    expect(receiver.spans).toHaveLength(5);
    expect(new Set(receiver.spans.map((span) => span.traceId)).size).toBe(1);

    const chats = byName(children, "chat deepseek-v4-flash");
    expect(steps).toHaveLength(2);
    chats.forEach((chat, index) => {
      const step = steps[index]!;
      expect(chat.kind).toBe(3);
      expect(chat.attributes).toMatchObject({
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "deepseek",
        "gen_ai.request.model": "deepseek-v4-flash",
        "gen_ai.usage.input_tokens": step.usage.inputTokens,
        "gen_ai.usage.output_tokens": step.usage.outputTokens,
        "gen_ai.usage.cache_read.input_tokens": step.usage.cacheHitTokens,
        "tansuo.cost_usd": step.costUsd,
        "gen_ai.response.finish_reasons": [step.finishReason],
        "tansuo.step": index,
      });
    });
    // The values the upstream was scripted to report, not what the code under test computed.
    expect(chats.map((chat) => chat.attributes["gen_ai.usage.input_tokens"])).toEqual([900, 1000]);
    expect(chats.map((chat) => chat.attributes["gen_ai.usage.cache_read.input_tokens"])).toEqual([640, 896]);
    expect(chats.map((chat) => chat.attributes["gen_ai.response.finish_reasons"])).toEqual([["tool_calls"], ["stop"]]);

    const [found, missing] = byName(children, "execute_tool read_file");
    expect(found!.attributes).toMatchObject({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "read_file",
      "gen_ai.tool.call.id": "call_notes",
    });
    expect(found!.status.code).toBe(0);
    expect(missing!.attributes["gen_ai.tool.call.id"]).toBe("call_missing");
    expect(missing!.status.code).toBe(2);
    expect(missing!.attributes["error.type"]).toBe("tool_error");
    expect(missing!.events.map((event) => event.name)).toEqual(["exception"]);
    // A tool span lies within its step's time, after the call that planned it.
    expect(found!.startNanos >= chats[0]!.endNanos).toBe(true);
    expect(missing!.endNanos <= chats[1]!.startNanos).toBe(true);

    // Content capture is off by default, and no secret is ever an attribute.
    const everything = JSON.stringify(receiver.spans.map((span) => [span.attributes, span.events]));
    expect(everything).not.toContain("read notes");
    expect(everything).not.toContain("hello from the notes");
    expect(everything).not.toContain("notes.txt");
    expect(everything).not.toContain("gen_ai.input.messages");
    expect(everything).not.toContain(apiKey);
  });

  it("takes endpoint, headers and content capture from config telemetry, and keeps the headers out of spans", async () => {
    const { receiver } = await tracedRun({
      config: (url) => ({
        telemetry: { endpoint: url, headers: { "x-collector-token": "collector-secret-42" }, captureContent: true },
      }),
    });
    expect(receiver.exports.length).toBeGreaterThan(0);
    expect(receiver.exports.every((sent) => sent.headers["x-collector-token"] === "collector-secret-42")).toBe(true);
    const [agent] = byName(receiver.spans, "invoke_agent tansuo");
    expect(agent!.resource["service.name"]).toBe("tansuo");
    expect(JSON.parse(String(agent!.attributes["gen_ai.input.messages"]))).toEqual([
      { role: "user", parts: [{ type: "text", content: "read notes" }] },
    ]);
    const [found, missing] = byName(receiver.spans, "execute_tool read_file");
    expect(found!.attributes["gen_ai.tool.call.arguments"]).toBe('{"path":"notes.txt"}');
    expect(String(found!.attributes["gen_ai.tool.call.result"])).toContain("hello from the notes");
    expect(missing!.status.message).toMatch(/missing\.txt/);
    const everything = JSON.stringify(receiver.spans.map((span) => [span.attributes, span.events, span.resource]));
    expect(everything).not.toContain("collector-secret-42");
    expect(everything).not.toContain(apiKey);
  });
});
