/** Schema of the embedded store; each statement is idempotent so opening an existing database is safe. */
export const sqliteSchema = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  settings TEXT NOT NULL,
  owner_key_id TEXT,
  output TEXT,
  error TEXT,
  usage TEXT NOT NULL,
  cost_usd TEXT NOT NULL,
  step_count INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_until INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_owner ON runs (owner_key_id, created_at);
CREATE INDEX IF NOT EXISTS runs_by_status ON runs (status, created_at);
CREATE TABLE IF NOT EXISTS steps (
  run_id TEXT NOT NULL REFERENCES runs (id),
  step_index INTEGER NOT NULL,
  assistant TEXT NOT NULL,
  finish_reason TEXT NOT NULL,
  usage TEXT NOT NULL,
  cost_usd TEXT NOT NULL,
  price TEXT NOT NULL,
  model TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (run_id, step_index)
);
CREATE TABLE IF NOT EXISTS tool_calls (
  run_id TEXT NOT NULL REFERENCES runs (id),
  step_index INTEGER NOT NULL,
  position INTEGER NOT NULL,
  call_id TEXT NOT NULL,
  tool_name TEXT NOT NULL,
  input TEXT NOT NULL,
  status TEXT NOT NULL,
  output TEXT,
  output_images TEXT,
  is_error INTEGER NOT NULL DEFAULT 0,
  started_at TEXT,
  finished_at TEXT,
  PRIMARY KEY (run_id, call_id)
);
-- Messages a person added to a finished run, each after the steps the run had then (see RunMessage).
CREATE TABLE IF NOT EXISTS run_messages (
  run_id TEXT NOT NULL REFERENCES runs (id),
  message_index INTEGER NOT NULL,
  after_step INTEGER NOT NULL,
  content TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (run_id, message_index)
);
-- Messages typed while the run works (steering), until its next tool boundary moves them into run_messages.
CREATE TABLE IF NOT EXISTS run_pending_messages (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL,
  content TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_run ON events (run_id, sequence);
CREATE TABLE IF NOT EXISTS ledger (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  key_id TEXT,
  run_id TEXT,
  model TEXT NOT NULL,
  usage TEXT NOT NULL,
  cost_usd TEXT NOT NULL,
  price TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_by_key ON ledger (key_id, at);
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  budget_usd TEXT,
  requests_per_minute INTEGER,
  concurrency INTEGER,
  spent_usd TEXT NOT NULL DEFAULT '0',
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
-- Holds of calls in flight, one row per budget held against: a few rows at a time, so one B-tree keyed by
-- account serves every query (removal by hold or run scans the few rows).
CREATE TABLE IF NOT EXISTS budget_holds (
  account_kind TEXT NOT NULL,
  account_id TEXT NOT NULL,
  hold_id TEXT NOT NULL,
  amount_usd TEXT NOT NULL,
  owner TEXT NOT NULL,
  run_id TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (account_kind, account_id, hold_id)
) WITHOUT ROWID;
-- Keys' requests-per-minute windows (epoch ms of each admitted request) and concurrency slots (see key-admission.ts).
CREATE TABLE IF NOT EXISTS key_requests (
  key_id TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS key_requests_by_key ON key_requests (key_id, at);
CREATE TABLE IF NOT EXISTS key_slots (
  slot_id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS key_slots_by_key ON key_slots (key_id);
-- Workspace files before and after each change a run made (checkpoints; see checkpoint-records.ts).
CREATE TABLE IF NOT EXISTS checkpoints (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  call_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  path TEXT NOT NULL,
  before_kind TEXT NOT NULL,
  before_content BLOB,
  before_size INTEGER,
  after_kind TEXT,
  after_content BLOB,
  after_size INTEGER,
  at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS checkpoints_by_run ON checkpoints (run_id, sequence);
-- Responses API answers kept for previous_response_id: the request's input items and the output items as JSON.
CREATE TABLE IF NOT EXISTS responses (
  id TEXT PRIMARY KEY,
  owner_key_id TEXT,
  previous_response_id TEXT,
  model TEXT NOT NULL,
  input_items TEXT NOT NULL,
  output_items TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`;

/** Run columns added after the first release, for databases created before them. */
export const sqliteAddedRunColumns: readonly [string, string][] = [
  ["lease_owner", "TEXT"],
  ["lease_until", "INTEGER"],
  // The call in flight (see StepStart): typed columns, read back as numbers, never parsed from an event.
  ["started_step", "INTEGER"],
  ["started_prompt_tokens", "INTEGER"],
  ["started_max_output_tokens", "INTEGER"],
  // A child run's parent (an agent used as a tool) and the parent's tool call that started it.
  ["parent_run_id", "TEXT"],
  ["parent_call_id", "TEXT"],
];

/** Indexes on added columns: created after the columns exist (ALTER TABLE runs before them on old databases). */
export const sqliteAddedIndexes = "CREATE INDEX IF NOT EXISTS runs_by_parent ON runs (parent_run_id, created_at);";

/** Tool-call columns added after the first release, for databases created before them. */
export const sqliteAddedToolCallColumns: readonly [string, string][] = [
  // The images a tool returned, as JSON [{ mediaType, base64 }]; NULL when it returned text only.
  ["output_images", "TEXT"],
];

/** API-key columns added after the first release, for databases created before them. */
export const sqliteAddedApiKeyColumns: readonly [string, string][] = [
  // 1 for a key that sees every run (tansuo keys create --admin); keys made before it see their own.
  ["admin", "INTEGER NOT NULL DEFAULT 0"],
];
