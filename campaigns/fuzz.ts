import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { settingsSchema } from "../src/config/settings-schema.ts";
import { SqliteStore } from "../src/store/sqlite-store.ts";
import { startDeepSeekServer } from "../test/support/deepseek-server/index.ts";
import { startCampaignGateway } from "./campaign-model-resolver.ts";
import { problemsOf } from "./fuzz-checks.ts";
import { rawExchange } from "./fuzz-raw-exchange.ts";
import { type FuzzRequest, type FuzzTarget, fuzzRequestArbitrary, requestBytes } from "./fuzz-requests.ts";

export interface FuzzCampaignOptions {
  /** How many generated requests to send; default 1,000. */
  requests?: number;
  /** fast-check's seed, to replay a run; default random. */
  seed?: number;
  /** /health is asked every this many requests (and at the end); default 50. */
  healthEvery?: number;
}

/** One request that broke a promise, as sent, for the report. */
export interface FuzzFailure {
  problems: string[];
  method: string;
  path: string;
  host: string | undefined;
  origin: string | undefined;
  contentType: string | undefined;
  extraHeaders: [string, string][];
  framing: string;
  bodyKind: string;
  bodyStart: string;
  status: number | undefined;
  answerStart: string;
}

export interface FuzzReport {
  seed: number;
  requests: number;
  failures: number;
  /** The first failures in full (at most 20). */
  failureSamples: FuzzFailure[];
  serverErrors: number;
  statuses: Record<string, number>;
  bodyKinds: Record<string, number>;
  healthChecks: number;
  healthFailures: number;
  /** The gateway answered /health once the campaign was over. */
  healthyAfter: boolean;
  rssBeforeMegabytes: number;
  rssAfterMegabytes: number;
  /** The JS heap in use before and after, each after a full collection. */
  heapBeforeMegabytes: number;
  heapAfterMegabytes: number;
  seconds: number;
  requestsPerSecond: number;
}

const upstreamApiKey = "sk-fuzz-upstream";
const answerTimeoutMilliseconds = 10_000;
// A full collection before each measure, so the heap figures show what is kept, not what awaits collection.
v8.setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;
const memory = () => {
  collectGarbage();
  return process.memoryUsage();
};
const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const count = (tally: Record<string, number>, key: string) => {
  tally[key] = (tally[key] ?? 0) + 1;
};

/**
 * Sends fast-check-generated requests (methods, paths, Host and Origin headers, content types, bodies that are
 * random, deep, mistyped, truncated or not UTF-8) over raw TCP to a real gateway on 127.0.0.1 with a fake
 * DeepSeek behind it, and checks each answer: below 500, the status the request's flaws call for, and every
 * error in OpenAI's format. The gateway must still answer /health all along.
 */
export async function runFuzzCampaign(options: FuzzCampaignOptions = {}): Promise<FuzzReport> {
  const requests = options.requests ?? 1_000;
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const healthEvery = options.healthEvery ?? 50;
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-fuzz-"));
  const upstream = await startDeepSeekServer({ apiKey: upstreamApiKey, fallback: () => ({ content: "ok" }) });
  const store = new SqliteStore(":memory:");
  const trustedOrigin = "https://trusted.example";
  const allowedHostName = "gateway.test";
  const settings = settingsSchema.parse({
    models: [
      { id: "deepseek-v4-flash", baseUrl: upstream.url },
      { id: "deepseek-chat", baseUrl: upstream.url },
    ],
    agents: { helper: { instructions: "Answer briefly.", model: "deepseek-v4-flash", tools: [], maxSteps: 2 } },
    server: { allowedOrigins: [trustedOrigin], allowedHosts: [allowedHostName] },
  });
  const bodyLimitBytes = 64 * 1024;
  const server = await startCampaignGateway(store, settings, {
    apiKey: upstreamApiKey,
    home: folder,
    server: { bodyLimitBytes },
  });
  const target: FuzzTarget = { port: server.port, trustedOrigin, allowedHostName, agentName: "helper", bodyLimitBytes };
  const health = Buffer.from(`GET /health HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`);
  const isHealthy = async () =>
    (await rawExchange(server.port, health, answerTimeoutMilliseconds)).answer?.status === 200;

  const statuses: Record<string, number> = {};
  const bodyKinds: Record<string, number> = {};
  const failureSamples: FuzzFailure[] = [];
  let failures = 0;
  let serverErrors = 0;
  let sent = 0;
  let healthChecks = 0;
  let healthFailures = 0;
  let healthyAfter = false;
  let seconds = 0;
  let after = process.memoryUsage();
  const before = memory();
  const started = performance.now();
  try {
    const property = fc.asyncProperty(fuzzRequestArbitrary(target), async (request: FuzzRequest) => {
      const exchange = await rawExchange(server.port, requestBytes(request), answerTimeoutMilliseconds);
      sent++;
      count(statuses, String(exchange.answer?.status ?? "none"));
      count(bodyKinds, request.bodyKind);
      if ((exchange.answer?.status ?? 0) >= 500) serverErrors++;
      const problems = problemsOf(request, exchange, target);
      if (sent % healthEvery === 0) {
        healthChecks++;
        if (!(await isHealthy())) {
          healthFailures++;
          problems.push("the gateway stopped answering /health");
        }
      }
      if (problems.length === 0) return;
      failures++;
      if (failureSamples.length < 20) {
        failureSamples.push({
          problems,
          method: request.method,
          path: request.path,
          host: request.host,
          origin: request.origin,
          contentType: request.contentType,
          extraHeaders: request.extraHeaders,
          framing: request.framing,
          bodyKind: request.bodyKind,
          bodyStart: request.body?.subarray(0, 160).toString("utf8") ?? "",
          status: exchange.answer?.status,
          answerStart: exchange.answer?.body.subarray(0, 300).toString("utf8") ?? "",
        });
      }
    });
    // Every request is checked and tallied (the property records instead of failing), so one run counts them all.
    await fc.assert(property, { numRuns: requests, seed, endOnFailure: true });
    await server.gateway.agents?.settled();
  } finally {
    seconds = (performance.now() - started) / 1000;
    after = memory();
    healthyAfter = await isHealthy();
    await server.close();
    await upstream.close();
    store.close();
    rmSync(folder, { recursive: true, force: true });
  }
  return {
    seed,
    requests: sent,
    failures,
    failureSamples,
    serverErrors,
    statuses,
    bodyKinds,
    healthChecks,
    healthFailures,
    healthyAfter,
    rssBeforeMegabytes: megabytes(before.rss),
    rssAfterMegabytes: megabytes(after.rss),
    heapBeforeMegabytes: megabytes(before.heapUsed),
    heapAfterMegabytes: megabytes(after.heapUsed),
    seconds: Math.round(seconds * 10) / 10,
    requestsPerSecond: Math.round(sent / seconds),
  };
}

function printReport(report: FuzzReport): void {
  const rows: [string, string | number][] = [
    ["seed", report.seed],
    ["requests", report.requests],
    ["failures", report.failures],
    ["5xx answers", report.serverErrors],
    ["/health checks (failed)", `${report.healthChecks} (${report.healthFailures})`],
    ["healthy after", report.healthyAfter ? "yes" : "no"],
    ["RSS before / after", `${report.rssBeforeMegabytes} MB / ${report.rssAfterMegabytes} MB`],
    ["JS heap before / after", `${report.heapBeforeMegabytes} MB / ${report.heapAfterMegabytes} MB`],
    ["time", `${report.seconds} s`],
    ["requests/s", report.requestsPerSecond],
    [
      "statuses",
      Object.entries(report.statuses)
        .sort()
        .map(([status, n]) => `${status}: ${n}`)
        .join(", "),
    ],
    [
      "body kinds",
      Object.entries(report.bodyKinds)
        .sort()
        .map(([kind, n]) => `${kind}: ${n}`)
        .join(", "),
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(
    `campaign:fuzz\n${rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`).join("\n")}\n`,
  );
  if (report.failureSamples.length > 0) {
    process.stdout.write(`first failures:\n${JSON.stringify(report.failureSamples, null, 2)}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const requests = Number(process.env.FUZZ_REQUESTS ?? 2_000);
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  const report = await runFuzzCampaign({ requests, seed });
  printReport(report);
  process.exitCode = report.failures === 0 && report.healthyAfter ? 0 : 1;
}
