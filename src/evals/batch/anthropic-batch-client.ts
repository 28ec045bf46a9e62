import { z } from "zod";
import type { BatchClient, BatchRequestLine, BatchResult, BatchStatus } from "./batch-client.ts";
import { jsonLines, sendForText } from "./http-json.ts";

const batchSchema = z.object({
  id: z.string(),
  processing_status: z.enum(["in_progress", "canceling", "ended"]),
  request_counts: z
    .object({
      processing: z.number(),
      succeeded: z.number(),
      errored: z.number(),
      canceled: z.number(),
      expired: z.number(),
    })
    .nullish(),
  results_url: z.string().nullish(),
});

const resultLineSchema = z.object({
  custom_id: z.string(),
  result: z.object({ type: z.string(), message: z.unknown().optional(), error: z.unknown().optional() }),
});

// Enough of a Messages answer for the SDK to finish a call whose request was only wanted.
const emptyMessage = {
  id: "msg_captured",
  type: "message",
  role: "assistant",
  model: "captured",
  content: [],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 0, output_tokens: 0 },
};

/** Anthropic Message Batches: /messages/batches with each request's Messages params, polled, results_url read. */
export class AnthropicBatchClient implements BatchClient {
  readonly endpointSuffix = "/messages";
  readonly emptyAnswer = emptyMessage;
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly apiKey: string | undefined,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  async send(requests: readonly BatchRequestLine[]): Promise<string> {
    const body = JSON.stringify({
      requests: requests.map((request) => {
        // A batched request is never streamed.
        const { stream: _stream, ...params } = request.body as Record<string, unknown>;
        return { custom_id: request.customId, params };
      }),
    });
    const answer = await this.call("POST /messages/batches", `${this.baseUrl}/messages/batches`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    });
    return batchSchema.parse(JSON.parse(answer)).id;
  }

  async poll(batchId: string): Promise<BatchStatus> {
    const batch = await this.batch(batchId);
    const counts = batch.request_counts;
    const done = counts ? counts.succeeded + counts.errored + counts.canceled + counts.expired : 0;
    return {
      status: batch.processing_status,
      ended: batch.processing_status === "ended",
      counts: counts ? `${done}/${done + counts.processing}` : "",
    };
  }

  async results(batchId: string): Promise<Map<string, BatchResult>> {
    const batch = await this.batch(batchId);
    const results = new Map<string, BatchResult>();
    if (!batch.results_url) return results;
    const text = await this.call(`GET results of ${batchId}`, batch.results_url, { method: "GET" });
    for (const raw of jsonLines(text)) {
      const line = resultLineSchema.parse(raw);
      results.set(
        line.custom_id,
        line.result.type === "succeeded"
          ? { body: line.result.message }
          : {
              error: `${line.result.type}${line.result.error ? `: ${JSON.stringify(line.result.error).slice(0, 300)}` : ""}`,
            },
      );
    }
    return results;
  }

  private async batch(batchId: string) {
    const url = `${this.baseUrl}/messages/batches/${batchId}`;
    return batchSchema.parse(JSON.parse(await this.call(`GET /messages/batches/${batchId}`, url, { method: "GET" })));
  }

  private call(what: string, url: string, init: RequestInit): Promise<string> {
    const headers = new Headers(init.headers);
    if (this.apiKey) headers.set("x-api-key", this.apiKey);
    headers.set("anthropic-version", "2023-06-01");
    return sendForText(`Anthropic Message Batches API ${what}`, url, { ...init, headers });
  }
}
