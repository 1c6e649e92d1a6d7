-- The handover note that goes with a case transferred to another case manager (what she must
-- know: risks, promises made, next steps), acknowledged by her. Nothing is deleted.
CREATE TABLE case_handover (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    from_manager TEXT NOT NULL REFERENCES account(id),
    to_manager TEXT NOT NULL REFERENCES account(id),
    note TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL,
    acknowledged_at TEXT
);
CREATE INDEX case_handover_case ON case_handover(case_id, created_at);
CREATE INDEX case_handover_pending ON case_handover(to_manager) WHERE acknowledged_at IS NULL;
