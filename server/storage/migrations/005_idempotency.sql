-- Answers to POST requests sent with an Idempotency-Key (server/http/idempotency.ts):
-- the first request's answer, replayed to a retry of the same request.
-- Keyed by the token that sent it, so two clients' keys never meet.
-- Not clinical data and not audited: the request's own writes are.
CREATE TABLE idempotency_keys (
  token_id TEXT NOT NULL,
  key TEXT NOT NULL,
  -- SHA-256 of method, path with query, and the SHA-256 of the body: a key reused for another request is refused
  fingerprint TEXT NOT NULL,
  -- running: the first request is being handled; done: its answer is below
  state TEXT NOT NULL CHECK (state IN ('running', 'done')),
  -- the store instance handling a running request (one server per data directory: another owner's running row was left by a stopped process)
  owner TEXT NOT NULL,
  -- ISO instant (toISOString), compared as text; keys expire a fixed time after it
  created_at TEXT NOT NULL,
  status INTEGER,
  -- JSON object of the answer's headers (Content-Type, ETag, Location...)
  headers TEXT,
  body BLOB,
  PRIMARY KEY (token_id, key)
) WITHOUT ROWID;

-- pruning expired keys reads the oldest first
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
