import { z } from "zod";
import { ModelUnavailableError } from "../eval-errors.ts";

/** The parts of an OpenAI Batch object a run reads. */
export const openAiBatchSchema = z.object({
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
  errors: z.unknown().optional(),
});

export type OpenAiBatch = z.infer<typeof openAiBatchSchema>;

/** One line of a batch's output or error file. */
export const openAiBatchOutputLineSchema = z.object({
  custom_id: z.string(),
  response: z.object({ status_code: z.number(), body: z.unknown() }).nullish(),
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});

export type OpenAiBatchOutputLine = z.infer<typeof openAiBatchOutputLineSchema>;

const fileSchema = z.object({ id: z.string() });

/** OpenAI's Batch API over plain fetch: upload the JSONL, create the batch, poll it, read its files. */
export class OpenAiBatchClient {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly apiKey: string | undefined,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  /** POST /files with purpose "batch": the requests, one JSON line each. */
  async uploadRequests(jsonl: string): Promise<string> {
    const form = new FormData();
    form.append("purpose", "batch");
    form.append("file", new Blob([jsonl], { type: "application/jsonl" }), "tansuo-eval-batch.jsonl");
    return fileSchema.parse(await this.send("POST /files", { method: "POST", body: form })).id;
  }

  /** POST /batches over an uploaded file of chat-completions requests. */
  async createBatch(inputFileId: string): Promise<OpenAiBatch> {
    const body = JSON.stringify({
      input_file_id: inputFileId,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
    });
    const answer = await this.send("POST /batches", {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    });
    return openAiBatchSchema.parse(answer);
  }

  async getBatch(batchId: string): Promise<OpenAiBatch> {
    return openAiBatchSchema.parse(await this.send(`GET /batches/${batchId}`, { method: "GET" }));
  }

  /** GET /files/:id/content: the output (or error) JSONL, parsed line by line. */
  async fileLines(fileId: string): Promise<OpenAiBatchOutputLine[]> {
    const text = await this.sendText(`GET /files/${fileId}/content`, { method: "GET" });
    return text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => openAiBatchOutputLineSchema.parse(JSON.parse(line)));
  }

  private async send(what: string, init: RequestInit): Promise<unknown> {
    return JSON.parse(await this.sendText(what, init));
  }

  private async sendText(what: string, init: RequestInit): Promise<string> {
    const route = what.slice(what.indexOf(" ") + 1);
    const headers = new Headers(init.headers);
    if (this.apiKey) headers.set("authorization", `Bearer ${this.apiKey}`);
    const response = await fetch(`${this.baseUrl}${route}`, { ...init, headers });
    const text = await response.text();
    if (response.ok) return text;
    const message = `OpenAI Batch API ${what} answered ${response.status}: ${text.slice(0, 300)}`;
    // A wrong key or a host without the Batch API: every retry would say the same.
    if ([401, 403, 404].includes(response.status)) throw new ModelUnavailableError(message);
    throw new Error(message);
  }
}
