-- Data-subject requests under the PDPA (domain::data_request): what a person asked of the
-- agency about her data, when it was received and is due (30 days), who recorded it (and so
-- which unit answers it), and the answer: completed, or refused on a legal ground, with what
-- the person was told. Rows are never deleted: the register is the agency's proof.
CREATE TABLE data_request (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    person_id TEXT NOT NULL REFERENCES person(id),
    kind TEXT NOT NULL,
    received_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    details TEXT NOT NULL,
    status TEXT NOT NULL,
    ground TEXT,
    answer_note TEXT,
    recorded_by TEXT NOT NULL REFERENCES account(id),
    unit_id TEXT REFERENCES unit(id),
    recorded_at TEXT NOT NULL,
    answered_by TEXT REFERENCES account(id),
    answered_at TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX data_request_org_status ON data_request (org_id, status, due_on);
CREATE INDEX data_request_person ON data_request (person_id);
