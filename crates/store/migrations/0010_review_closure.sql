-- Reviews of the plan, closures with their summaries, and follow-up contacts after closure.
CREATE TABLE case_review (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    held_on TEXT NOT NULL,
    outcome TEXT NOT NULL,
    note TEXT NOT NULL,
    gas_t_tenths BIGINT,
    recorded_by TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL
);
CREATE INDEX case_review_case ON case_review(case_id, held_on);

-- status: awaiting_approval -> approved (or returned); ready when no approval is needed;
-- done once the case is closed with it; superseded when the case is reopened.
CREATE TABLE case_closure (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    reason TEXT NOT NULL,
    summary TEXT NOT NULL,
    goal_outcomes TEXT NOT NULL,
    final_gas_tenths BIGINT,
    follow_up_months TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL,
    decided_by TEXT REFERENCES account(id),
    decided_at TEXT
);
CREATE INDEX case_closure_case ON case_closure(case_id);

CREATE TABLE follow_up (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    closure_id TEXT NOT NULL REFERENCES case_closure(id),
    due_on TEXT NOT NULL,
    done_on TEXT,
    note TEXT,
    done_by TEXT REFERENCES account(id),
    created_at TEXT NOT NULL
);
CREATE INDEX follow_up_due ON follow_up(due_on);
