-- A protocol's lifecycle (server/routes/protocol-status.ts says which changes are allowed):
-- draft (being written: not open to clinicians), active (open for screening and
-- registration), retired (closed to new screening and registration; its subjects are
-- still followed). Protocols stored before this migration were in use: they become active.
ALTER TABLE protocols ADD COLUMN status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('draft', 'active', 'retired'));

-- Who changed a protocol's status, when and why: one row per change, never edited.
-- Kept beside the audit row that each change also writes (hash-chained, same
-- transaction) because the audit's action is one line of text, while the library shows
-- the latest change and a protocol's history by protocol, with its reason as written.
CREATE TABLE protocol_status_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  protocol_id TEXT NOT NULL REFERENCES protocols (id),
  -- NULL: the status the protocol was created (or first recorded) with
  from_status TEXT CHECK (from_status IN ('draft', 'active', 'retired')),
  to_status TEXT NOT NULL CHECK (to_status IN ('draft', 'active', 'retired')),
  reason TEXT,
  actor TEXT NOT NULL,
  actor_token_id TEXT,
  actor_role TEXT,
  -- ISO instant (toISOString)
  at TEXT NOT NULL
);
CREATE INDEX protocol_status_changes_by_protocol ON protocol_status_changes (protocol_id, id);

CREATE TRIGGER protocol_status_changes_no_update BEFORE UPDATE ON protocol_status_changes
BEGIN
  SELECT RAISE(ABORT, 'protocol status changes are append-only');
END;
CREATE TRIGGER protocol_status_changes_no_delete BEFORE DELETE ON protocol_status_changes
BEGIN
  SELECT RAISE(ABORT, 'protocol status changes are append-only');
END;

INSERT INTO protocol_status_changes (protocol_id, from_status, to_status, reason, actor, actor_token_id, actor_role, at)
  SELECT id, NULL, 'active', 'in use before protocol statuses existed (migration 006)', 'system', 'system', NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM protocols;
