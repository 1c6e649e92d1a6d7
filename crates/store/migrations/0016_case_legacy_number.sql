-- A case imported from an earlier system keeps that system's number (`karuna import cases`),
-- unique in its organisation, so that the earlier system's contacts can name it.
ALTER TABLE case_file ADD COLUMN legacy_number TEXT;
CREATE UNIQUE INDEX case_file_legacy_number ON case_file(org_id, legacy_number)
    WHERE legacy_number IS NOT NULL;
