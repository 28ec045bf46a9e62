import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type GatewayFixture, startGatewayFixture } from "./support/gateway-fixture.ts";

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

/** Writes raw bytes and reads the status and JSON body of what comes back before the server closes. */
function exchange(port: number, bytes: string): Promise<{ status: number; error: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(bytes));
    let text = "";
    socket.on("data", (data) => {
      text += data.toString("utf8");
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
      resolve({ status, error: JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)).error });
    });
  });
}

describe("requests Node refuses before the gateway sees them are still answered in OpenAI's format", () => {
  it("garbage, oversized headers, CONNECT, an unmet Expect and a missing Host", async () => {
    fixture = await startGatewayFixture();
    const port = fixture.server.port;
    const host = `Host: 127.0.0.1:${port}\r\n`;
    const cases: [string, number, string][] = [
      ["NOT HTTP AT ALL\r\n\r\n", 400, "invalid_http"],
      [`GET /health HTTP/1.1\r\n${host}X-Big: ${"a".repeat(20_000)}\r\n\r\n`, 431, "headers_too_large"],
      [`CONNECT 127.0.0.1:22 HTTP/1.1\r\n${host}\r\n`, 405, "method_not_allowed"],
      [`GET /health HTTP/1.1\r\n${host}Expect: 200-ok\r\nConnection: close\r\n\r\n`, 417, "expectation_failed"],
      ["GET /health HTTP/1.1\r\nConnection: close\r\n\r\n", 400, "invalid_request_line"],
    ];
    for (const [bytes, status, code] of cases) {
      const answer = await exchange(port, bytes);
      expect({ status: answer.status, code: answer.error.code }).toEqual({ status, code });
      expect(typeof answer.error.message).toBe("string");
    }
    expect((await fetch(`${fixture.server.url}/health`)).status).toBe(200);
  });
});
