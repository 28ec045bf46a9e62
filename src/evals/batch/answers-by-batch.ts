import { batchPriceAt } from "../../cost/batch-price.ts";
import { registeredProviders } from "../../models/providers/provider-registry.ts";
import type { BatchAccess, ResolvedModel } from "../../models/resolved-model.ts";
import { EvalUsageError, ModelUnavailableError } from "../eval-errors.ts";
import { answerFromResult, type ModelAnswer } from "../run/call-model.ts";
import type { WorkItem } from "../run/resume-plan.ts";
import { sampleKey } from "../run/sample-result.ts";
import type { SuitePrompt, SuiteTask } from "../suites/suite-definition.ts";
import { AnthropicBatchClient } from "./anthropic-batch-client.ts";
import type { BatchClient, BatchRequestLine } from "./batch-client.ts";
import { type BatchState, readBatchState, writeBatchState } from "./batch-state.ts";
import { OpenAiBatchClient } from "./openai-batch-client.ts";
import { capturingFetch, replayingFetch } from "./wire-fetch.ts";

/** A batch's answer: billed at the batch rates; a batch has no per-call latency. */
export type BatchAnswer = Omit<ModelAnswer, "latencyMs"> & { latencyMs: null };

export type BatchOutcome = { answer: BatchAnswer } | { error: Error };

export interface BatchRequest {
  model: ResolvedModel;
  outDirectory: string;
  work: readonly WorkItem[];
  prompt(task: SuiteTask): SuitePrompt;
  settings: { temperature: number; maxOutputTokens: number };
  pollIntervalMs: number;
  abortSignal: AbortSignal;
  /** Told of the batch's id and status at each poll. */
  onStatus?: (batchId: string, status: string, counts: string) => void;
}

export interface BatchAnswers {
  batchId: string;
  /** By sampleKey; samples not in the batch are absent (a rerun sends them). */
  outcomes: Map<string, BatchOutcome>;
}

function batchAccess(model: ResolvedModel): BatchAccess {
  if (model.batch) return model.batch;
  const providers = registeredProviders()
    .filter((provider) => provider.batchApi)
    .map((provider) => provider.kind);
  throw new EvalUsageError(
    `${model.entry.id} is a ${model.entry.provider} model, and ${model.entry.provider} has no batch API. ` +
      `--batch works with ${providers.join(" and ")} models; run without --batch for this one.`,
  );
}

function clientFor(access: BatchAccess): BatchClient {
  const { baseUrl, apiKey } = access.connection;
  return access.api === "openai-batch"
    ? new OpenAiBatchClient(baseUrl ?? "https://api.openai.com/v1", apiKey)
    : new AnthropicBatchClient(baseUrl ?? "https://api.anthropic.com/v1", apiKey);
}

function checkBatchPrice(model: ResolvedModel, at: Date): void {
  if (batchPriceAt(model.entry.prices, at)) return;
  throw new EvalUsageError(
    `The catalog has no batch price for ${model.entry.id} (a price row's "batch" share), so the batch could not be ` +
      "priced as billed. Add it to the model's price row in config, or run without --batch.",
  );
}

// Anthropic allows only [A-Za-z0-9_-] in a custom id; the record in --out maps it back to the task and sample.
const customIdOf = (index: number) => `tansuo-${index}`;

/** Sends the work as one batch: every request body built by the SDK, and the batch recorded in --out. */
async function sendBatch(request: BatchRequest, access: BatchAccess, client: BatchClient): Promise<BatchState> {
  const capture = capturingFetch(client.emptyAnswer);
  const capturer = await access.modelOver(capture.fetch);
  const lines: BatchRequestLine[] = [];
  for (const [index, item] of request.work.entries()) {
    await capturer.doGenerate({ ...request.prompt(item.task), ...request.settings });
    const { url, body } = capture.take();
    if (!url.endsWith(client.endpointSuffix)) {
      throw new Error(`a batch takes ${client.endpointSuffix} requests, not ${url}`);
    }
    lines.push({ customId: customIdOf(index), body });
  }
  const batchId = await client.send(lines);
  const state: BatchState = {
    api: access.api,
    model: request.model.entry.id,
    batchId,
    createdAt: new Date().toISOString(),
    requests: request.work.map((item, index) => ({
      customId: customIdOf(index),
      taskId: item.task.id,
      sample: item.sample,
    })),
  };
  // Before any poll: a crash from here on resumes this batch instead of paying for another.
  await writeBatchState(request.outDirectory, state);
  return state;
}

const sleep = (milliseconds: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, milliseconds);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

async function pollUntilEnded(request: BatchRequest, client: BatchClient, batchId: string) {
  for (;;) {
    const status = await client.poll(batchId);
    request.onStatus?.(batchId, status.status, status.counts);
    if (status.ended) return status;
    await sleep(request.pollIntervalMs, request.abortSignal);
    if (request.abortSignal.aborted) return undefined;
  }
}

/**
 * The answers of the work through the provider's batch API: resumes the batch recorded in --out, or sends one,
 * polls it to its end and reads each answer back through the SDK's own parser, priced at the batch rates in force
 * when the batch was created. Undefined when aborted while polling (the batch stays recorded for the rerun).
 */
export async function answersByBatch(request: BatchRequest): Promise<BatchAnswers | undefined> {
  const { model } = request;
  const access = batchAccess(model);
  const client = clientFor(access);
  let state = await readBatchState(request.outDirectory);
  if (state && state.model !== model.entry.id) {
    throw new EvalUsageError(
      `${request.outDirectory} holds an unfinished batch of ${state.model} (${state.batchId}). ` +
        `Rerun with --model ${state.model} to collect it, or choose another --out folder.`,
    );
  }
  if (!state) {
    if (request.work.length === 0) return { batchId: "", outcomes: new Map() };
    checkBatchPrice(model, new Date());
    state = await sendBatch(request, access, client);
  }
  const batch = await pollUntilEnded(request, client, state.batchId);
  if (!batch) return undefined;
  const price = batchPriceAt(model.entry.prices, new Date(state.createdAt));
  if (!price) throw new ModelUnavailableError(`the catalog lost the batch price of ${model.entry.id}`);
  const results = await client.results(state.batchId);
  const replay = replayingFetch();
  const replayer = await access.modelOver(replay.fetch);
  const pending = new Map(request.work.map((item) => [sampleKey({ taskId: item.task.id, sample: item.sample }), item]));
  const outcomes = new Map<string, BatchOutcome>();
  for (const sent of state.requests) {
    const key = sampleKey(sent);
    const item = pending.get(key);
    if (!item) continue;
    const result = results.get(sent.customId);
    if (!result || "error" in result) {
      const reason = result ? `: ${result.error}` : "";
      outcomes.set(key, { error: new Error(`batch ${state.batchId} (${batch.status}) gave no answer${reason}`) });
      continue;
    }
    replay.answerNextWith(result.body);
    const answered = await replayer.doGenerate({ ...request.prompt(item.task), ...request.settings });
    outcomes.set(key, { answer: { ...answerFromResult(model, answered, price), latencyMs: null } });
  }
  return { batchId: state.batchId, outcomes };
}
