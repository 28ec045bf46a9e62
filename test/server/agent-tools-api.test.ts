import { afterEach, describe, expect, it } from "vitest";
import { Usd } from "../../src/cost/usd.ts";
import { issueApiKey } from "../../src/server/index.ts";
import { type GatewayFixture, startGatewayFixture } from "./support/gateway-fixture.ts";

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const agents = {
  lead: { instructions: "Delegate.", model: "deepseek-v4-flash", tools: ["agent:helper"], budgetUsd: 0.05 },
  helper: { instructions: "Answer.", model: "deepseek-v4-flash", tools: ["read_file"], budgetUsd: 0.01 },
};

// biome-ignore lint/suspicious/noExplicitAny: API JSON is walked freely in assertions.
type Json = Record<string, any>;

describe("agents as tools through the gateway", () => {
  it("runs a child for POST /v1/runs, shown as the run's tree with its cost", async () => {
    let key = "";
    fixture = await startGatewayFixture({
      settings: { agents },
      prepare: async (store) => {
        key = (await issueApiKey(store, { name: "alice", budgetUsd: "0.5" })).key;
      },
      upstream: {
        script: [
          {
            toolCalls: [{ id: "ask", name: "agent_helper", arguments: { task: "Say hi.", budgetUsd: "0.002" } }],
            usage: { promptTokens: 900, completionTokens: 20 },
          },
          { content: "hi", usage: { promptTokens: 300, completionTokens: 2 } },
          { content: "The helper says hi.", usage: { promptTokens: 1000, completionTokens: 6 } },
        ],
      },
    });
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const url = fixture.server.url;
    const created = await fetch(`${url}/v1/runs`, {
      method: "POST",
      headers,
      body: JSON.stringify({ agent: "lead", task: "Ask the helper." }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as Json;
    let run: Json = {};
    for (let attempt = 0; attempt < 200 && run.status !== "succeeded"; attempt++) {
      run = (await (await fetch(`${url}/v1/runs/${id}`, { headers })).json()) as Json;
      if (run.status !== "succeeded") await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(run).toMatchObject({ status: "succeeded", output: "The helper says hi.", parent_run_id: null });
    expect(run.children).toHaveLength(1);
    const childId = run.children[0].id;
    const child = (await (await fetch(`${url}/v1/runs/${childId}`, { headers })).json()) as Json;
    // The child is the key's run too (its budget and its list), linked to the parent's call.
    expect(child).toMatchObject({
      status: "succeeded",
      output: "hi",
      agent: "helper",
      parent_run_id: id,
      parent_call_id: "ask",
      budget_usd: "0.002",
      key_id: run.key_id,
      children: [],
    });
    expect(run.children[0]).toEqual({
      id: childId,
      agent: "helper",
      parent_call_id: "ask",
      status: "succeeded",
      cost_usd: child.cost_usd,
      tree_cost_usd: child.cost_usd,
      children: [],
    });
    // cost_usd is the run's own calls; tree_cost_usd adds the child's; the key's ledger has each call once.
    expect(run.tree_cost_usd).toBe(Usd.add(run.cost_usd, child.cost_usd));
    const rows = await fixture.store.usageRows();
    expect(Usd.sum(rows.map((row) => row.costUsd))).toBe(run.tree_cost_usd);
    expect(rows.reduce((sum, row) => sum + row.requests, 0)).toBe(3);
    const listed = (await (await fetch(`${url}/v1/runs`, { headers })).json()) as Json;
    expect(listed.data.map((entry: Json) => [entry.id, entry.parent_run_id])).toEqual(
      expect.arrayContaining([
        [id, null],
        [childId, id],
      ]),
    );
  });

  it("runs a child for a chat completion on the `agent:<name>` model", async () => {
    fixture = await startGatewayFixture({
      settings: { agents },
      upstream: {
        script: [
          { toolCalls: [{ id: "ask", name: "agent_helper", arguments: { task: "Say hi." } }] },
          { content: "hi" },
          { content: "The helper says hi." },
        ],
      },
    });
    const answer = await fixture.client().chat.completions.create({
      model: "agent:lead",
      messages: [{ role: "user", content: "Ask the helper." }],
    });
    expect(answer.choices[0]?.message.content).toBe("The helper says hi.");
    const runs = await fixture.store.listRuns();
    const parent = runs.find((candidate) => candidate.parentRunId === undefined)!;
    expect(runs.find((candidate) => candidate.parentRunId === parent.id)).toMatchObject({
      status: "succeeded",
      output: "hi",
      parentCallId: "ask",
      settings: { agentName: "helper" },
    });
  });
});
