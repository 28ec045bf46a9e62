import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Usd } from "../../src/cost/usd.ts";
import { startTelemetry } from "../../src/telemetry/start-telemetry.ts";
import type { Telemetry } from "../../src/telemetry/telemetry.ts";
import { type GatewayFixture, startGatewayFixture, upstreamApiKey } from "../server/support/gateway-fixture.ts";
import { childrenOf, type ReceivedSpan, startOtlpReceiver } from "./otlp-receiver.ts";

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let telemetry: Telemetry;
let fixture: GatewayFixture;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  telemetry = startTelemetry({
    tracesUrl: `${receiver.url}/v1/traces`,
    headers: {},
    captureContent: false,
    serviceName: "tansuo-gateway-test",
  });
  fixture = await startGatewayFixture({
    upstream: {
      script: [
        { content: "plain answer", usage: { promptTokens: 120, cacheHitTokens: 64, completionTokens: 7 } },
        { content: "streamed answer", usage: { promptTokens: 200, cacheHitTokens: 128, completionTokens: 9 } },
        { status: 500, message: "upstream broke" },
      ],
    },
    gateway: { requestTracing: telemetry.requests },
  });
});
afterAll(async () => {
  await fixture.close();
  await receiver.close();
});

// A caller's W3C trace context: the gateway's spans join that trace, under the caller's span.
const callerTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const callerSpanId = "00f067aa0ba902b7";

const post = (body: Record<string, unknown>) =>
  fetch(`${fixture.server.url}/v1/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: "Bearer local",
      "user-agent": "span-test/1",
      traceparent: `00-${callerTraceId}-${callerSpanId}-01`,
    },
    body: JSON.stringify({ model: "deepseek-v4-flash", messages: [{ role: "user", content: "hi" }], ...body }),
  });

describe("OpenTelemetry spans of gateway requests", () => {
  it("makes each chat completion a server span with its upstream call as a chat span under it", async () => {
    const plain = await post({});
    expect(plain.status).toBe(200);
    await plain.json();
    const streamed = await post({ stream: true, stream_options: { include_usage: true } });
    expect(streamed.status).toBe(200);
    await streamed.text();
    const failed = await post({});
    expect(failed.status).toBeGreaterThanOrEqual(500);
    await failed.text();
    // The streamed span ends when its Node response closes; shutdown exports whatever has ended.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await telemetry.shutdown();

    const requests = receiver.spans
      .filter((span) => span.name === "POST /v1/chat/completions")
      .sort((left, right) => (left.startNanos < right.startNanos ? -1 : 1));
    expect(requests).toHaveLength(3);
    const chatOf = (request: ReceivedSpan) => {
      const children = childrenOf(receiver.spans, request);
      expect(children.map((span) => span.name)).toEqual(["chat deepseek-v4-flash"]);
      return children[0]!;
    };
    for (const request of requests) {
      expect(request.kind).toBe(2);
      expect(request.traceId).toBe(callerTraceId);
      expect(request.parentSpanId).toBe(callerSpanId);
      expect(request.resource["service.name"]).toBe("tansuo-gateway-test");
      expect(request.attributes).toMatchObject({
        "http.request.method": "POST",
        "http.route": "/v1/chat/completions",
        "url.path": "/v1/chat/completions",
        "server.address": "127.0.0.1",
        "user_agent.original": "span-test/1",
      });
    }
    const [plainSpan, streamedSpan, failedSpan] = requests;
    expect(plainSpan!.attributes["http.response.status_code"]).toBe(200);
    expect(streamedSpan!.attributes["http.response.status_code"]).toBe(200);
    expect(failedSpan!.attributes["http.response.status_code"]).toBe(failed.status);

    // Token counts as the upstream was scripted to report them, and the cost as the ledger recorded it.
    const ledger = await fixture.store.usageRows();
    const plainChat = chatOf(plainSpan!);
    const streamedChat = chatOf(streamedSpan!);
    expect(plainChat.kind).toBe(3);
    expect(plainChat.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "deepseek",
      "gen_ai.request.model": "deepseek-v4-flash",
      "gen_ai.usage.input_tokens": 120,
      "gen_ai.usage.output_tokens": 7,
      "gen_ai.usage.cache_read.input_tokens": 64,
    });
    expect(streamedChat.attributes).toMatchObject({
      "gen_ai.usage.input_tokens": 200,
      "gen_ai.usage.output_tokens": 9,
      "gen_ai.usage.cache_read.input_tokens": 128,
    });
    expect(streamedChat.startNanos >= streamedSpan!.startNanos).toBe(true);
    const totalInSpans = [plainChat, streamedChat].map((span) => span.attributes["tansuo.cost_usd"]);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]!.requests).toBe(2);
    expect(Usd.add(String(totalInSpans[0]), String(totalInSpans[1]))).toBe(ledger[0]!.costUsd);

    // A failed upstream call: both spans ERROR with an exception event; no key or Authorization in any attribute.
    const failedChat = chatOf(failedSpan!);
    expect(failedSpan!.status.code).toBe(2);
    expect(failedSpan!.events.map((event) => event.name)).toEqual(["exception"]);
    expect(failedChat.status.code).toBe(2);
    expect(failedChat.events.map((event) => event.name)).toEqual(["exception"]);
    const everything = JSON.stringify(receiver.spans.map((span) => [span.attributes, span.events]));
    expect(everything).not.toContain(upstreamApiKey);
    expect(everything).not.toContain("Bearer");
  });
});
