import type { TokenUsage } from "../cost/usage.ts";

export const runStatuses = [
  "queued",
  "running",
  "awaiting_approval",
  "succeeded",
  "failed",
  "cancelled",
  "budget_exhausted",
] as const;
export type RunStatus = (typeof runStatuses)[number];
export const finishedStatuses: readonly RunStatus[] = ["succeeded", "failed", "cancelled", "budget_exhausted"];

/** An image kept with a run (a task's image, a tool's result): the same shape as tools' `ToolImage`. */
export interface StoredImage {
  mediaType: string;
  base64: string;
}

/** What a run was asked to do; fixed when the run is created, so resume continues with the same settings. */
export interface RunSettings {
  task: string;
  model: string;
  /** The escalation ladder (`--models`), cheapest first; `model` is its first rung. */
  models?: string[];
  baseUrl?: string;
  instructions?: string;
  workspace: string;
  budgetUsd?: string;
  maxSteps: number;
  thinking: "on" | "off" | "auto";
  approval: "ask" | "auto" | "deny";
  /**
   * `required`: every step must call a tool and the run ends through the `finish` tool. Small local models
   * follow this reliably under a grammar; `auto` lets the model answer in plain text.
   */
  toolChoice?: "auto" | "required";
  tools: string[];
  /** Tools the user approved with --always for this run. */
  alwaysAllowedTools: string[];
  agentName?: string;
  /** The MCP servers (config `mcpServers`) whose tools the run was offered; resume starts them again. */
  mcpServers?: string[];
  /**
   * Left for `tansuo worker` processes (`run --queue`, `POST /v1/runs` with `queue`, config `server.runsOnWorkers`):
   * only such runs are claimed by workers, and one whose executing process is provably gone is taken over.
   */
  onWorkers?: boolean;
  /** Images given with the task (`--image`), sent with it on every call; kept here once, so resume sends the same bytes. */
  images?: StoredImage[];
  /** When and with what old turns are compacted (config `compaction`); defaults in agent/compaction/. */
  compaction?: CompactionSettings;
  /**
   * What Stop hooks sent back (the run went on with it as a user message after step `afterStep`); kept so resume
   * rebuilds the same prompt without running the hook again.
   */
  hookMessages?: { afterStep: number; content: string }[];
  /** `plan`: only read-only tools and writes to PLAN.md (agent/plan-mode.ts); absent = normal. */
  mode?: "plan" | "normal";
  /** AGENTS.md / CLAUDE.md files read once at creation, outermost first, so every call sends the same prefix. */
  projectInstructions?: { path: string; text: string }[];
  /** The skills (SKILL.md folders) found at creation; only names and descriptions go into the prompt. */
  skills?: { name: string; description: string; path: string }[];
  /** Models a call moves to when the run's model is down (agent, `--fallbacks`, or the model entry's list). */
  fallbacks?: string[];
}

export interface CompactionSettings {
  /** The summarising model (default: the run's own, non-thinking). */
  model?: string;
  /** Compact when the next prompt would pass this share of the context window (default 0.8). */
  windowShare?: number;
  /** Compact when the next call's worst case passes this share of the remaining budget (default 0.25). */
  budgetShare?: number;
}

export interface RunRecord {
  id: string;
  status: RunStatus;
  settings: RunSettings;
  /** The API key that started the run, when it came through the server; runs are visible only to it. */
  ownerKeyId?: string;
  output?: string;
  error?: string;
  usage: TokenUsage;
  costUsd: string;
  stepCount: number;
  /** `host:pid:nonce` of the process executing the run, while its lease holds. */
  leaseOwner?: string;
  createdAt: string;
  updatedAt: string;
  /** The run that started this one through an agent tool (`agent:<name>`, `Agent.asTool()`). */
  parentRunId?: string;
  /** The parent's tool call that started this run: at most one child per call, so a resumed call finds it again. */
  parentCallId?: string;
}

/** What a new run is created with (the store fills in the rest). */
export interface NewRunRecord {
  id?: string;
  settings: RunSettings;
  ownerKeyId?: string;
  parentRunId?: string;
  parentCallId?: string;
}

/** The assistant's part of a step, exactly as the model returned it (reasoning kept for replay). */
export interface AssistantMessage {
  text: string;
  /** Set when the provider cut the answer (DeepSeek insufficient_system_resource): billed, not replayed. */
  discarded?: boolean;
  /** Why a discarded call cost what it did ("interrupted by the user; billed an upper bound", "never reached ..."). */
  discardReason?: string;
  reasoning?: string;
  toolCalls: { id: string; name: string; input: string }[];
  /** Set on a compaction step: steps up to `throughStep` are replaced by `summary` in later prompts (issue 14). */
  compaction?: { throughStep: number; summary: string };
}

/**
 * A model call about to go out, stored before it does: if the process dies waiting for the answer, resume bills
 * this worst case (the prompt bound and the output allowance the call was sent with).
 */
export interface StepStart {
  index: number;
  promptTokens: number;
  maxOutputTokens: number;
}

export interface StepRecord {
  runId: string;
  index: number;
  assistant: AssistantMessage;
  finishReason: string;
  usage: TokenUsage;
  costUsd: string;
  /** The price row billed: { effectiveFrom, inputCacheHit, inputCacheMiss, output, cacheWrite, offPeak }. */
  price: unknown;
  model: string;
  createdAt: string;
}

/**
 * A person's message added to a finished run (`tansuo chat`, `run --continue`, `POST /v1/runs/:id/messages`):
 * it follows the first `afterStep` steps (their tool results included), so the history before it is unchanged.
 */
export interface RunMessage {
  runId: string;
  /** Its place among the run's messages, from 0. */
  index: number;
  /** The run's step count when it was added: it comes after steps 0 .. afterStep - 1. */
  afterStep: number;
  content: string;
  createdAt: string;
}

/** A person's message typed while the run works (steering): kept until the run's next tool boundary takes it. */
export interface PendingRunMessage {
  runId: string;
  content: string;
  createdAt: string;
}

/** The statuses a message may continue: a run that ended and was not cancelled (a cancel is final). */
export const continuableStatuses: readonly RunStatus[] = ["succeeded", "failed", "budget_exhausted"];

/** planned -> (awaiting_approval -> approved | denied) -> started -> finished; a crash leaves "started" visible. */
export const toolCallStatuses = ["planned", "awaiting_approval", "approved", "started", "finished", "denied"] as const;
export type ToolCallStatus = (typeof toolCallStatuses)[number];

export interface ToolCallRecord {
  runId: string;
  stepIndex: number;
  /** Position in the step's list of calls; results are returned in this order. */
  position: number;
  callId: string;
  toolName: string;
  input: string;
  status: ToolCallStatus;
  output?: string;
  /** Images the tool returned with its text (kept so a resumed run sends the same bytes). */
  outputImages?: StoredImage[];
  isError: boolean;
  startedAt?: string;
  finishedAt?: string;
}

export interface LedgerEntry {
  at: string;
  keyId?: string;
  runId?: string;
  model: string;
  usage: TokenUsage;
  costUsd: string;
  price: unknown;
}

export interface EventRecord {
  /** Increasing per store; SSE uses it as the event id for Last-Event-ID replay. */
  sequence: number;
  runId: string;
  type: string;
  data: unknown;
  at: string;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** First characters of the key, to tell keys apart in listings; the key itself is never stored. */
  prefix: string;
  hash: string;
  budgetUsd?: string;
  requestsPerMinute?: number;
  concurrency?: number;
  /** An admin key sees every run (and the ledger and eval results), not only its own. */
  admin?: boolean;
  createdAt: string;
  revokedAt?: string;
}

export interface UsageRow {
  keyId?: string;
  model: string;
  day: string;
  requests: number;
  usage: TokenUsage;
  costUsd: string;
}

/** What a run's executor watches for: a cancel from elsewhere, a lease another owner took (expired or not). */
export interface RunState {
  id: string;
  status: RunStatus;
  leaseOwner?: string;
}
