import { afterEach, describe, expect, it, vi } from "vitest";
import { interruptRun, seedRun, tokens, type ViewerFixture, viewerGateway } from "./support/viewer-gateway.ts";

let fixture: ViewerFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const ids = (list: { data: { id: string }[] }) => list.data.map((run) => run.id);

/** Reads SSE `run` events from a streamed response until `count` arrived, then drops the connection. */
async function readRunEvents(response: Response, count: number): Promise<{ event: string; data: string }[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: { event: string; data: string }[] = [];
  let buffered = "";
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    let end = buffered.indexOf("\n\n");
    while (end >= 0) {
      const frame = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (event && data) events.push({ event, data });
      end = buffered.indexOf("\n\n");
    }
  }
  await reader.cancel();
  return events;
}

describe("GET /v1/runs for the viewer", () => {
  it("filters by status, model and task text, pages with before and has_more, each key its own runs", async () => {
    fixture = await viewerGateway();
    const { keys } = fixture;
    const first = await seedRun(fixture, { task: "Fix the login bug", ownerKeyId: keys.alice.id, status: "succeeded" });
    const second = await seedRun(fixture, {
      task: "write release notes",
      ownerKeyId: keys.alice.id,
      model: "deepseek-v4-pro",
      status: "failed",
    });
    const third = await seedRun(fixture, { task: "fix the parser", ownerKeyId: keys.alice.id, status: "succeeded" });
    const bobs = await seedRun(fixture, { task: "fix bob's thing", ownerKeyId: keys.bob.id });

    const all = await fixture.json(keys.alice.key, "/v1/runs");
    expect(ids(all)).toEqual([third.id, second.id, first.id]);
    expect(all.has_more).toBe(false);
    expect(ids(await fixture.json(keys.alice.key, "/v1/runs?status=succeeded"))).toEqual([third.id, first.id]);
    expect(ids(await fixture.json(keys.alice.key, "/v1/runs?model=deepseek-v4-pro"))).toEqual([second.id]);
    expect(ids(await fixture.json(keys.alice.key, "/v1/runs?q=FIX"))).toEqual([third.id, first.id]);
    const page = await fixture.json(keys.alice.key, "/v1/runs?limit=2");
    expect(ids(page)).toEqual([third.id, second.id]);
    expect(page.has_more).toBe(true);
    const next = await fixture.json(keys.alice.key, `/v1/runs?limit=2&before=${second.id}`);
    expect(ids(next)).toEqual([first.id]);
    expect(next.has_more).toBe(false);
    expect(ids(await fixture.json(keys.bob.key, "/v1/runs?q=fix"))).toEqual([bobs.id]);
  });

  it("lets only an admin key see every run and filter by key; a plain key naming another gets 403", async () => {
    fixture = await viewerGateway();
    const { keys } = fixture;
    const alices = await seedRun(fixture, { task: "a", ownerKeyId: keys.alice.id });
    const bobs = await seedRun(fixture, { task: "b", ownerKeyId: keys.bob.id });
    expect(ids(await fixture.json(keys.ops.key, "/v1/runs"))).toEqual([bobs.id, alices.id]);
    expect(ids(await fixture.json(keys.ops.key, `/v1/runs?key=${keys.alice.id}`))).toEqual([alices.id]);
    const refused = await fixture.request(keys.alice.key, `/v1/runs?key=${keys.bob.id}`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: unknown }).error).toMatchObject({
      code: "permission_denied",
      param: "key",
    });
    expect(ids(await fixture.json(keys.alice.key, `/v1/runs?key=${keys.alice.id}`))).toEqual([alices.id]);
    const badStatus = await fixture.request(keys.alice.key, "/v1/runs?status=sleeping");
    expect(badStatus.status).toBe(400);
    expect(((await badStatus.json()) as { error: { message: string } }).error.message).toContain("interrupted");
  });

  it("shows a run whose process is gone as interrupted, and filters on that shown status", async () => {
    fixture = await viewerGateway();
    const { keys } = fixture;
    const gone = await seedRun(fixture, { task: "killed mid-run", ownerKeyId: keys.alice.id });
    await interruptRun(fixture, gone.id);
    const queued = await seedRun(fixture, { task: "waiting", ownerKeyId: keys.alice.id });
    const interrupted = await fixture.json(keys.alice.key, "/v1/runs?status=interrupted");
    expect(ids(interrupted)).toEqual([gone.id]);
    expect(interrupted.data[0]).toMatchObject({ status: "interrupted", key_id: keys.alice.id });
    expect(ids(await fixture.json(keys.alice.key, "/v1/runs?status=running"))).toEqual([]);
    expect(ids(await fixture.json(keys.alice.key, "/v1/runs?status=queued"))).toEqual([queued.id]);
    expect((await fixture.json(keys.alice.key, `/v1/runs/${gone.id}`)).status).toBe("interrupted");
  });

  it("gives each run its owner key, duration and usage with cost as a decimal string", async () => {
    fixture = await viewerGateway();
    const { keys } = fixture;
    const run = await seedRun(fixture, {
      task: "t",
      ownerKeyId: keys.alice.id,
      steps: [{ usage: tokens(896, 104, 50, 20), costUsd: "0.000123" }],
      status: "succeeded",
    });
    const shown = (await fixture.json(keys.alice.key, "/v1/runs")).data[0];
    expect(shown).toMatchObject({
      id: run.id,
      key_id: keys.alice.id,
      duration_ms: Date.parse(run.updatedAt) - Date.parse(run.createdAt),
      cost_usd: "0.000123",
      usage: { prompt_tokens: 1000, completion_tokens: 50, prompt_cache_hit_tokens: 896, cost_usd: "0.000123" },
    });
    expect(shown.usage.completion_tokens_details.reasoning_tokens).toBe(20);
  });

  it("streams new runs and status changes of the caller's runs only, and stops polling once the client leaves", async () => {
    fixture = await viewerGateway();
    const { keys, store } = fixture;
    const listRuns = vi.spyOn(store, "listRuns");
    const response = await fixture.request(keys.alice.key, "/v1/runs?stream=true");
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reading = readRunEvents(response, 3);
    await seedRun(fixture, { task: "bob's, not shown to alice", ownerKeyId: keys.bob.id });
    const created = await seedRun(fixture, { task: "alice's new run", ownerKeyId: keys.alice.id });
    await new Promise((resolve) => setTimeout(resolve, 700));
    await store.setRunStatus(created.id, "running");
    await new Promise((resolve) => setTimeout(resolve, 700));
    await store.setRunStatus(created.id, "succeeded", { output: "done" });
    const events = await reading;
    expect(events.map((event) => event.event)).toEqual(["run", "run", "run"]);
    expect(events.map((event) => JSON.parse(event.data).status)).toEqual(["queued", "running", "succeeded"]);
    expect(events.every((event) => JSON.parse(event.data).id === created.id)).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, 600));
    const pollsAfterLeaving = listRuns.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(listRuns.mock.calls.length).toBe(pollsAfterLeaving);
  });

  it("streams from a list's as_of, so a change made between the list and the stream still arrives", async () => {
    fixture = await viewerGateway();
    const { keys, store } = fixture;
    const run = await seedRun(fixture, { task: "changed in between", ownerKeyId: keys.alice.id });
    const list = (await (await fixture.request(keys.alice.key, "/v1/runs")).json()) as { as_of: string };
    expect(Date.parse(list.as_of)).not.toBeNaN();
    await store.setRunStatus(run.id, "running");
    const response = await fixture.request(
      keys.alice.key,
      `/v1/runs?stream=true&since=${encodeURIComponent(list.as_of)}`,
    );
    const [event] = await readRunEvents(response, 1);
    expect(JSON.parse(event!.data)).toMatchObject({ id: run.id, status: "running" });

    const refused = await fixture.request(keys.alice.key, "/v1/runs?stream=true&since=yesterday");
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { param: string } }).error.param).toBe("since");
  });
});
