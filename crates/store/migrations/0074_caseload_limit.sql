-- A worker's caseload limit, set by a supervisor of her unit; NULL: the default
-- (domain::caseload::DEFAULT_LIMIT).
ALTER TABLE account ADD COLUMN caseload_limit BIGINT;
