// The shapes of the viewer API (docs/architecture.md, "Viewer API"); money is a decimal string in USD.

export type RunStatus =
  | "queued"
  | "running"
  | "awaiting_approval"
  | "succeeded"
  | "failed"
  | "cancelled"
  | "budget_exhausted"
  | "interrupted";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  prompt_cache_hit_tokens: number;
  prompt_cache_miss_tokens: number;
  completion_tokens_details: { reasoning_tokens: number };
  cost_usd: string;
}

export interface PendingApproval {
  call_id: string;
  tool: string;
  input: string;
  interrupted: boolean;
}

export interface RunObject {
  id: string;
  object: "run";
  status: RunStatus;
  agent: string | null;
  model: string;
  task: string;
  created_at: string;
  updated_at: string;
  duration_ms: number;
  key_id: string | null;
  step_count: number;
  usage: Usage;
  cost_usd: string;
  budget_usd: string | null;
  output: string | null;
  error: string | null;
  pending_approvals: PendingApproval[];
}

export interface List<T> {
  object: "list";
  data: T[];
}

export interface RunList extends List<RunObject> {
  has_more: boolean;
  /** Pass as the stream's `since`, so no change between this list and the stream is missed. */
  as_of: string;
}

export interface StepToolCall {
  call_id: string;
  tool: string;
  input: string;
  status: string;
  output: string | null;
  is_error: boolean;
  image_count: number;
  started_at: string | null;
  finished_at: string | null;
}

export interface Step {
  index: number;
  model: string;
  created_at: string;
  finish_reason: string;
  reasoning: string | null;
  text: string;
  discarded: boolean;
  estimated: boolean;
  usage: { cache_hit_tokens: number; cache_miss_tokens: number; output_tokens: number; reasoning_tokens: number };
  cost_usd: string;
  cumulative_cost_usd: string;
  tool_calls: StepToolCall[];
}

export interface RunMessage {
  index: number;
  after_step: number;
  content: string;
  created_at: string;
}

export interface StepList extends List<Step> {
  run: RunObject;
  messages: RunMessage[];
}

/** One model in `tansuo cost compare`'s figures; cost_usd is null, with a reason, for a model not priced then. */
export interface PricedModel {
  model: string;
  provider: string | null;
  cost_usd: string | null;
  ratio: number | null;
  cache_hits: "cache-hit price" | "priced as misses: no cache discount" | null;
  reason?: string;
}

export interface PricedList extends List<PricedModel> {
  run_id: string;
  actual_cost_usd: string;
  /** The run's start: the list prices of that instant are used. */
  priced_at: string;
}

export interface PriceRow {
  model: string;
  provider: string;
  vendor: string;
  input_cache_hit: string;
  input_cache_miss: string;
  output: string;
}

export interface SpendTotals {
  requests: number;
  cost_usd: string;
  input_tokens: number;
  cache_hit_tokens: number;
  cache_miss_tokens: number;
  output_tokens: number;
  /** Cache-hit tokens as a share of all input tokens; null with none. */
  cache_hit_share: number | null;
}

/** One group of `tansuo cost --by`; run and key are null for calls outside any run or key. */
export interface SpendRow extends SpendTotals {
  day?: string;
  model?: string;
  run?: string | null;
  key?: string | null;
}

export interface SpendList extends List<SpendRow> {
  by: "day" | "model" | "run" | "key";
  total: SpendTotals;
}

export interface EvalSummaryRow {
  directory: string;
  suite: string;
  model: string;
  reference: boolean;
  tasks: number;
  pass_at_1: number;
  cost_usd: string;
  cost_per_task_usd: string;
  cost_per_solved_usd: string | null;
  complete: boolean;
}
