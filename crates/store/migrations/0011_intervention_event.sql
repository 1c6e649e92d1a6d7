-- Intervention status updates between plan versions: each change is an event; the status in
-- force is the latest event after the plan version came into force, else the plan's own.
CREATE TABLE intervention_event (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    intervention_id TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL
);
CREATE INDEX intervention_event_case ON intervention_event(case_id, created_at);
