-- Initial schema. Migrations are applied in file-name order, each once, in a transaction.

CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'designer', 'clinician', 'viewer')),
  -- SHA-256 of the token; the token itself is shown once and never stored
  hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);

CREATE TABLE protocols (
  id TEXT PRIMARY KEY,
  registry_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  latest_version INTEGER NOT NULL
);

CREATE TABLE protocol_versions (
  protocol_id TEXT NOT NULL REFERENCES protocols (id),
  version INTEGER NOT NULL,
  yaml TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL,
  change_note TEXT NOT NULL,
  PRIMARY KEY (protocol_id, version)
);

-- a saved version never changes: an edit is a new version
CREATE TRIGGER protocol_versions_immutable BEFORE UPDATE ON protocol_versions
BEGIN
  SELECT RAISE(ABORT, 'protocol versions are immutable');
END;
CREATE TRIGGER protocol_versions_kept BEFORE DELETE ON protocol_versions
BEGIN
  SELECT RAISE(ABORT, 'protocol versions are kept');
END;

CREATE TABLE subjects (
  id TEXT PRIMARY KEY,
  protocol_id TEXT NOT NULL REFERENCES protocols (id),
  -- pseudonymous code, never a name
  code TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('screened', 'randomized', 'withdrawn')),
  arm TEXT,
  record TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (protocol_id, code)
);

-- the screening log: every evaluation, with the exact protocol version it used
CREATE TABLE evaluations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  protocol_id TEXT NOT NULL REFERENCES protocols (id),
  version INTEGER NOT NULL,
  subject_id TEXT REFERENCES subjects (id),
  overall TEXT NOT NULL CHECK (overall IN ('eligible', 'ineligible', 'undetermined')),
  failing TEXT NOT NULL,
  verdict TEXT NOT NULL,
  actor TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX evaluations_by_protocol ON evaluations (protocol_id, id);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  action TEXT NOT NULL,
  hash_before TEXT,
  hash_after TEXT
);

-- append-only, enforced by the database itself
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
