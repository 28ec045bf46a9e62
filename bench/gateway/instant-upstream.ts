import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An OpenAI-format upstream that answers every streaming chat request at once with the same 20 content chunks,
 * a finish chunk, a usage chunk and [DONE]: no model time, so what is measured is HTTP and the gateway.
 * Run as a child process; prints `{"url": ...}` when listening.
 */
const envelope = { id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1_700_000_000, model: "bench" };
const frame = (chunk: unknown) => `data: ${JSON.stringify(chunk)}\n\n`;
const pieces = Array.from({ length: 20 }, (_, index) => `token${index} `);
const body = [
  frame({ ...envelope, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] }),
  ...pieces.map((piece) =>
    frame({ ...envelope, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] }),
  ),
  frame({ ...envelope, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }),
  frame({
    ...envelope,
    choices: [],
    usage: {
      prompt_tokens: 20,
      completion_tokens: 20,
      total_tokens: 40,
      prompt_cache_hit_tokens: 0,
      prompt_cache_miss_tokens: 20,
    },
  }),
  "data: [DONE]\n\n",
].join("");

export const expectedContent = pieces.join("");

const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
