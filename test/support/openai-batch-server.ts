import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake model answers one chat-completions request of a batch with. */
export interface BatchReply {
  content: string;
  usage: { promptTokens: number; cachedTokens: number; completionTokens: number };
}

export interface OpenAiBatchServerOptions {
  apiKey: string;
  answer(body: { model: string; messages: Array<{ role: string; content: unknown }> }): BatchReply;
}

interface StoredFile {
  id: string;
  purpose: string;
  content: string;
}

interface StoredBatch {
  id: string;
  inputFileId: string;
  outputFileId: string | null;
  status: "validating" | "in_progress" | "completed";
  total: number;
}

export interface OpenAiBatchServer {
  /** Base URL ending in /v1, as OPENAI_BASE_URL takes it. */
  readonly url: string;
  /** Files uploaded with purpose "batch" (their JSONL text). */
  readonly uploads: readonly string[];
  /** Batches created with POST /v1/batches. */
  readonly batchesCreated: number;
  /** GET /v1/batches/:id requests. */
  readonly polls: number;
  /** Lets every batch finish at its next poll (they stay in_progress until then). */
  release(): void;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

const invalid = (response: ServerResponse, status: number, message: string) =>
  send(response, status, { error: { message, type: "invalid_request_error", param: null, code: null } });

/**
 * A local stand-in for OpenAI's Batch API on 127.0.0.1, following its shapes: POST /v1/files (multipart, purpose
 * "batch", JSONL of /v1/chat/completions requests), POST /v1/batches, GET /v1/batches/:id, GET /v1/files/:id/content.
 * Batches stay in_progress until `release()`; then they complete with one output line per request.
 */
export async function startOpenAiBatchServer(options: OpenAiBatchServerOptions): Promise<OpenAiBatchServer> {
  const files = new Map<string, StoredFile>();
  const batches = new Map<string, StoredBatch>();
  const uploads: string[] = [];
  let released = false;
  let polls = 0;
  let counter = 0;
  const newId = (prefix: string) => `${prefix}${(++counter).toString().padStart(6, "0")}`;

  function completionOf(body: Parameters<OpenAiBatchServerOptions["answer"]>[0]) {
    const reply = options.answer(body);
    return {
      id: newId("chatcmpl-"),
      object: "chat.completion",
      created: 1_764_000_000,
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content: reply.content }, finish_reason: "stop" }],
      usage: {
        prompt_tokens: reply.usage.promptTokens,
        completion_tokens: reply.usage.completionTokens,
        total_tokens: reply.usage.promptTokens + reply.usage.completionTokens,
        prompt_tokens_details: { cached_tokens: reply.usage.cachedTokens },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    };
  }

  function finish(batch: StoredBatch): void {
    const input = files.get(batch.inputFileId) as StoredFile;
    const lines = input.content
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as { custom_id: string; body: Parameters<OpenAiBatchServerOptions["answer"]>[0] })
      .map((request) =>
        JSON.stringify({
          id: newId("batch_req_"),
          custom_id: request.custom_id,
          response: { status_code: 200, request_id: newId("req_"), body: completionOf(request.body) },
          error: null,
        }),
      );
    const output: StoredFile = { id: newId("file-"), purpose: "batch_output", content: `${lines.join("\n")}\n` };
    files.set(output.id, output);
    batch.outputFileId = output.id;
    batch.status = "completed";
  }

  const batchObject = (batch: StoredBatch) => ({
    id: batch.id,
    object: "batch",
    endpoint: "/v1/chat/completions",
    input_file_id: batch.inputFileId,
    completion_window: "24h",
    status: batch.status,
    output_file_id: batch.outputFileId,
    error_file_id: null,
    created_at: 1_764_000_000,
    request_counts: { total: batch.total, completed: batch.status === "completed" ? batch.total : 0, failed: 0 },
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    if (request.headers.authorization !== `Bearer ${options.apiKey}`)
      return invalid(response, 401, "Incorrect API key");
    const route = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (request.method === "POST" && route === "/v1/files") {
      const form = await new Request("http://127.0.0.1/upload", {
        method: "POST",
        headers: { "content-type": request.headers["content-type"] ?? "" },
        body: raw,
      }).formData();
      const file = form.get("file");
      if (form.get("purpose") !== "batch" || !(file instanceof Blob)) {
        return invalid(response, 400, "expected a file with purpose batch");
      }
      const content = await file.text();
      for (const line of content.split("\n").filter((text) => text.trim() !== "")) {
        const parsed = JSON.parse(line) as { custom_id?: unknown; method?: unknown; url?: unknown; body?: unknown };
        const body = parsed.body as { model?: unknown; messages?: unknown } | undefined;
        if (
          typeof parsed.custom_id !== "string" ||
          parsed.method !== "POST" ||
          parsed.url !== "/v1/chat/completions" ||
          typeof body?.model !== "string" ||
          !Array.isArray(body.messages)
        ) {
          return invalid(response, 400, `not a batch request line: ${line.slice(0, 200)}`);
        }
      }
      const stored: StoredFile = { id: newId("file-"), purpose: "batch", content };
      files.set(stored.id, stored);
      uploads.push(content);
      return send(response, 200, { id: stored.id, object: "file", bytes: raw.length, purpose: "batch" });
    }
    if (request.method === "POST" && route === "/v1/batches") {
      const body = JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
      const input = files.get(String(body.input_file_id));
      if (!input || body.endpoint !== "/v1/chat/completions" || body.completion_window !== "24h") {
        return invalid(
          response,
          400,
          "expected input_file_id, endpoint /v1/chat/completions and completion_window 24h",
        );
      }
      const total = input.content.split("\n").filter((line) => line.trim() !== "").length;
      const batch: StoredBatch = {
        id: newId("batch_"),
        inputFileId: input.id,
        outputFileId: null,
        status: "validating",
        total,
      };
      batches.set(batch.id, batch);
      return send(response, 200, batchObject(batch));
    }
    const batchMatch = /^\/v1\/batches\/([^/]+)$/.exec(route);
    if (request.method === "GET" && batchMatch) {
      const batch = batches.get(batchMatch[1] as string);
      if (!batch) return invalid(response, 404, "No batch found");
      polls++;
      if (batch.status !== "completed") {
        if (released) finish(batch);
        else batch.status = "in_progress";
      }
      return send(response, 200, batchObject(batch));
    }
    const contentMatch = /^\/v1\/files\/([^/]+)\/content$/.exec(route);
    if (request.method === "GET" && contentMatch) {
      const file = files.get(contentMatch[1] as string);
      if (!file) return invalid(response, 404, "No such file");
      response.writeHead(200, { "content-type": "application/octet-stream" });
      response.end(file.content);
      return;
    }
    return invalid(response, 404, `no route ${request.method} ${route}`);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => invalid(response, 500, String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    uploads,
    get batchesCreated() {
      return batches.size;
    },
    get polls() {
      return polls;
    },
    release() {
      released = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
