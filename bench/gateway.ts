import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { childCpuMicroseconds, startChild, stopChild } from "./gateway/child-process.ts";
import { directTarget, gatewayTarget } from "./gateway/gateway-target.ts";
import { percentile, streamingLoad } from "./gateway/streaming-load.ts";

/**
 * The latency the gateway adds over calling the same local upstream directly, measured in one run:
 * an instant streaming upstream and the gateway each run in their own process, and this process drives
 * 1, 10 and 100 concurrent streaming clients straight at the upstream and through the gateway.
 * The gateway is measured as shipped (the provider's node:http transport) and with the same provider model given
 * the global fetch (undici), to show what the transport costs. Prints p50/p99 added milliseconds, requests per
 * second and the gateway's CPU time per request, and writes them into docs/performance.md. Run with
 * `npx tsx bench/gateway.ts`; bounded by request counts (about a minute on two cores).
 */
const here = import.meta.dirname;
const levels = [
  { concurrency: 1, requests: 3000 },
  { concurrency: 10, requests: 3000 },
  { concurrency: 100, requests: 5000 },
];
const warmupRequests = 2000;
const transports = [
  { name: "shipped", label: "as shipped (node:http to the upstream)" },
  { name: "global-fetch", label: "same, upstream through the global fetch (undici)" },
];

const round = (value: number) => Number(value.toFixed(2));

interface Row {
  transport: string;
  concurrency: number;
  requests: number;
  direct: string;
  gateway: string;
  addedP50: number;
  addedP99: number;
  directRps: number;
  gatewayRps: number;
  gatewayCpuPerRequest: number;
}

async function measureTransport(upstreamUrl: string, transport: { name: string; label: string }): Promise<Row[]> {
  const gateway = await startChild<{ url: string; key: string }>(path.join(here, "gateway/gateway-process.ts"), [
    upstreamUrl,
    transport.name,
  ]);
  const direct = directTarget(upstreamUrl);
  const through = gatewayTarget(gateway.info);
  const rows: Row[] = [];
  try {
    await streamingLoad(direct, 10, warmupRequests);
    const warm = await streamingLoad(through, 10, warmupRequests);
    if (!warm.sample.includes("token19") || !warm.sample.includes("[DONE]") || !warm.sample.includes('"usage"')) {
      throw new Error(`the gateway's stream is incomplete: ${warm.sample.slice(0, 300)}`);
    }
    for (const { concurrency, requests } of levels) {
      const straight = await streamingLoad(direct, concurrency, requests);
      const cpuBefore = await childCpuMicroseconds(gateway.child);
      const proxied = await streamingLoad(through, concurrency, requests);
      const cpuAfter = await childCpuMicroseconds(gateway.child);
      const [directP50, directP99] = [percentile(straight.latencies, 0.5), percentile(straight.latencies, 0.99)];
      const [gatewayP50, gatewayP99] = [percentile(proxied.latencies, 0.5), percentile(proxied.latencies, 0.99)];
      const row: Row = {
        transport: transport.label,
        concurrency,
        requests,
        direct: `${round(directP50)} / ${round(directP99)}`,
        gateway: `${round(gatewayP50)} / ${round(gatewayP99)}`,
        addedP50: round(gatewayP50 - directP50),
        addedP99: round(gatewayP99 - directP99),
        directRps: Math.round((requests / straight.elapsedMilliseconds) * 1000),
        gatewayRps: Math.round((requests / proxied.elapsedMilliseconds) * 1000),
        gatewayCpuPerRequest: round((cpuAfter - cpuBefore) / 1000 / requests),
      };
      rows.push(row);
      process.stdout.write(
        `${transport.name}, ${concurrency} clients: added p50 ${row.addedP50} ms, p99 ${row.addedP99} ms; ` +
          `gateway ${row.gatewayRps} req/s (direct ${row.directRps} req/s), gateway CPU ${row.gatewayCpuPerRequest} ms/request\n`,
      );
    }
  } finally {
    await stopChild(gateway.child);
  }
  return rows;
}

const loadAtStart = os.loadavg()[0]?.toFixed(1);

async function main() {
  const upstream = await startChild<{ url: string }>(path.join(here, "gateway/instant-upstream.ts"));
  const rows: Row[] = [];
  try {
    for (const transport of transports) rows.push(...(await measureTransport(upstream.info.url, transport)));
  } finally {
    await stopChild(upstream.child);
  }
  const cpu = os.cpus();
  const load = os.loadavg()[0]?.toFixed(1);
  const machine =
    `${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}, ${os.platform()}; ` +
    `load average ${loadAtStart} at the start and ${load} at the end (other work on the machine inflates latency)`;
  const table = [
    "| gateway | clients | requests | direct p50 / p99 ms | gateway p50 / p99 ms | **added p50 / p99 ms** | direct req/s | gateway req/s | gateway CPU ms/request |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (row) =>
        `| ${row.transport} | ${row.concurrency} | ${row.requests} | ${row.direct} | ${row.gateway} | **${row.addedP50} / ${row.addedP99}** | ${row.directRps} | ${row.gatewayRps} | ${row.gatewayCpuPerRequest} |`,
    ),
  ].join("\n");
  process.stdout.write(`\n${table}\n`);
  writeFigures(`Latest run: ${new Date().toISOString().slice(0, 10)}, ${machine}.\n\n${table}`);
}

const startMarker = "<!-- gateway-benchmark:start -->";
const endMarker = "<!-- gateway-benchmark:end -->";

/** Replaces the figures between the markers in docs/performance.md, keeping the rest of the file. */
function writeFigures(figures: string) {
  const file = path.join(here, "../docs/performance.md");
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Performance\n";
  const block = `${startMarker}\n${figures}\n${endMarker}`;
  const start = current.indexOf(startMarker);
  const end = current.indexOf(endMarker);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + block + current.slice(end + endMarker.length)
      : `${current.trimEnd()}\n\n## Gateway overhead (bench/gateway.ts)\n\n${block}\n`;
  writeFileSync(file, next);
}

await main();
