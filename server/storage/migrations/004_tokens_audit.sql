-- Tokens that expire and are rotated; an audit that names the token and role of
-- its actor and is hash-chained (server/storage/audit-chain.ts says how).

-- NULL: never expires. An ISO instant (toISOString), compared as text.
ALTER TABLE tokens ADD COLUMN expires_at TEXT;
-- the token this one replaced (POST /tokens/:id/rotate), NULL for a token created as such
ALTER TABLE tokens ADD COLUMN rotated_from TEXT REFERENCES tokens (id);

-- NULL for rows written before this migration: who held which token then is not known
ALTER TABLE audit ADD COLUMN actor_token_id TEXT;
ALTER TABLE audit ADD COLUMN actor_role TEXT;
-- the previous row's row_hash (the genesis value for the first row) and this row's own
ALTER TABLE audit ADD COLUMN prev_hash TEXT;
ALTER TABLE audit ADD COLUMN row_hash TEXT;

-- Rows up to legacy_through existed before the chain: the store chains them once
-- (chained_at set then) when it first opens the database. Any later row without
-- its hashes was not written by the store, and is never chained after the fact.
CREATE TABLE audit_chain_state (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  legacy_through INTEGER NOT NULL,
  chained_at TEXT
);
INSERT INTO audit_chain_state (singleton, legacy_through, chained_at)
  SELECT 1, coalesce(max(id), 0), CASE WHEN count(*) = 0 THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END FROM audit;

-- every new row is written with its place in the chain
CREATE TRIGGER audit_chained BEFORE INSERT ON audit
WHEN NEW.prev_hash IS NULL OR NEW.row_hash IS NULL
BEGIN
  SELECT RAISE(ABORT, 'audit rows are written with their hash chain');
END;
