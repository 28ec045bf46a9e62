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
  workspace = mkdtempSync(path.join(tmpdir(), "tansuo-responses-agent-"));
  writeFileSync(path.join(workspace, "notes.txt"), "Remember: the answer is 42.\n");
  fixture = await startGatewayFixture({
    upstream,
    settings: {
      agents: {
        reader: { instructions: "Answer from the notes.", model: "deepseek-v4-flash", tools: ["read_file"], workspace },
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

describe("agents through the Responses API", () => {
  it("answer with the agent's final message as one output message, the run's usage summed", async () => {
    const gateway = await start({ script: [readNotes, answer] });
    const { data: response, response: http } = await gateway
      .client()
      .responses.create({ model: "agent:reader", instructions: "Be exact.", input: "What is the answer?" })
      .withResponse();
    expect(response.output_text).toBe("The notes say the answer is 42.");
    expect(response.output.map((item) => item.type)).toEqual(["message"]);
    expect(response.usage).toMatchObject({
      input_tokens: 1100,
      output_tokens: 30,
      input_tokens_details: { cached_tokens: 512 },
    });
    const run = await gateway.store.getRun(http.headers.get("x-tansuo-run-id")!);
    expect(run).toMatchObject({ status: "succeeded", stepCount: 2 });
    expect(run?.settings.task).toContain("Be exact.");
    expect(run?.settings.task).toContain("What is the answer?");
    // The tool really ran server-side: its output went back to the model.
    const second = gateway.upstream.requests[1]?.body as { messages: { role: string; content: string }[] };
    expect(second.messages.at(-1)).toMatchObject({
      role: "tool",
      content: expect.stringContaining("the answer is 42"),
    });
  });

  it("stream the agent's words as output_text deltas, then response.completed, and can be continued", async () => {
    const gateway = await start({
      script: [readNotes, answer, { content: "It was 42.", usage: { promptTokens: 10, completionTokens: 3 } }],
    });
    const client = gateway.client();
    const stream = await client.responses.create({ model: "agent:reader", input: "What is the answer?", stream: true });
    let text = "";
    let completedId = "";
    for await (const event of stream) {
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") {
        completedId = event.response.id;
        expect(event.response.usage).toMatchObject({ input_tokens: 1100 });
      }
    }
    expect(text).toBe("The notes say the answer is 42.");
    expect(completedId).toMatch(/^resp_/);
    const again = await client.responses.create({
      model: "agent:reader",
      previous_response_id: completedId,
      input: "Say it again.",
    });
    expect(again.output_text).toBe("It was 42.");
    const run = await gateway.store.getRun(again.id.replace(/^resp_/, "run_"));
    expect(run?.settings.task).toContain("The notes say the answer is 42.");
    expect(run?.settings.task).toContain("Say it again.");
  });
});
