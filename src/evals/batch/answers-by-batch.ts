import { batchPriceAt } from "../../cost/batch-price.ts";
import { registeredProviders } from "../../models/providers/provider-registry.ts";
import type { BatchAccess, ResolvedModel } from "../../models/resolved-model.ts";
import { EvalUsageError, ModelUnavailableError } from "../eval-errors.ts";
import { answerFromResult, type ModelAnswer } from "../run/call-model.ts";
import type { WorkItem } from "../run/resume-plan.ts";
import { sampleKey } from "../run/sample-result.ts";
import type { SuitePrompt, SuiteTask } from "../suites/suite-definition.ts";
import { type BatchState, readBatchState, writeBatchState } from "./batch-state.ts";
import { type OpenAiBatch, OpenAiBatchClient, type OpenAiBatchOutputLine } from "./openai-batch-client.ts";
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

const terminal = new Set(["completed", "failed", "expired", "cancelled"]);

function batchAccess(model: ResolvedModel): BatchAccess {
  const access = model.batch;
  if (!access) {
    const providers = registeredProviders()
      .filter((provider) => provider.batchApi)
      .map((provider) => provider.kind);
    throw new EvalUsageError(
      `${model.entry.id} is a ${model.entry.provider} model, and ${model.entry.provider} has no batch API. ` +
        `--batch works with ${providers.join(" and ")} models; run without --batch for this one.`,
    );
  }
  if (access.api === "anthropic-message-batches") {
    throw new EvalUsageError(
      `--batch with ${model.entry.id}: Anthropic Message Batches are not built yet (OpenAI Batch is). ` +
        "Run without --batch, or batch an openai model.",
    );
  }
  return access;
}

function checkBatchPrice(model: ResolvedModel, at: Date): void {
  if (batchPriceAt(model.entry.prices, at)) return;
  throw new EvalUsageError(
    `The catalog has no batch price for ${model.entry.id} (a price row's "batch" share), so the batch could not be ` +
      "priced as billed. Add it to the model's price row in config, or run without --batch.",
  );
}

const customIdOf = (item: WorkItem) => `sample-${item.sample}-${item.task.id}`;

/** Sends the work as one batch: every request body built by the SDK, uploaded, and the batch recorded in --out. */
async function sendBatch(request: BatchRequest, access: BatchAccess, client: OpenAiBatchClient): Promise<BatchState> {
  const capture = capturingFetch();
  const capturer = await access.modelOver(capture.fetch);
  const lines: string[] = [];
  for (const item of request.work) {
    await capturer.doGenerate({ ...request.prompt(item.task), ...request.settings });
    const { url, body } = capture.take();
    if (!url.endsWith("/chat/completions")) throw new Error(`a batch takes chat completions, not ${url}`);
    lines.push(JSON.stringify({ custom_id: customIdOf(item), method: "POST", url: "/v1/chat/completions", body }));
  }
  const fileId = await client.uploadRequests(`${lines.join("\n")}\n`);
  const batch = await client.createBatch(fileId);
  const state: BatchState = {
    api: access.api,
    model: request.model.entry.id,
    batchId: batch.id,
    createdAt: new Date().toISOString(),
    requests: request.work.map((item) => ({ customId: customIdOf(item), taskId: item.task.id, sample: item.sample })),
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

async function pollUntilEnded(request: BatchRequest, client: OpenAiBatchClient, batchId: string) {
  for (;;) {
    const batch = await client.getBatch(batchId);
    const counts = batch.request_counts
      ? `${batch.request_counts.completed + batch.request_counts.failed}/${batch.request_counts.total}`
      : "";
    request.onStatus?.(batchId, batch.status, counts);
    if (terminal.has(batch.status)) return batch;
    await sleep(request.pollIntervalMs, request.abortSignal);
    if (request.abortSignal.aborted) return undefined;
  }
}

async function outputLines(client: OpenAiBatchClient, batch: OpenAiBatch): Promise<Map<string, OpenAiBatchOutputLine>> {
  const lines = new Map<string, OpenAiBatchOutputLine>();
  for (const fileId of [batch.error_file_id, batch.output_file_id]) {
    if (!fileId) continue;
    for (const line of await client.fileLines(fileId)) lines.set(line.custom_id, line);
  }
  return lines;
}

/**
 * The answers of the work through the provider's batch API: resumes the batch recorded in --out, or sends one,
 * polls it to its end and reads each answer back through the SDK's own parser, priced at the batch rates in force
 * when the batch was created. Undefined when aborted while polling (the batch stays recorded for the rerun).
 */
export async function answersByBatch(request: BatchRequest): Promise<BatchAnswers | undefined> {
  const { model } = request;
  const access = batchAccess(model);
  const client = new OpenAiBatchClient(
    access.connection.baseUrl ?? "https://api.openai.com/v1",
    access.connection.apiKey,
  );
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
  const lines = await outputLines(client, batch);
  const replay = replayingFetch();
  const replayer = await access.modelOver(replay.fetch);
  const pending = new Map(request.work.map((item) => [sampleKey({ taskId: item.task.id, sample: item.sample }), item]));
  const outcomes = new Map<string, BatchOutcome>();
  for (const sent of state.requests) {
    const key = sampleKey(sent);
    const item = pending.get(key);
    if (!item) continue;
    const line = lines.get(sent.customId);
    const response = line?.response;
    if (response?.status_code !== 200) {
      const reason = line?.error?.message ?? (response ? JSON.stringify(response.body).slice(0, 300) : undefined);
      const error = new Error(`batch ${state.batchId} (${batch.status}) gave no answer${reason ? `: ${reason}` : ""}`);
      outcomes.set(key, { error });
      continue;
    }
    replay.answerNextWith(response.body);
    const result = await replayer.doGenerate({ ...request.prompt(item.task), ...request.settings });
    outcomes.set(key, { answer: { ...answerFromResult(model, result, price), latencyMs: null } });
  }
  return { batchId: state.batchId, outcomes };
}
