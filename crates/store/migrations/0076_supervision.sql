-- Supervision sessions: a supervisor with a worker of her unit. Visible to the author, the
-- worker and the supervisors of the worker's unit (the rule is the use case's, the unit is kept
-- here as it was when the session was held).
CREATE TABLE supervision_session (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    unit_id TEXT NOT NULL REFERENCES unit(id),
    supervisor_id TEXT NOT NULL REFERENCES account(id),
    worker_id TEXT NOT NULL REFERENCES account(id),
    held_on TEXT NOT NULL,
    caseload_reviewed BIGINT NOT NULL,
    cases_discussed TEXT NOT NULL,
    agreed_actions TEXT NOT NULL,
    wellbeing TEXT NOT NULL,
    training_needs TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX supervision_worker ON supervision_session(worker_id, held_on);
CREATE INDEX supervision_unit ON supervision_session(unit_id, held_on);
