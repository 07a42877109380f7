-- Every save of a subject's record is kept: a new immutable row numbered per
-- subject from 1, with who saved it, when, what did (register, an edit through
-- the form, a visit, randomization...) and the editor's optional note.
-- subjects.record stays the latest version's text (what every route reads);
-- subjects.record_version is its number, the compare-and-set key of
-- PUT /subjects/:sid/record (as protocols.latest_version is for protocol versions).
CREATE TABLE subject_record_versions (
  subject_id TEXT NOT NULL REFERENCES subjects (id),
  version INTEGER NOT NULL CHECK (version >= 1),
  record TEXT NOT NULL,
  actor TEXT NOT NULL,
  created_at TEXT NOT NULL,
  action TEXT NOT NULL,
  note TEXT,
  PRIMARY KEY (subject_id, version)
);

-- versions are never rewritten nor removed
CREATE TRIGGER subject_record_versions_immutable BEFORE UPDATE ON subject_record_versions
BEGIN
  SELECT RAISE(ABORT, 'subject record versions are immutable');
END;
CREATE TRIGGER subject_record_versions_kept BEFORE DELETE ON subject_record_versions
BEGIN
  SELECT RAISE(ABORT, 'subject record versions are never deleted');
END;

ALTER TABLE subjects ADD COLUMN record_version INTEGER NOT NULL DEFAULT 1;

-- Existing subjects: their current record becomes version 1, saved by whoever
-- last changed it according to the audit (the registering actor at least),
-- at the subject's last change.
INSERT INTO subject_record_versions (subject_id, version, record, actor, created_at, action, note)
  SELECT s.id, 1, s.record,
    coalesce((SELECT a.actor FROM audit a WHERE a.entity = 'subject' AND a.entity_id = s.id AND a.hash_after IS NOT NULL ORDER BY a.id DESC LIMIT 1), 'system'),
    s.updated_at, 'record as stored before versions were kept', NULL
  FROM subjects s;
