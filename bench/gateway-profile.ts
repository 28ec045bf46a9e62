import { readFileSync } from "node:fs";
import path from "node:path";
import { askChild, startChild, stopChild } from "./gateway/child-process.ts";
import { gatewayTarget } from "./gateway/gateway-target.ts";
import { type CpuProfile, summariseProfile } from "./gateway/profile-summary.ts";
import { streamingLoad } from "./gateway/streaming-load.ts";

/**
 * Profiles the gateway process under the benchmark's load, after a warm-up: first its CPU time per request without
 * the profiler (user and system), then where the time goes with it (self time by module and function, and time
 * with each on the stack). Run with `npx tsx bench/gateway-profile.ts [shipped|global-fetch] [clients]`.
 */
const here = import.meta.dirname;
const [transport = "shipped", clients = "10"] = process.argv.slice(2);
const warmupRequests = 2000;
const requests = 5000;

const upstream = await startChild<{ url: string }>(path.join(here, "gateway/instant-upstream.ts"));
const gateway = await startChild<{ url: string; key: string }>(path.join(here, "gateway/gateway-process.ts"), [
  upstream.info.url,
  transport,
]);
let file: string;
try {
  const target = gatewayTarget(gateway.info);
  await streamingLoad(target, Number(clients), warmupRequests);
  const before = await askChild<NodeJS.CpuUsage>(gateway.child, "cpu-usage");
  const unprofiled = await streamingLoad(target, Number(clients), requests);
  const after = await askChild<NodeJS.CpuUsage>(gateway.child, "cpu-usage");
  const perRequest = (micro: number) => (micro / 1000 / requests).toFixed(3);
  process.stdout.write(
    `unprofiled: ${Math.round((requests / unprofiled.elapsedMilliseconds) * 1000)} req/s, gateway CPU per request ` +
      `${perRequest(after.user - before.user)} ms user + ${perRequest(after.system - before.system)} ms system\n`,
  );
  await askChild(gateway.child, "profile-start");
  await streamingLoad(target, Number(clients), requests);
  ({ profile: file } = await askChild<{ profile: string }>(gateway.child, "profile-stop"));
} finally {
  await stopChild(gateway.child);
  await stopChild(upstream.child);
}
process.stdout.write(`${file} (${requests} requests, ${clients} clients)\n`);
process.stdout.write(summariseProfile(JSON.parse(readFileSync(file, "utf8")) as CpuProfile));
