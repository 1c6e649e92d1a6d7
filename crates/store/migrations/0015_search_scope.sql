-- Access tokens in the search index (see crates/store/src/search/scope.rs): every document's
-- body ends with tokens naming its case's manager, unit and current team, so a search can
-- restrict the full-text match itself to the cases the user may open. Existing documents get
-- their tokens from the migration runner (Rust). The index on case_member serves the rewrite
-- that follows each team change.
CREATE INDEX IF NOT EXISTS case_member_current ON case_member(case_id, removed_at);
