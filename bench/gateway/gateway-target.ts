import type { LoadTarget } from "./streaming-load.ts";

/** The streaming chat request every benchmark client sends. */
export const requestBody = JSON.stringify({
  model: "deepseek-v4-flash",
  messages: [{ role: "user", content: "Say twenty tokens." }],
  stream: true,
  stream_options: { include_usage: true },
  max_tokens: 64,
});

const jsonHeaders = { "content-type": "application/json" };

/** The request straight at the instant upstream. */
export const directTarget = (upstreamUrl: string): LoadTarget => ({
  url: `${upstreamUrl}/chat/completions`,
  headers: jsonHeaders,
  body: requestBody,
});

/** The same request through the gateway, with the benchmark key. */
export const gatewayTarget = (gateway: { url: string; key: string }): LoadTarget => ({
  url: `${gateway.url}/v1/chat/completions`,
  headers: { ...jsonHeaders, authorization: `Bearer ${gateway.key}` },
  body: requestBody,
});
