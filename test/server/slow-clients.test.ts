import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type GatewayFixture, startGatewayFixture } from "./support/gateway-fixture.ts";

let fixture: GatewayFixture | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await fixture?.close();
  fixture = undefined;
});

interface Trickle {
  /** Sent at once. */
  head: string;
  /** Then sent one byte every 500 ms, as a slowloris client does. */
  trickle: string;
}

/** Trickles a request and resolves, when the server closes the connection, with what it answered and when. */
function trickle(port: number, request: Trickle): Promise<{ answer: string; seconds: number; bytesSent: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    sockets.push(socket);
    let answer = "";
    let bytesSent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on("connect", () => {
      socket.write(request.head);
      timer = setInterval(() => {
        if (bytesSent < request.trickle.length && socket.writable) socket.write(request.trickle[bytesSent++]!);
      }, 500);
    });
    socket.on("data", (data) => {
      answer += data.toString("utf8");
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ answer, seconds: (Date.now() - started) / 1000, bytesSent });
    });
    setTimeout(() => reject(new Error(`the server held the connection for 15 s (answer so far: ${answer})`)), 15_000);
  });
}

const short = { headersTimeoutMilliseconds: 1_500, requestTimeoutMilliseconds: 3_000 };

describe("slow clients", () => {
  it("reproduction 9: a body sent one byte every 500 ms is cut off with a 408 in OpenAI's format", async () => {
    fixture = await startGatewayFixture({ gateway: short });
    const host = `127.0.0.1:${fixture.server.port}`;
    const body = JSON.stringify({ model: "deepseek-v4-flash", messages: [{ role: "user", content: "x".repeat(200) }] });
    const result = await trickle(fixture.server.port, {
      head: `POST /v1/chat/completions HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      trickle: body,
    });
    expect(result.seconds).toBeLessThan(6);
    expect(result.bytesSent).toBeLessThan(body.length);
    expect(result.answer).toMatch(/^HTTP\/1\.1 408 /);
    const json = JSON.parse(result.answer.slice(result.answer.indexOf("\r\n\r\n") + 4));
    expect(json.error).toMatchObject({ type: "invalid_request_error", code: "request_timeout" });
    expect(fixture.upstream.requests).toHaveLength(0);
    expect((await fetch(`${fixture.server.url}/health`)).status).toBe(200);
  });

  it("headers sent one byte every 500 ms are cut off too", async () => {
    fixture = await startGatewayFixture({ gateway: short });
    const result = await trickle(fixture.server.port, {
      head: "GET /v1/models HTTP/1.1\r\n",
      trickle: `Host: 127.0.0.1:${fixture.server.port}\r\nX-Padding: ${"a".repeat(100)}\r\n\r\n`,
    });
    expect(result.seconds).toBeLessThan(4);
    expect(result.answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("a stream that takes longer than the request timeout is not cut: the timeout is for receiving the request", async () => {
    const timeouts = { headersTimeoutMilliseconds: 500, requestTimeoutMilliseconds: 1_000 };
    fixture = await startGatewayFixture({
      gateway: timeouts,
      upstream: { script: [{ content: "one two three four five six seven", chunkDelayMs: 250 }] },
    });
    const started = Date.now();
    const stream = await fixture.client().chat.completions.create({
      model: "deepseek-v4-flash",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(Date.now() - started).toBeGreaterThan(timeouts.requestTimeoutMilliseconds + 500);
    expect(text).toBe("one two three four five six seven");
  });

  it("closes a streamed answer's connection when the client asked for Connection: close", async () => {
    fixture = await startGatewayFixture({ upstream: { script: [{ content: "streamed" }] } });
    const body = JSON.stringify({
      model: "deepseek-v4-flash",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
    });
    const result = await trickle(fixture.server.port, {
      head:
        `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${fixture.server.port}\r\nConnection: close\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      trickle: "",
    });
    expect(result.answer).toContain("data: [DONE]");
    // Closed at the end of the answer, not after the 5 s keep-alive timeout.
    expect(result.seconds).toBeLessThan(2);
  });

  it("closes an idle keep-alive connection after the keep-alive timeout", async () => {
    fixture = await startGatewayFixture({ gateway: { keepAliveTimeoutMilliseconds: 500 } });
    const result = await trickle(fixture.server.port, {
      head: `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${fixture.server.port}\r\n\r\n`,
      trickle: "",
    });
    expect(result.answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(result.seconds).toBeLessThan(3);
  });
});
