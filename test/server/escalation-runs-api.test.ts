import { afterEach, describe, expect, it } from "vitest";
import { issueApiKey } from "../../src/server/index.ts";
import { type GatewayFixture, startGatewayFixture } from "./support/gateway-fixture.ts";

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const readMissing = (file: string) => ({ toolCalls: [{ name: "read_file", arguments: { path: file } }] });

describe("POST /v1/runs of an agent with a ladder (agents.<name>.models)", () => {
  it("starts on the ladder's first model without thinking and climbs after 2 tool errors", async () => {
    let key = "";
    fixture = await startGatewayFixture({
      settings: {
        agents: {
          fixer: {
            instructions: "Find the file.",
            models: ["deepseek-v4-flash", "deepseek-v4-pro"],
            tools: ["read_file"],
            approval: "auto",
          },
        },
      },
      prepare: async (store) => {
        key = (await issueApiKey(store, { name: "alice" })).key;
      },
      upstream: {
        rules: { reasoningContent: "v3.2-requires-on-tool-turns" },
        script: [readMissing("a.txt"), readMissing("b.txt"), { reasoningContent: "none there", content: "No file." }],
      },
    });
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const created = await fetch(`${fixture.server.url}/v1/runs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ agent: "fixer", task: "Find the notes." }),
    });
    expect(created.status).toBe(201);
    const run = (await created.json()) as { id: string; model: string };
    expect(run.model).toBe("deepseek-v4-flash");
    let status = "";
    for (let attempt = 0; attempt < 300 && status !== "succeeded" && status !== "failed"; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const shown = await fetch(`${fixture.server.url}/v1/runs/${run.id}`, { headers });
      status = ((await shown.json()) as { status: string }).status;
    }
    expect(status).toBe("succeeded");
    const thinking = fixture.upstream.requests.map(
      (request) => ((request.body as { thinking?: { type: string } }).thinking ?? { type: "none" }).type,
    );
    expect(thinking).toEqual(["disabled", "disabled", "enabled"]);
    const stored = await fixture.store.getRun(run.id);
    expect(stored?.settings.models).toEqual(["deepseek-v4-flash", "deepseek-v4-pro"]);
  });
});
