import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { issueApiKey } from "../../src/server/index.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { cliSandbox, spawnCli, waitFor } from "../support/cli-process.ts";
import { chatRequestsAcross, countingUpstream } from "../support/counting-upstream.ts";

const upstreamKey = "sk-key-limits-race-000777";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `tansuo serve` as its own process on the shared home (and so the shared database file). */
async function startGateway(home: string, folder: string): Promise<{ url: string; kill: () => Promise<void> }> {
  const child = spawnCli(["serve", "--port", "0"], {
    env: { TANSUO_HOME: home, DEEPSEEK_API_KEY: upstreamKey },
    cwd: folder,
  });
  cleanups.push(async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await child.result;
    }
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  await waitFor(() => /listening on (http:\/\/\S+) /.test(output));
  const kill = async () => {
    child.kill("SIGKILL");
    await child.result;
  };
  return { url: /listening on (http:\/\/\S+) /.exec(output)![1]!, kill };
}

/** Two `tansuo serve` processes on one SQLite file, with a key made before they start. */
async function twoGateways(delayMs: number, limits: { requestsPerMinute?: number; concurrency?: number }) {
  const upstream = await countingUpstream(upstreamKey, delayMs);
  const sandbox = cliSandbox();
  mkdirSync(sandbox.home, { recursive: true });
  cleanups.push(
    () => upstream.server.close(),
    () => rmSync(sandbox.folder, { recursive: true, force: true }),
  );
  writeFileSync(
    path.join(sandbox.home, "config.json"),
    JSON.stringify({ models: [{ id: "deepseek-v4-flash", baseUrl: upstream.server.url }] }),
  );
  const setup = new SqliteStore(path.join(sandbox.home, "tansuo.db"));
  const { key } = await issueApiKey(setup, { name: "limited", ...limits });
  await setup.close();
  const gateways = await Promise.all([
    startGateway(sandbox.home, sandbox.folder),
    startGateway(sandbox.home, sandbox.folder),
  ]);
  return { key, urls: gateways.map((gateway) => gateway.url), gateways, upstream };
}

describe("one key's rpm and concurrency across two gateway processes on one SQLite file", () => {
  it("a key with requestsPerMinute 10 gets exactly 10 of 40 concurrent requests answered across both", async () => {
    const { key, urls, upstream } = await twoGateways(20, { requestsPerMinute: 10 });
    const answers = await chatRequestsAcross(urls, key, 40);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(10);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused).toHaveLength(30);
    for (const answer of refused) expect(answer.code).toBe("rate_limit_exceeded");
    expect(upstream.answered()).toBe(10);
  }, 90_000);

  it("a key with concurrency 2 never has more than 2 requests at the upstream across both", async () => {
    const { key, urls, upstream } = await twoGateways(150, { concurrency: 2 });
    const answers = [];
    for (let wave = 0; wave < 4; wave++) answers.push(...(await chatRequestsAcross(urls, key, 12)));
    const answered = answers.filter((answer) => answer.status === 200);
    expect(answered.length).toBeGreaterThanOrEqual(4);
    for (const answer of answers.filter((each) => each.status !== 200)) {
      expect(answer).toMatchObject({ status: 429, code: "concurrency_limit_exceeded", retryAfter: "1" });
    }
    expect(upstream.answered()).toBe(answered.length);
    expect(upstream.mostAtOnce()).toBe(2);
  }, 90_000);

  it("a gateway killed while it holds a slot does not keep it: the other gateway takes it back", async () => {
    const { key, urls, gateways, upstream } = await twoGateways(2_000, { concurrency: 1 });
    const held = chatRequestsAcross([urls[0]!], key, 1).catch(() => []);
    await waitFor(() => upstream.answered() === 1);
    expect(await chatRequestsAcross([urls[1]!], key, 1)).toMatchObject([
      { status: 429, code: "concurrency_limit_exceeded" },
    ]);
    await gateways[0]!.kill();
    await held;
    // Its pid is gone on this machine: the slot comes back at once, without waiting for its lease to lapse.
    expect(await chatRequestsAcross([urls[1]!], key, 1)).toMatchObject([{ status: 200 }]);
  }, 90_000);
});
