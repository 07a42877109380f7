-- Blinding (server/auth.ts): a token may carry the `unblinded` permission, which
-- shows per-arm results of a masked protocol. Only an admin creates such a token;
-- admin tokens have the permission whatever this column says. Existing tokens
-- stay blinded (0): unblinding someone is a decision, never a migration's default.
ALTER TABLE tokens ADD COLUMN unblinded INTEGER NOT NULL DEFAULT 0 CHECK (unblinded IN (0, 1));
