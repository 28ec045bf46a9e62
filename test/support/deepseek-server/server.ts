import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { answerCompletion } from "./answer-completion.ts";
import { cachedPrefixTokens } from "./prefix-cache.ts";
import { reasoningContentViolation } from "./reasoning-rules.ts";
import { type Exchange, sendError, sendJson, sleep } from "./send.ts";
import { deepSeekV3Counter } from "./token-count.ts";
import type { DeepSeekServer, DeepSeekServerOptions, RecordedRequest, ScriptedReply } from "./types.ts";

const modelList = {
  object: "list",
  data: [
    { id: "deepseek-chat", object: "model", owned_by: "deepseek" },
    { id: "deepseek-reasoner", object: "model", owned_by: "deepseek" },
  ],
};

// The real API serves the same routes under `/v1` (OpenAI compatibility) and `/beta` (beta features).
const routeOf = (path: string): string => path.replace(/^\/(v1|beta)(?=\/)/, "");

/** Starts a scripted DeepSeek chat-completions server on 127.0.0.1 at a free port. */
export async function startDeepSeekServer(options: DeepSeekServerOptions = {}): Promise<DeepSeekServer> {
  const script = [...(options.script ?? [])];
  const rule = options.rules?.reasoningContent ?? "none";
  const requests: RecordedRequest[] = [];
  // The messages JSON of each request answered, for `prefixCache`.
  const answeredPrompts: string[] = [];
  let disconnects = 0;
  let unscriptedRequests = 0;

  function track(request: IncomingMessage, response: ServerResponse): Exchange {
    const record: RecordedRequest = {
      method: request.method ?? "GET",
      path: new URL(request.url ?? "/", "http://127.0.0.1").pathname,
      headers: request.headers,
      body: undefined,
      status: undefined,
      disconnected: false,
    };
    requests.push(record);
    let droppedByServer = false;
    response.on("close", () => {
      if (response.writableFinished || droppedByServer) return;
      record.disconnected = true;
      disconnects++;
    });
    const dropConnection = () => {
      droppedByServer = true;
      response.destroy();
    };
    return { response, record, dropConnection };
  }

  async function handle(request: IncomingMessage, exchange: Exchange): Promise<void> {
    const { record } = exchange;
    const rawBody = await readBody(request);
    record.body = parseBody(rawBody);

    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendError(exchange, 401, { message: authenticationFailure(request.headers.authorization) });
    }
    const route = routeOf(record.path);
    if (record.method === "GET" && route === "/models") return sendJson(exchange, 200, modelList);
    if (record.method !== "POST" || route !== "/chat/completions") return sendError(exchange, 404);

    const body = record.body;
    if (typeof body === "string") {
      return sendError(exchange, 400, { message: "Failed to parse the request body as JSON" });
    }
    if (body === null || typeof body !== "object" || !Array.isArray((body as { messages?: unknown }).messages)) {
      return sendError(exchange, 422, {
        message: "Failed to deserialize the JSON body into the target type: missing field `messages`",
      });
    }
    const chatRequest = body as Record<string, unknown>;
    const violation = reasoningContentViolation(rule, chatRequest);
    if (violation !== undefined) return sendError(exchange, 400, { message: violation });

    const reply = nextReply(record);
    if (reply === undefined) {
      unscriptedRequests++;
      return sendError(exchange, 500, {
        message: `deepseek test server: the script is exhausted and no fallback was given (request ${requests.indexOf(record) + 1})`,
      });
    }
    if (reply.delayMs) await sleep(reply.delayMs);
    if ("status" in reply) {
      const { message, type, code, retryAfterSeconds } = reply;
      return sendError(exchange, reply.status, { message, type, code, retryAfterSeconds });
    }
    const messagesJson = JSON.stringify(chatRequest.messages);
    const cached = options.prefixCache ? cachedPrefixTokens(messagesJson, answeredPrompts) : undefined;
    answeredPrompts.push(messagesJson);
    const counter = options.countTokens ? await deepSeekV3Counter() : undefined;
    await answerCompletion(exchange, reply, chatRequest, cached, counter);
  }

  function nextReply(record: RecordedRequest): ScriptedReply | undefined {
    return script.shift() ?? options.fallback?.(record);
  }

  const server = createServer((request, response) => {
    const exchange = track(request, response);
    handle(request, exchange).catch((error: unknown) => {
      // A bug in a fallback or in this server must fail the test's request, not print or crash the run.
      if (response.headersSent) return exchange.dropConnection();
      sendError(exchange, 500, { message: `deepseek test server failed: ${error}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get disconnects() {
      return disconnects;
    },
    get unscriptedRequests() {
      return unscriptedRequests;
    },
    remainingScript: () => [...script],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function authenticationFailure(authorization: string | undefined): string {
  const key = authorization?.replace(/^Bearer\s+/i, "") ?? "";
  if (key === "") return "Authentication Fails, no api key provided";
  return `Authentication Fails, Your api key: ****${key.slice(-4)} is invalid`;
}
