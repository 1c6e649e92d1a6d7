-- The individual plan, kept as versions (each a complete JSON document of goals and
-- interventions; earlier versions never change), and progress entries per goal.
CREATE TABLE plan_version (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    number BIGINT NOT NULL,
    content TEXT NOT NULL,
    reason TEXT,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL,
    decided_by TEXT REFERENCES account(id),
    decided_at TEXT,
    UNIQUE (case_id, number)
);

CREATE TABLE goal_progress (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    goal_id TEXT NOT NULL,
    plan_number BIGINT NOT NULL,
    measured_on TEXT NOT NULL,
    gas BIGINT,
    value TEXT,
    source TEXT NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL
);
CREATE INDEX goal_progress_case ON goal_progress(case_id, measured_on);
