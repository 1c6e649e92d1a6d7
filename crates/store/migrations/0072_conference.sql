-- Case conferences: the meeting (one row), its agenda of cases, its attendees (colleagues by
-- account; people of other agencies by name), and per case the minutes as versions (a JSON
-- document each: views, facts, discussion, decisions with action items) that never change once
-- written: `draft` until the chair confirms (`confirmed`), an earlier version `superseded`.
-- Action items become tasks on confirmation (task.conference_id, decision_id, action_id: an
-- item carried over unchanged keeps its id, so it never becomes a second task).
CREATE TABLE conference (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    place TEXT,
    online_link TEXT,
    chair_id TEXT NOT NULL REFERENCES account(id),
    status TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX conference_org_start ON conference(org_id, starts_at);

CREATE TABLE conference_case (
    conference_id TEXT NOT NULL REFERENCES conference(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    position BIGINT NOT NULL,
    PRIMARY KEY (conference_id, case_id)
);
CREATE INDEX conference_case_case ON conference_case(case_id);

CREATE TABLE conference_attendee (
    id TEXT PRIMARY KEY,
    conference_id TEXT NOT NULL REFERENCES conference(id),
    account_id TEXT REFERENCES account(id),
    name TEXT,
    organisation TEXT,
    role TEXT,
    position BIGINT NOT NULL
);
CREATE INDEX conference_attendee_conference ON conference_attendee(conference_id, position);

CREATE TABLE conference_minutes (
    id TEXT PRIMARY KEY,
    conference_id TEXT NOT NULL REFERENCES conference(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    number BIGINT NOT NULL,
    content TEXT NOT NULL,
    reason TEXT,
    status TEXT NOT NULL,
    written_by TEXT NOT NULL REFERENCES account(id),
    written_at TEXT NOT NULL,
    confirmed_by TEXT REFERENCES account(id),
    confirmed_at TEXT,
    UNIQUE (conference_id, case_id, number)
);

ALTER TABLE task ADD COLUMN conference_id TEXT REFERENCES conference(id);
ALTER TABLE task ADD COLUMN decision_id TEXT;
ALTER TABLE task ADD COLUMN action_id TEXT;
CREATE INDEX task_conference ON task(conference_id, action_id);
