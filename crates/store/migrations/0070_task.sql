-- Tasks of a case team: assigned to an account, or to a named person of another agency whom
-- the case manager follows up; optionally tied to a goal or an intervention of the plan (their
-- stable ids inside the plan's versions). History in task_event; nothing is deleted.
CREATE TABLE task (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    title TEXT NOT NULL,
    details TEXT,
    assignee_id TEXT REFERENCES account(id),
    outside_name TEXT,
    outside_organisation TEXT,
    due_date TEXT NOT NULL,
    priority TEXT NOT NULL,
    priority_rank BIGINT NOT NULL,
    status TEXT NOT NULL,
    status_reason TEXT,
    goal_id TEXT,
    intervention_id TEXT,
    created_by TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX task_case ON task(case_id, due_date);
CREATE INDEX task_assignee_active ON task(assignee_id, status, due_date);

CREATE TABLE task_event (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES task(id),
    kind TEXT NOT NULL,
    reason TEXT,
    actor_id TEXT NOT NULL REFERENCES account(id),
    at TEXT NOT NULL
);
CREATE INDEX task_event_task ON task_event(task_id, at);
