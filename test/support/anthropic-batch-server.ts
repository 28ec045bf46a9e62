import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake model answers one Messages request of a batch with. */
export interface MessageBatchReply {
  text: string;
  usage: { inputTokens: number; cacheReadTokens: number; outputTokens: number };
}

export interface AnthropicBatchServerOptions {
  apiKey: string;
  answer(params: { model: string; messages: Array<{ role: string; content: unknown }> }): MessageBatchReply;
}

export interface AnthropicBatchServer {
  /** Base URL ending in /v1, as --base-url takes it for an Anthropic model. */
  readonly url: string;
  /** The `requests` array of each POST /v1/messages/batches. */
  readonly created: ReadonlyArray<Array<{ custom_id: string; params: Record<string, unknown> }>>;
  readonly polls: number;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

const invalid = (response: ServerResponse, status: number, message: string) =>
  send(response, status, { type: "error", error: { type: "invalid_request_error", message } });

/**
 * A local stand-in for Anthropic's Message Batches API on 127.0.0.1, following its shapes: POST
 * /v1/messages/batches ({ requests: [{ custom_id, params }] }), GET /v1/messages/batches/:id (in_progress at the
 * first poll, then ended with a results_url), and the results JSONL at that URL.
 */
export async function startAnthropicBatchServer(options: AnthropicBatchServerOptions): Promise<AnthropicBatchServer> {
  const created: Array<Array<{ custom_id: string; params: Record<string, unknown> }>> = [];
  const pollsOf = new Map<string, number>();
  let polls = 0;
  let url = "";

  const batchObject = (id: string, ended: boolean) => {
    const total = created[Number(id.slice("msgbatch_".length))]?.length ?? 0;
    return {
      id,
      type: "message_batch",
      processing_status: ended ? "ended" : "in_progress",
      request_counts: {
        processing: ended ? 0 : total,
        succeeded: ended ? total : 0,
        errored: 0,
        canceled: 0,
        expired: 0,
      },
      ended_at: ended ? "2026-12-01T00:00:00Z" : null,
      created_at: "2026-12-01T00:00:00Z",
      expires_at: "2026-12-02T00:00:00Z",
      archived_at: null,
      cancel_initiated_at: null,
      results_url: ended ? `${url}/messages/batches/${id}/results` : null,
    };
  };

  function resultLine(request: { custom_id: string; params: Record<string, unknown> }, index: number): string {
    const params = request.params as Parameters<AnthropicBatchServerOptions["answer"]>[0];
    const reply = options.answer(params);
    return JSON.stringify({
      custom_id: request.custom_id,
      result: {
        type: "succeeded",
        message: {
          id: `msg_${index}`,
          type: "message",
          role: "assistant",
          model: params.model,
          content: [{ type: "text", text: reply.text }],
          stop_reason: "end_turn",
          stop_sequence: null,
          usage: {
            input_tokens: reply.usage.inputTokens,
            cache_read_input_tokens: reply.usage.cacheReadTokens,
            cache_creation_input_tokens: 0,
            output_tokens: reply.usage.outputTokens,
          },
        },
      },
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.headers["x-api-key"] !== options.apiKey) return invalid(response, 401, "invalid x-api-key");
    if (!request.headers["anthropic-version"]) return invalid(response, 400, "anthropic-version header is required");
    const route = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (request.method === "POST" && route === "/v1/messages/batches") {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { requests?: unknown };
      const requests = body.requests as Array<{ custom_id?: unknown; params?: Record<string, unknown> }> | undefined;
      const valid =
        Array.isArray(requests) &&
        requests.length > 0 &&
        requests.every(
          (entry) =>
            typeof entry.custom_id === "string" &&
            /^[a-zA-Z0-9_-]{1,64}$/.test(entry.custom_id) &&
            typeof entry.params?.model === "string" &&
            typeof entry.params.max_tokens === "number" &&
            Array.isArray(entry.params.messages) &&
            entry.params.stream === undefined,
        );
      if (!valid)
        return invalid(response, 400, "requests: each needs custom_id and params with model, max_tokens, messages");
      created.push(requests as Array<{ custom_id: string; params: Record<string, unknown> }>);
      return send(response, 200, batchObject(`msgbatch_${created.length - 1}`, false));
    }
    const results = /^\/v1\/messages\/batches\/(msgbatch_\d+)\/results$/.exec(route);
    if (request.method === "GET" && results) {
      const requests = created[Number((results[1] as string).slice("msgbatch_".length))];
      if (!requests) return invalid(response, 404, "no such batch");
      response.writeHead(200, { "content-type": "application/binary" });
      response.end(`${requests.map(resultLine).join("\n")}\n`);
      return;
    }
    const batch = /^\/v1\/messages\/batches\/(msgbatch_\d+)$/.exec(route);
    if (request.method === "GET" && batch) {
      const id = batch[1] as string;
      if (!created[Number(id.slice("msgbatch_".length))]) return invalid(response, 404, "no such batch");
      polls++;
      const seen = (pollsOf.get(id) ?? 0) + 1;
      pollsOf.set(id, seen);
      return send(response, 200, batchObject(id, seen > 1));
    }
    return invalid(response, 404, `no route ${request.method} ${route}`);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => invalid(response, 500, String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    url,
    created,
    get polls() {
      return polls;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
