import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { DeepSeekServerOptions } from "../support/deepseek-server/index.ts";
import { type GatewayFixture, startGatewayFixture } from "./support/gateway-fixture.ts";

let fixture: GatewayFixture | undefined;
let workspace = "";
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
  rmSync(workspace, { recursive: true, force: true });
});

async function start(upstream: DeepSeekServerOptions) {
  workspace = mkdtempSync(path.join(tmpdir(), "tansuo-agent-model-"));
  writeFileSync(path.join(workspace, "notes.txt"), "Remember: the answer is 42.\n");
  fixture = await startGatewayFixture({
    upstream,
    settings: {
      agents: {
        reader: { instructions: "Answer from the notes.", model: "deepseek-v4-flash", tools: ["read_file"], workspace },
        ops: {
          instructions: "Run commands.",
          model: "deepseek-v4-flash",
          tools: ["run_command"],
          approval: "ask",
          workspace,
        },
      },
    },
  });
  return fixture;
}

const readNotes = {
  toolCalls: [{ name: "read_file", arguments: { path: "notes.txt" } }],
  usage: { promptTokens: 500, completionTokens: 20 },
};
const answer = {
  content: "The notes say the answer is 42.",
  usage: { promptTokens: 600, cacheHitTokens: 512, completionTokens: 10 },
};

describe("agents as models", () => {
  it("are listed as agent:<name>", async () => {
    const fixture = await start({});
    const ids = (await fixture.client().models.list()).data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(["agent:reader", "agent:ops"]));
  });

  it("answer with the agent's final message after running its tools server-side, as a durable run", async () => {
    const fixture = await start({ script: [readNotes, answer] });
    const { data: completion, response } = await fixture
      .client()
      .chat.completions.create({ model: "agent:reader", messages: [{ role: "user", content: "What is the answer?" }] })
      .withResponse();
    expect(completion.choices[0]?.message.content).toBe("The notes say the answer is 42.");
    expect(completion.usage).toMatchObject({
      prompt_tokens: 1100,
      completion_tokens: 30,
      prompt_tokens_details: { cached_tokens: 512 },
    });
    const runId = response.headers.get("x-tansuo-run-id")!;
    const run = await fixture.store.getRun(runId);
    expect(run).toMatchObject({ status: "succeeded", stepCount: 2 });
    expect(run?.settings).toMatchObject({ agentName: "reader", task: "What is the answer?" });
    // The tool really ran: its output went back to the model.
    const secondRequest = fixture.upstream.requests[1]?.body as { messages: { role: string; content: string }[] };
    expect(secondRequest.messages.at(-1)).toMatchObject({
      role: "tool",
      content: expect.stringContaining("the answer is 42"),
    });
  });

  it("stream the agent's progress: tool calls and results as reasoning, its words as content", async () => {
    const fixture = await start({ script: [readNotes, answer] });
    const stream = await fixture.client().chat.completions.create({
      model: "agent:reader",
      messages: [{ role: "user", content: "What is the answer?" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let content = "";
    let progress = "";
    let usage: unknown;
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? "";
      progress += (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(content).toBe("The notes say the answer is 42.");
    expect(progress).toContain('[tool] read_file {"path":"notes.txt"}');
    expect(progress).toContain("[result] read_file:");
    expect(usage).toMatchObject({ prompt_tokens: 1100 });
  });

  it("say how to approve when the agent waits for a person", async () => {
    const fixture = await start({ script: [{ toolCalls: [{ name: "run_command", arguments: { command: "ls" } }] }] });
    const completion = await fixture
      .client()
      .chat.completions.create({ model: "agent:ops", messages: [{ role: "user", content: "List the files." }] });
    const text = completion.choices[0]?.message.content ?? "";
    expect(text).toMatch(/Run run_\w+ is waiting for approval of: run_command/);
    expect(text).toContain("/approve");
  });
});
