import { executeRun } from "../../agent/index.ts";
import type { RunRecord } from "../../store/records.ts";
import type { AgentRuns } from "../agent-runs.ts";
import { agentTask } from "../agent-task.ts";
import type { ChatMessage } from "../chat-request-schema.ts";
import { finalText, runFailure } from "../complete-with-agent.ts";
import type { GatewayRequest } from "../complete-with-model.ts";
import { UpstreamError } from "../gateway-errors.ts";
import { agentModelPrefix } from "../served-models.ts";
import { serverSentEventHeaders } from "../server-sent-events.ts";
import type { ResponseObject } from "./response-object.ts";
import { inputItemsOf } from "./responses-call.ts";
import { responsesFormat } from "./responses-format.ts";
import type { ResponsesInputItem, ResponsesRequest } from "./responses-request-schema.ts";

const stop = { unified: "stop", raw: undefined } as const;

/** The conversation's messages as chat messages, for the agent's task (tool items are the client's, not its). */
function chatMessagesOf(instructions: string | null | undefined, items: readonly ResponsesInputItem[]): ChatMessage[] {
  const messages: ChatMessage[] = instructions ? [{ role: "system", content: instructions }] : [];
  for (const item of items) {
    if (item.type !== "message") continue;
    const content =
      typeof item.content === "string"
        ? item.content
        : item.content
            .map((part) =>
              part.type === "refusal" ? part.refusal : part.type === "input_image" ? "[image]" : part.text,
            )
            .join("");
    messages.push({ role: item.role, content } as ChatMessage);
  }
  return messages;
}

/**
 * A Responses API request answered by an agent (`model: "agent:<name>"`): a durable run owned by the caller's key,
 * as over chat completions; the answer is its final message as one output message, and a stream carries the text
 * it says as `response.output_text.delta` events. A client that leaves cancels the run.
 */
export function responsesWithAgent(agents: AgentRuns) {
  return async (
    request: GatewayRequest & {
      body: ResponsesRequest;
      history: readonly ResponsesInputItem[];
      keep: (response: ResponseObject) => void;
    },
  ): Promise<Response> => {
    const { body, caller } = request;
    let run: RunRecord;
    try {
      const task = agentTask(chatMessagesOf(body.instructions, [...request.history, ...inputItemsOf(body)]));
      run = await agents.start(caller, body.model.slice(agentModelPrefix.length), task, undefined, { queue: false });
    } catch (error) {
      request.releaseSlot();
      throw error;
    }
    const controller = new AbortController();
    const stopListening = request.client.onLeave(() => controller.abort(new Error("The client went away.")));
    const settle = () => {
      stopListening();
      request.releaseSlot();
    };
    const format = responsesFormat(body, request.keep);
    const id = `resp_${run.id.replace(/^run_/, "")}`;
    const created = Math.floor(Date.parse(run.createdAt) / 1000);
    const headers = { "x-tansuo-run-id": run.id };
    const billedOf = (finished: RunRecord) => ({ usage: finished.usage, costUsd: finished.costUsd });

    if (!body.stream) {
      let finished: RunRecord;
      try {
        finished = await executeRun(agents.runtime, run.id, { signal: controller.signal });
      } finally {
        settle();
      }
      const failure = runFailure(finished);
      if (failure) throw failure;
      const answer = format.body({
        id,
        created,
        model: body.model,
        content: [{ type: "text", text: await finalText(agents, finished) }],
        finishReason: stop,
        billed: billedOf(finished),
      });
      return new Response(JSON.stringify(answer), { headers: { "content-type": "application/json", ...headers } });
    }

    const writer = format.streamWriter({ id, created, model: body.model });
    const encoder = new TextEncoder();
    let open = true;
    const stream = new ReadableStream<Uint8Array>({
      start(streamController) {
        const send = (frames: string) => {
          if (open && frames !== "") streamController.enqueue(encoder.encode(frames));
        };
        send(writer.opening());
        executeRun(agents.runtime, run.id, {
          signal: controller.signal,
          onEvent: (event) => {
            if (event.type === "text-delta") send(writer.part({ type: "text-delta", id: "text", delta: event.text }));
          },
        })
          .then(async (finished) => {
            const failure = runFailure(finished);
            if (failure) return send(writer.cut(failure, billedOf(finished)));
            if (finished.status === "awaiting_approval") {
              const notice = `\n\n${await finalText(agents, finished)}`;
              send(writer.part({ type: "text-delta", id: "text", delta: notice }));
            }
            send(writer.finished(stop, billedOf(finished)));
          })
          .catch((error: unknown) => {
            const message = `Agent run ${run.id} failed: ${error instanceof Error ? error.message : error}`;
            const failure = new UpstreamError(502, message, { code: "agent_run_failed" });
            send(writer.cut(failure, { usage: run.usage, costUsd: run.costUsd }));
          })
          .finally(() => {
            settle();
            if (open) {
              open = false;
              streamController.close();
            }
          });
      },
      cancel() {
        open = false;
        controller.abort(new Error("The client went away."));
      },
    });
    return new Response(stream, { headers: { ...serverSentEventHeaders, ...headers } });
  };
}
