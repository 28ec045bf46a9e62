/**
 * The Postgres store's schema, as an ordered list of migrations: a database records in `schema_migrations` the
 * versions it has, and opening it applies the missing ones in order. Append only: a released migration is never
 * edited (a change is a new version). Money is NUMERIC (exact decimals, never float); JSON is kept as its text.
 */
export const postgresMigrations: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  -- The order runs were created in (newest first in lists), as SQLite's rowid gives it.
  position BIGSERIAL NOT NULL,
  status TEXT NOT NULL,
  settings TEXT NOT NULL,
  owner_key_id TEXT,
  output TEXT,
  error TEXT,
  usage TEXT NOT NULL,
  cost_usd NUMERIC NOT NULL,
  step_count INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_until BIGINT,
  started_step INTEGER,
  started_prompt_tokens INTEGER,
  started_max_output_tokens INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX runs_by_owner ON runs (owner_key_id, created_at);
CREATE INDEX runs_by_creation ON runs (created_at, position);
CREATE TABLE steps (
  run_id TEXT NOT NULL REFERENCES runs (id),
  step_index INTEGER NOT NULL,
  assistant TEXT NOT NULL,
  finish_reason TEXT NOT NULL,
  usage TEXT NOT NULL,
  cost_usd NUMERIC NOT NULL,
  price TEXT NOT NULL,
  model TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (run_id, step_index)
);
CREATE TABLE tool_calls (
  run_id TEXT NOT NULL REFERENCES runs (id),
  step_index INTEGER NOT NULL,
  position INTEGER NOT NULL,
  call_id TEXT NOT NULL,
  tool_name TEXT NOT NULL,
  input TEXT NOT NULL,
  status TEXT NOT NULL,
  output TEXT,
  output_images TEXT,
  is_error BOOLEAN NOT NULL DEFAULT FALSE,
  started_at TEXT,
  finished_at TEXT,
  PRIMARY KEY (run_id, call_id)
);
CREATE TABLE run_messages (
  run_id TEXT NOT NULL REFERENCES runs (id),
  message_index INTEGER NOT NULL,
  after_step INTEGER NOT NULL,
  content TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (run_id, message_index)
);
CREATE TABLE events (
  sequence BIGSERIAL PRIMARY KEY,
  run_id TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX events_by_run ON events (run_id, sequence);
CREATE TABLE ledger (
  id BIGSERIAL PRIMARY KEY,
  at TEXT NOT NULL,
  key_id TEXT,
  run_id TEXT,
  model TEXT NOT NULL,
  usage TEXT NOT NULL,
  cost_usd NUMERIC NOT NULL,
  price TEXT NOT NULL
);
CREATE INDEX ledger_by_key ON ledger (key_id, at);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  -- The order keys were made in, for listings of keys made in the same millisecond.
  position BIGSERIAL NOT NULL,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  budget_usd NUMERIC,
  requests_per_minute INTEGER,
  concurrency INTEGER,
  admin BOOLEAN NOT NULL DEFAULT FALSE,
  spent_usd NUMERIC NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE TABLE budget_holds (
  account_kind TEXT NOT NULL,
  account_id TEXT NOT NULL,
  hold_id TEXT NOT NULL,
  amount_usd NUMERIC NOT NULL,
  owner TEXT NOT NULL,
  run_id TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (account_kind, account_id, hold_id)
);
CREATE INDEX budget_holds_by_hold ON budget_holds (hold_id);
CREATE INDEX budget_holds_by_run ON budget_holds (run_id);
`,
  },
  {
    version: 2,
    // Workers look for the oldest queued or running run (claimQueuedRun).
    sql: "CREATE INDEX runs_by_status ON runs (status, created_at);",
  },
  {
    version: 3,
    // Keys' requests-per-minute windows and concurrency slots (see key-admission.ts). The admission is a function
    // so that a gateway admits a request in one round trip: it locks the key's row, so admissions of one key from
    // any number of gateways run one at a time, and each statement in it sees the ones committed before.
    sql: `
CREATE TABLE key_requests (
  id BIGSERIAL PRIMARY KEY,
  key_id TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX key_requests_by_key ON key_requests (key_id, at);
CREATE TABLE key_slots (
  slot_id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  owner TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX key_slots_by_key ON key_slots (key_id);
CREATE FUNCTION admit_key_request(
  p_key_id TEXT, p_requests_per_minute INTEGER, p_concurrency INTEGER,
  p_slot_id TEXT, p_owner TEXT, p_expires_at BIGINT, p_now BIGINT, p_window BIGINT
) RETURNS TABLE (refused_by TEXT, oldest_at BIGINT) LANGUAGE plpgsql AS $$
DECLARE
  v_oldest BIGINT;
  v_held INTEGER;
BEGIN
  PERFORM 1 FROM api_keys WHERE id = p_key_id FOR UPDATE;
  IF p_requests_per_minute IS NOT NULL THEN
    DELETE FROM key_requests WHERE key_id = p_key_id AND at <= p_now - p_window;
    SELECT at INTO v_oldest FROM key_requests WHERE key_id = p_key_id
      ORDER BY at DESC OFFSET p_requests_per_minute - 1 LIMIT 1;
    IF FOUND THEN
      RETURN QUERY SELECT 'requests-per-minute'::TEXT, v_oldest;
      RETURN;
    END IF;
    INSERT INTO key_requests (key_id, at) VALUES (p_key_id, p_now);
  END IF;
  IF p_concurrency IS NOT NULL THEN
    SELECT count(*) INTO v_held FROM key_slots WHERE key_id = p_key_id;
    IF v_held >= p_concurrency THEN
      RETURN QUERY SELECT 'concurrency'::TEXT, NULL::BIGINT;
      RETURN;
    END IF;
    INSERT INTO key_slots (slot_id, key_id, owner, expires_at) VALUES (p_slot_id, p_key_id, p_owner, p_expires_at);
  END IF;
  RETURN QUERY SELECT NULL::TEXT, NULL::BIGINT;
END
$$;
`,
  },
  {
    version: 4,
    // Agents as tools: a child run's parent and the parent's tool call that started it; children listed by parent.
    sql: `
ALTER TABLE runs ADD COLUMN parent_run_id TEXT;
ALTER TABLE runs ADD COLUMN parent_call_id TEXT;
CREATE INDEX runs_by_parent ON runs (parent_run_id, created_at);
`,
  },
  {
    version: 5,
    // Checkpoints: workspace files before and after each change a run made (undo, runs diff); bytes as bytea.
    sql: `
CREATE TABLE checkpoints (
  sequence BIGSERIAL PRIMARY KEY,
  run_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  call_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  path TEXT NOT NULL,
  before_kind TEXT NOT NULL,
  before_content BYTEA,
  before_size BIGINT,
  after_kind TEXT,
  after_content BYTEA,
  after_size BIGINT,
  at TEXT NOT NULL
);
CREATE INDEX checkpoints_by_run ON checkpoints (run_id, sequence);
`,
  },
  {
    version: 6,
    // Steering: messages typed while a run works, until its next tool boundary moves them into run_messages.
    sql: `
CREATE TABLE run_pending_messages (
  sequence BIGSERIAL PRIMARY KEY,
  run_id TEXT NOT NULL,
  content TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX run_pending_messages_by_run ON run_pending_messages (run_id, sequence);
`,
  },
  {
    version: 7,
    // Responses API answers kept for previous_response_id: the request's input items and the output items as JSON
    // text, as SQLite keeps them.
    sql: `
CREATE TABLE responses (
  id TEXT PRIMARY KEY,
  owner_key_id TEXT,
  previous_response_id TEXT,
  model TEXT NOT NULL,
  input_items TEXT NOT NULL,
  output_items TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`,
  },
];
