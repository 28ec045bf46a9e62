import { afterEach, describe, expect, it, vi } from "vitest";
import { emptyUsage } from "../../src/cost/usage.ts";
import { issueApiKey } from "../../src/server/index.ts";
import { type FixtureOptions, type GatewayFixture, startGatewayFixture } from "./support/gateway-fixture.ts";
import { type ServerSentEvent, SseReader } from "./support/sse-reader.ts";

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const opsAgent = {
  ops: {
    instructions: "Run the commands the task needs.",
    model: "deepseek-v4-flash",
    tools: ["run_command"],
    approval: "ask",
    budgetUsd: 1,
  },
};

interface Keys {
  alice: string;
  bob: string;
}

async function start(options: FixtureOptions): Promise<{ fixture: GatewayFixture; keys: Keys }> {
  const keys: Keys = { alice: "", bob: "" };
  fixture = await startGatewayFixture({
    settings: { agents: opsAgent },
    prepare: async (store) => {
      keys.alice = (await issueApiKey(store, { name: "alice", budgetUsd: "0.5" })).key;
      keys.bob = (await issueApiKey(store, { name: "bob" })).key;
    },
    ...options,
  });
  return { fixture, keys };
}

function api(fixture: GatewayFixture, key: string) {
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  return {
    post: (path: string, body?: unknown) =>
      fetch(`${fixture.server.url}${path}`, {
        method: "POST",
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    get: (path: string, extra: Record<string, string> = {}) =>
      fetch(`${fixture.server.url}${path}`, { headers: { ...headers, ...extra } }),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: API JSON is walked freely in assertions.
type Json = Record<string, any>;
const parsed = (event: ServerSentEvent): Json => JSON.parse(event.data);

describe("the runs API", () => {
  it("runs an agent that needs approval, followed live over SSE with a reconnect in the middle", async () => {
    const { fixture, keys } = await start({
      upstream: {
        script: [
          {
            reasoningContent: "Run the echo.",
            toolCalls: [{ name: "run_command", arguments: { command: "echo approved-output" } }],
            usage: { promptTokens: 900, completionTokens: 30 },
          },
          {
            content: "The command printed approved-output.",
            usage: { promptTokens: 1000, cacheHitTokens: 896, completionTokens: 12 },
          },
        ],
      },
    });
    const alice = api(fixture, keys.alice);
    const created = await alice.post("/v1/runs", { agent: "ops", task: "Print approved-output with echo." });
    expect(created.status).toBe(201);
    const run = (await created.json()) as Json;
    expect(run).toMatchObject({ object: "run", status: "queued", agent: "ops", model: "deepseek-v4-flash" });
    expect(created.headers.get("location")).toBe(`/v1/runs/${run.id}`);

    // Follow live until the agent asks for approval, then drop the connection.
    const first = new SseReader(await alice.get(`/v1/runs/${run.id}/events`));
    const beforeDrop = await first.until(
      (event) => event.event === "status" && parsed(event).status === "awaiting_approval",
    );
    await first.close();
    const approval = beforeDrop.find((event) => event.event === "approval-required");
    expect(parsed(approval!).calls).toEqual([
      expect.objectContaining({ toolName: "run_command", input: '{"command":"echo approved-output"}' }),
    ]);
    expect(beforeDrop.some((event) => event.event === "reasoning-delta")).toBe(true);

    const waiting = (await (await alice.get(`/v1/runs/${run.id}`)).json()) as Json;
    expect(waiting.status).toBe("awaiting_approval");
    expect(waiting.pending_approvals).toEqual([expect.objectContaining({ tool: "run_command" })]);

    // Approve while nobody listens; the run goes on and its events are kept.
    const approved = await alice.post(`/v1/runs/${run.id}/approve`, { approve: true });
    expect(approved.status).toBe(200);

    // Reconnect with Last-Event-ID: exactly what was missed, then live to the end.
    const lastSeen = beforeDrop.at(-1)!.id!;
    const second = new SseReader(await alice.get(`/v1/runs/${run.id}/events`, { "last-event-id": lastSeen }));
    const afterReconnect = await second.rest();
    expect(afterReconnect.at(-1)?.event).toBe("finished");
    expect(parsed(afterReconnect.at(-1)!)).toMatchObject({ status: "succeeded" });
    const toolResult = afterReconnect.find((event) => event.event === "tool-result");
    expect(parsed(toolResult!).output).toContain("approved-output");

    const seen = [...beforeDrop, ...afterReconnect].map((event) => Number(event.id));
    const stored = (await fixture.store.listEvents(run.id)).map((event) => event.sequence);
    expect(seen).toEqual(stored);

    const finished = (await (await alice.get(`/v1/runs/${run.id}`)).json()) as Json;
    expect(finished).toMatchObject({
      status: "succeeded",
      output: "The command printed approved-output.",
      step_count: 2,
    });
    expect(finished.usage).toMatchObject({
      prompt_tokens: 1900,
      completion_tokens: 42,
      prompt_tokens_details: { cached_tokens: 896 },
    });
    // The run's steps are billed to the key that started it; the run keeps the agent's budget, and each of its
    // calls is held against the key's budget as well.
    const usage = (await (await alice.get("/v1/usage")).json()) as Json;
    expect(usage.total_cost_usd).toBe(finished.cost_usd);
    expect(finished.budget_usd).toBe("1");

    // A replay of a finished run ends by itself.
    const replay = await new SseReader(await alice.get(`/v1/runs/${run.id}/events`)).rest();
    expect(replay.map((event) => Number(event.id))).toEqual(stored);
  });

  it("keeps runs to the key that started them", async () => {
    const { fixture, keys } = await start({ upstream: { fallback: () => ({ content: "done" }) } });
    const alice = api(fixture, keys.alice);
    const bob = api(fixture, keys.bob);
    const run = (await (await alice.post("/v1/runs", { model: "agent:ops", task: "Nothing to do." })).json()) as Json;
    await fixture.server.gateway.agents?.settled();
    expect((await bob.get(`/v1/runs/${run.id}`)).status).toBe(404);
    expect((await bob.get(`/v1/runs/${run.id}/events`)).status).toBe(404);
    expect((await bob.post(`/v1/runs/${run.id}/cancel`)).status).toBe(404);
    expect(((await (await bob.get("/v1/runs")).json()) as Json).data).toEqual([]);
    const aliceRuns = ((await (await alice.get("/v1/runs")).json()) as Json).data as Json[];
    expect(aliceRuns.map((listed) => listed.id)).toEqual([run.id]);
    expect(aliceRuns[0]?.status).toBe("succeeded");
    expect(((await (await bob.get("/v1/usage")).json()) as Json).data).toEqual([]);
  });

  it("cancels a running run, refuses to approve a run that waits for nothing, and names bad input", async () => {
    const { fixture, keys } = await start({ upstream: { script: [{ content: "slow", delayMs: 5000 }] } });
    const alice = api(fixture, keys.alice);
    const run = (await (await alice.post("/v1/runs", { agent: "ops", task: "Take a while." })).json()) as Json;
    const upstream = fixture.upstream;
    await vi.waitFor(() => expect(upstream.requests).toHaveLength(1));
    const cancelled = await alice.post(`/v1/runs/${run.id}/cancel`);
    expect(((await cancelled.json()) as Json).status).toBe("cancelled");
    await fixture.server.gateway.agents?.settled();
    expect((await fixture.store.getRun(run.id))?.status).toBe("cancelled");

    const conflict = await alice.post(`/v1/runs/${run.id}/approve`);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ error: { code: "run_state_conflict" } });

    const noAgent = await alice.post("/v1/runs", { task: "x" });
    expect(noAgent.status).toBe(400);
    expect(await noAgent.json()).toMatchObject({ error: { param: "agent" } });
    const unknownAgent = await alice.post("/v1/runs", { agent: "nobody", task: "x" });
    expect(unknownAgent.status).toBe(404);
    const badId = await alice.get(`/v1/runs/${run.id}/events`, { "last-event-id": "yesterday" });
    expect(badId.status).toBe(400);
  });

  it("continues a finished run with POST /v1/runs/:id/messages, for its own key only; 409 while running or once cancelled", async () => {
    const { fixture, keys } = await start({
      upstream: {
        script: [{ content: "first answer" }, { content: "second answer" }, { content: "slow", delayMs: 5000 }],
      },
    });
    const alice = api(fixture, keys.alice);
    const bob = api(fixture, keys.bob);
    const run = (await (await alice.post("/v1/runs", { agent: "ops", task: "First question." })).json()) as Json;
    await fixture.server.gateway.agents?.settled();

    expect((await bob.post(`/v1/runs/${run.id}/messages`, { content: "mine now?" })).status).toBe(404);
    expect((await alice.post(`/v1/runs/${run.id}/messages`, { content: "  " })).status).toBe(400);
    const added = await alice.post(`/v1/runs/${run.id}/messages`, { content: "Second question." });
    expect(added.status).toBe(200);
    expect(await added.json()).toMatchObject({ id: run.id, object: "run", status: "queued", step_count: 1 });
    await fixture.server.gateway.agents?.settled();
    const continued = (await (await alice.get(`/v1/runs/${run.id}`)).json()) as Json;
    expect(continued).toMatchObject({ status: "succeeded", output: "second answer", step_count: 2 });
    const sent = (fixture.upstream.requests[1]!.body as { messages: Json[] }).messages;
    expect(sent.slice(-2)).toEqual([
      { role: "assistant", content: "first answer" },
      { role: "user", content: "Second question." },
    ]);

    await alice.post(`/v1/runs/${run.id}/messages`, { content: "Third question." });
    await vi.waitFor(() => expect(fixture.upstream.requests).toHaveLength(3));
    const whileRunning = await alice.post(`/v1/runs/${run.id}/messages`, { content: "Hurry." });
    expect(whileRunning.status).toBe(409);
    expect(await whileRunning.json()).toMatchObject({ error: { code: "run_state_conflict" } });
    await alice.post(`/v1/runs/${run.id}/cancel`);
    await fixture.server.gateway.agents?.settled();
    const afterCancel = await alice.post(`/v1/runs/${run.id}/messages`, { content: "Still there?" });
    expect(afterCancel.status).toBe(409);
    expect(((await afterCancel.json()) as Json).error.message).toContain("a cancel is final");
    expect((await fixture.store.listRunMessages(run.id)).map((message) => message.content)).toEqual([
      "Second question.",
      "Third question.",
    ]);
  });

  it("tells followers over SSE that a person's message was added, in its place among the run's events", async () => {
    const { fixture, keys } = await start({
      upstream: { script: [{ content: "first answer" }, { content: "second answer" }] },
    });
    const alice = api(fixture, keys.alice);
    const run = (await (await alice.post("/v1/runs", { agent: "ops", task: "First question." })).json()) as Json;
    const firstPart = await new SseReader(await alice.get(`/v1/runs/${run.id}/events`)).rest();
    expect(firstPart.at(-1)?.event).toBe("finished");

    expect((await alice.post(`/v1/runs/${run.id}/messages`, { content: "Second question." })).status).toBe(200);
    const follower = new SseReader(
      await alice.get(`/v1/runs/${run.id}/events`, { "last-event-id": firstPart.at(-1)!.id! }),
    );
    const secondPart = await follower.rest();
    expect(secondPart[0]?.event).toBe("user-message");
    expect(parsed(secondPart[0]!)).toEqual({
      type: "user-message",
      index: 0,
      afterStep: 1,
      content: "Second question.",
    });
    expect(secondPart.slice(1).map((event) => event.event)).toContain("step-started");
    expect(parsed(secondPart.at(-1)!)).toMatchObject({
      type: "finished",
      status: "succeeded",
      output: "second answer",
    });
  });

  it("refuses to start a run for a key that has spent its budget", async () => {
    const { fixture, keys } = await start({ upstream: {} });
    const [alice] = await fixture.store.listApiKeys();
    await fixture.store.recordLedger({
      at: new Date().toISOString(),
      keyId: alice!.id,
      model: "deepseek-v4-flash",
      usage: emptyUsage(),
      costUsd: "0.5",
      price: {},
    });
    const refused = await api(fixture, keys.alice).post("/v1/runs", { agent: "ops", task: "x" });
    expect(refused.status).toBe(402);
    expect(await fixture.store.listRuns()).toEqual([]);
    expect(fixture.upstream.requests).toHaveLength(0);
  });
});
