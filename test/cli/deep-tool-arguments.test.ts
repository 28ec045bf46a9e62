import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OpenAiChatLanguageModel } from "../../src/models/openai-chat/openai-chat-language-model.ts";
import { RequestNotSentError, unbilledReason } from "../../src/models/unbilled-call.ts";
import { cliSandbox, runCli } from "../support/cli-process.ts";
import { startDeepSeekServer } from "../support/deepseek-server/index.ts";

const apiKey = "sk-deep-arguments-000333";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `{"path":"a.txt","content":"x","extra":<depth-deep>}` as text, built without recursion. */
const deepArguments = (depth: number) =>
  `{"path":"a.txt","content":"x","extra":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`;

describe("a hostile model's tool call nested 50,000 deep (break A)", () => {
  it("becomes a tool error the model acts on, and the next call replays it without overflowing", async () => {
    const server = await startDeepSeekServer({
      apiKey,
      script: [
        { toolCalls: [{ id: "deep", name: "write_file", arguments: deepArguments(50_000) }] },
        { content: "Sent flat arguments next time." },
      ],
    });
    const sandbox = cliSandbox();
    mkdirSync(sandbox.workspace, { recursive: true });
    cleanups.push(
      () => server.close(),
      () => rmSync(sandbox.folder, { recursive: true, force: true }),
    );
    const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: apiKey, TANSUO_RETRY_SCALE: "0.01" };
    const result = await runCli(
      ["run", "--model", "deepseek-v4-flash", "--base-url", server.url, "--approval", "auto", "--json", "write it"],
      { env, cwd: sandbox.workspace },
    );
    expect(result.stderr).not.toMatch(/call stack/i);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: "succeeded", output: "Sent flat arguments next time." });
    expect(existsSync(path.join(sandbox.workspace, "a.txt"))).toBe(false);
    const second = JSON.stringify(server.requests[1]?.body);
    expect(second).toContain("nested more than 64 levels deep; send flat arguments");
    expect(second.length).toBeLessThan(100_000);
  });

  it("a request that cannot be built is never sent, and is recorded as never sent", async () => {
    const server = await startDeepSeekServer({ apiKey, fallback: () => ({ content: "unexpected" }) });
    cleanups.push(() => server.close());
    const language = new OpenAiChatLanguageModel({
      provider: "deepseek",
      upstreamModel: "deepseek-chat",
      baseUrl: server.url,
      apiKey,
      reasoningReplay: "strip",
      usageSemantics: "deepseek",
      thinkingRequestField: false,
    });
    let deep: unknown = 1;
    for (let level = 0; level < 50_000; level++) deep = { a: deep };
    const failure = await language
      .doStream({
        prompt: [
          { role: "user", content: [{ type: "text", text: "go" }] },
          { role: "assistant", content: [{ type: "tool-call", toolCallId: "c1", toolName: "f", input: deep }] },
        ],
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RequestNotSentError);
    expect(unbilledReason(failure)).toMatch(/never sent/);
    expect(server.requests).toHaveLength(0);
  });
});
