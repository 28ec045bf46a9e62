import { afterEach, describe, expect, it } from "vitest";
import { createRuntime, runWorker } from "../../src/agent/index.ts";
import { issueApiKey } from "../../src/server/index.ts";
import type { RunRecord } from "../../src/store/records.ts";
import { waitFor } from "../support/cli-process.ts";
import { type GatewayFixture, startGatewayFixture } from "./support/gateway-fixture.ts";
import { SseReader } from "./support/sse-reader.ts";

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const opsAgent = {
  ops: { instructions: "Run the commands the task needs.", model: "deepseek-v4-flash", tools: ["run_command"] },
};

async function start(settings: Record<string, unknown>, approval: "ask" | "auto") {
  let key = "";
  fixture = await startGatewayFixture({
    settings: { agents: { ops: { ...opsAgent.ops, approval } }, ...settings },
    upstream: {
      script: [
        { toolCalls: [{ name: "run_command", arguments: { command: "echo queued-output" } }] },
        { content: "It printed queued-output." },
      ],
    },
    prepare: async (store) => {
      key = (await issueApiKey(store, { name: "alice" })).key;
    },
  });
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const url = fixture.server.url;
  return {
    fixture,
    post: async (path: string, body: unknown) =>
      (await fetch(`${url}${path}`, { method: "POST", headers, body: JSON.stringify(body) })).json() as Promise<{
        id: string;
        status: string;
      }>,
    get: (path: string) => fetch(`${url}${path}`, { headers }),
    status: async (id: string) => (await fixture!.store.getRun(id))?.status,
  };
}

const idle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe("runs left for workers (issue 13)", () => {
  it("POST /v1/runs with queue: true stays queued until a worker runs it; an approval queues it for workers again", async () => {
    const { fixture, post, get, status } = await start({}, "ask");
    const created = await post("/v1/runs", { agent: "ops", task: "Print queued-output.", queue: true });
    expect(created.status).toBe("queued");
    await idle();
    expect(await status(created.id)).toBe("queued");
    expect(fixture.upstream.requests.length).toBe(0);

    // The worker's own runtime, as in another process: nothing it emits reaches the gateway's event bus.
    const gatewayRuntime = fixture.server.gateway.agents!.runtime;
    const workerRuntime = createRuntime({ store: fixture.store, resolveModel: gatewayRuntime.resolveModel });
    const follower = new SseReader(await get(`/v1/runs/${created.id}/events`));
    const stop = new AbortController();
    const finished: RunRecord[] = [];
    const worker = runWorker(workerRuntime, {
      concurrency: 2,
      stop: stop.signal,
      idleMilliseconds: 20,
      onFinished: (run) => finished.push(run),
    });
    // Nobody at a terminal: the call that needs a person leaves the run waiting, as in the gateway.
    await waitFor(() => finished.length === 1, 10_000);
    expect(finished[0]!.status).toBe("awaiting_approval");

    const approved = await post(`/v1/runs/${created.id}/approve`, { approve: true });
    expect(approved.status).toBe("queued");
    await waitFor(() => finished.length === 2, 10_000);
    expect(finished[1]).toMatchObject({ id: created.id, status: "succeeded", output: "It printed queued-output." });
    stop.abort();
    expect(await worker).toEqual({ claimed: 2 });
    // Followed on the gateway from the stored events, to the end.
    const events = await follower.rest();
    expect(events.filter((event) => event.event === "status").map((event) => JSON.parse(event.data).status)).toEqual([
      "running",
      "awaiting_approval",
      "running",
      "succeeded",
    ]);
    expect(events.at(-1)?.event).toBe("finished");
    expect((await fixture.store.getRun(created.id))?.leaseOwner).toBeUndefined();
  });

  it("server.runsOnWorkers leaves every run started through POST /v1/runs for workers", async () => {
    const { fixture, post, status } = await start({ server: { runsOnWorkers: true } }, "auto");
    const created = await post("/v1/runs", { agent: "ops", task: "Print queued-output." });
    expect(created.status).toBe("queued");
    await idle();
    expect(await status(created.id)).toBe("queued");
    expect(fixture.upstream.requests.length).toBe(0);
    expect((await fixture.store.getRun(created.id))?.settings.onWorkers).toBe(true);
  });
});
