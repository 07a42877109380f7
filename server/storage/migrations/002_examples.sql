-- Example patients (a protocol's own tests, protocols/<id>.examples.yaml), versioned
-- like the protocol: a save is a new row, a saved row never changes. Kept apart from
-- protocol_versions (immutable by trigger) so that examples can be corrected without
-- a new protocol version; protocol_version records the version they were checked against.

CREATE TABLE protocol_examples (
  protocol_id TEXT NOT NULL REFERENCES protocols (id),
  version INTEGER NOT NULL CHECK (version >= 1),
  yaml TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  protocol_version INTEGER NOT NULL,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL,
  change_note TEXT NOT NULL,
  PRIMARY KEY (protocol_id, version),
  FOREIGN KEY (protocol_id, protocol_version) REFERENCES protocol_versions (protocol_id, version)
);

CREATE TRIGGER protocol_examples_immutable BEFORE UPDATE ON protocol_examples
BEGIN
  SELECT RAISE(ABORT, 'saved examples are immutable');
END;
CREATE TRIGGER protocol_examples_kept BEFORE DELETE ON protocol_examples
BEGIN
  SELECT RAISE(ABORT, 'saved examples are kept');
END;
