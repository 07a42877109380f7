-- The record each screening evaluated (JSON, as posted), kept with its verdict so the
-- screening can be re-evaluated under a later version (amendment impact) and audited
-- against its inputs. NULL for evaluations logged before this migration.
ALTER TABLE evaluations ADD COLUMN patient TEXT;
