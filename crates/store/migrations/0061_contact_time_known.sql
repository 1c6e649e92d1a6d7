-- A contact recorded without a time of day is kept at noon, Bangkok time (for ordering), and
-- shown with its date only. Earlier rows keep 1: whether their noon was typed cannot be told.
ALTER TABLE contact ADD COLUMN time_known BIGINT NOT NULL DEFAULT 1;
