import { z } from "zod";
import type { BatchClient, BatchRequestLine, BatchResult, BatchStatus } from "./batch-client.ts";
import { jsonLines, sendForText } from "./http-json.ts";

const batchSchema = z.object({
  id: z.string(),
  status: z.enum([
    "validating",
    "failed",
    "in_progress",
    "finalizing",
    "completed",
    "expired",
    "cancelling",
    "cancelled",
  ]),
  output_file_id: z.string().nullish(),
  error_file_id: z.string().nullish(),
  request_counts: z.object({ total: z.number(), completed: z.number(), failed: z.number() }).nullish(),
});

const outputLineSchema = z.object({
  custom_id: z.string(),
  response: z.object({ status_code: z.number(), body: z.unknown() }).nullish(),
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});

const fileSchema = z.object({ id: z.string() });
const ended = new Set(["completed", "failed", "expired", "cancelled"]);

// Enough of a chat completion for the SDK to finish a call whose request was only wanted.
const emptyCompletion = {
  id: "captured",
  object: "chat.completion",
  created: 0,
  model: "captured",
  choices: [{ index: 0, message: { role: "assistant", content: "" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
};

/** OpenAI Batch: the JSONL uploaded to /files (purpose "batch"), /batches over it, polled, its files read. */
export class OpenAiBatchClient implements BatchClient {
  readonly endpointSuffix = "/chat/completions";
  readonly emptyAnswer = emptyCompletion;
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly apiKey: string | undefined,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  async send(requests: readonly BatchRequestLine[]): Promise<string> {
    const jsonl = requests
      .map((request) =>
        JSON.stringify({
          custom_id: request.customId,
          method: "POST",
          url: "/v1/chat/completions",
          body: request.body,
        }),
      )
      .join("\n");
    const form = new FormData();
    form.append("purpose", "batch");
    form.append("file", new Blob([`${jsonl}\n`], { type: "application/jsonl" }), "tansuo-eval-batch.jsonl");
    const file = fileSchema.parse(JSON.parse(await this.call("POST /files", { method: "POST", body: form })));
    const body = JSON.stringify({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    const batch = await this.call("POST /batches", {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    });
    return batchSchema.parse(JSON.parse(batch)).id;
  }

  async poll(batchId: string): Promise<BatchStatus> {
    const batch = await this.batch(batchId);
    const counts = batch.request_counts;
    return {
      status: batch.status,
      ended: ended.has(batch.status),
      counts: counts ? `${counts.completed + counts.failed}/${counts.total}` : "",
    };
  }

  async results(batchId: string): Promise<Map<string, BatchResult>> {
    const batch = await this.batch(batchId);
    const results = new Map<string, BatchResult>();
    for (const fileId of [batch.error_file_id, batch.output_file_id]) {
      if (!fileId) continue;
      for (const raw of jsonLines(await this.call(`GET /files/${fileId}/content`, { method: "GET" }))) {
        const line = outputLineSchema.parse(raw);
        const response = line.response;
        results.set(
          line.custom_id,
          response?.status_code === 200
            ? { body: response.body }
            : { error: line.error?.message ?? JSON.stringify(response?.body ?? null).slice(0, 300) },
        );
      }
    }
    return results;
  }

  private async batch(batchId: string) {
    return batchSchema.parse(JSON.parse(await this.call(`GET /batches/${batchId}`, { method: "GET" })));
  }

  private call(what: string, init: RequestInit): Promise<string> {
    const headers = new Headers(init.headers);
    if (this.apiKey) headers.set("authorization", `Bearer ${this.apiKey}`);
    const url = `${this.baseUrl}${what.slice(what.indexOf(" ") + 1)}`;
    return sendForText(`OpenAI Batch API ${what}`, url, { ...init, headers });
  }
}
