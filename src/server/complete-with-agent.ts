import { executeRun } from "../agent/index.ts";
import type { RunRecord } from "../store/records.ts";
import { agentProgressDelta, approvalNotice } from "./agent-progress.ts";
import type { AgentRuns } from "./agent-runs.ts";
import { agentTask } from "./agent-task.ts";
import { ChatCompletionChunks } from "./chat-completion-chunks.ts";
import type { ChatCompletionRequest } from "./chat-request-schema.ts";
import type { GatewayRequest } from "./complete-with-model.ts";
import { openAiErrorBody } from "./error-response.ts";
import type { GatewayContext } from "./gateway-context.ts";
import { BudgetExceededError, type GatewayError, RunStateConflictError, UpstreamError } from "./gateway-errors.ts";
import { openAiUsage } from "./openai-usage.ts";
import { runObject } from "./run-object.ts";
import { agentModelPrefix } from "./served-models.ts";
import { dataFrame, doneFrame, serverSentEventHeaders } from "./server-sent-events.ts";

/** Why a run that did not succeed gives the caller no answer, by who is at fault. */
export function runFailure(run: RunRecord): GatewayError | undefined {
  const detail = `${run.error ?? run.status}. Its steps are at GET /v1/runs/${run.id}.`;
  switch (run.status) {
    case "budget_exhausted":
      return new BudgetExceededError(`Agent run ${run.id} stopped at its budget: ${detail}`);
    case "failed":
      return new UpstreamError(502, `Agent run ${run.id} failed: ${detail}`, { code: "agent_run_failed" });
    case "cancelled":
      return new RunStateConflictError(`Agent run ${run.id} was cancelled: ${detail}`);
    default:
      return undefined;
  }
}

/** The final text of a run that ended well: its answer, or how to approve what it waits for. */
export async function finalText(agents: AgentRuns, run: RunRecord): Promise<string> {
  if (run.status !== "awaiting_approval") return run.output ?? "";
  const pending = runObject(run, await agents.runtime.store.listToolCalls(run.id)).pending_approvals;
  return approvalNotice(run.id, pending);
}

/**
 * A chat completion answered by an agent (`model: "agent:<name>"`): the agent loop runs server-side as a normal
 * durable run owned by the caller's key; the answer is its final message, and a stream carries its progress.
 * A client that leaves cancels the run.
 */
export function completeWithAgent(agents: AgentRuns) {
  return async (
    _gateway: GatewayContext,
    request: GatewayRequest & { body: ChatCompletionRequest },
  ): Promise<Response> => {
    const { body, caller } = request;
    let run: RunRecord;
    try {
      // Executed here whatever server.runsOnWorkers says: the answer (or its stream) comes back on this request.
      run = await agents.start(caller, body.model.slice(agentModelPrefix.length), agentTask(body.messages), undefined, {
        queue: false,
      });
    } catch (error) {
      request.releaseSlot();
      throw error;
    }
    const controller = new AbortController();
    const onClientAbort = () => controller.abort(new Error("The client went away."));
    const stopListening = request.client.onLeave(onClientAbort);
    const settle = () => {
      stopListening();
      request.releaseSlot();
    };
    const created = Math.floor(Date.parse(run.createdAt) / 1000);
    const id = `chatcmpl-${run.id}`;
    const headers = { "x-tansuo-run-id": run.id };

    if (!body.stream) {
      let finished: RunRecord;
      try {
        finished = await executeRun(agents.runtime, run.id, { signal: controller.signal });
      } finally {
        settle();
      }
      const failure = runFailure(finished);
      if (failure) throw failure;
      const answer = {
        id,
        object: "chat.completion",
        created,
        model: body.model,
        system_fingerprint: null,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: await finalText(agents, finished), refusal: null },
            logprobs: null,
            finish_reason: "stop",
          },
        ],
        usage: openAiUsage(finished.usage, finished.costUsd),
      };
      return new Response(JSON.stringify(answer), { headers: { "content-type": "application/json", ...headers } });
    }

    const chunks = new ChatCompletionChunks(id, created, body.model);
    const includeUsage = body.stream_options?.include_usage === true;
    let open = true;
    const stream = new ReadableStream<Uint8Array>({
      start(streamController) {
        const send = (frame: Uint8Array) => {
          if (open) streamController.enqueue(frame);
        };
        send(dataFrame(chunks.delta({ role: "assistant", content: "" })));
        executeRun(agents.runtime, run.id, {
          signal: controller.signal,
          onEvent: (event) => {
            const delta = agentProgressDelta(event);
            if (delta) send(dataFrame(chunks.delta(delta)));
          },
        })
          .then(async (finished) => {
            const failure = runFailure(finished);
            if (failure) return send(dataFrame(JSON.stringify(openAiErrorBody(failure))));
            if (finished.status === "awaiting_approval") {
              send(dataFrame(chunks.delta({ content: `\n\n${await finalText(agents, finished)}` })));
            }
            send(dataFrame(chunks.delta({}, "stop")));
            if (includeUsage) send(dataFrame(chunks.usage(openAiUsage(finished.usage, finished.costUsd))));
            send(doneFrame);
          })
          .catch((error: unknown) => {
            const failure = new UpstreamError(
              502,
              `Agent run ${run.id} failed: ${error instanceof Error ? error.message : error}`,
              {
                code: "agent_run_failed",
              },
            );
            send(dataFrame(JSON.stringify(openAiErrorBody(failure))));
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
