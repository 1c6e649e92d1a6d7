-- Consultation threads on a case: the question, replies in order, the colleagues mentioned
-- (asked), and the summary of the advice taken when resolved. Nothing is deleted.
CREATE TABLE consultation (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    subject TEXT NOT NULL,
    question TEXT NOT NULL,
    asked_by TEXT NOT NULL REFERENCES account(id),
    status TEXT NOT NULL,
    resolution TEXT,
    resolved_by TEXT REFERENCES account(id),
    resolved_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX consultation_case ON consultation(case_id, created_at);

CREATE TABLE consultation_reply (
    id TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES consultation(id),
    body TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL
);
CREATE INDEX consultation_reply_thread ON consultation_reply(consultation_id, created_at);

CREATE TABLE consultation_mention (
    id TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES consultation(id),
    reply_id TEXT REFERENCES consultation_reply(id),
    account_id TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL
);
CREATE INDEX consultation_mention_thread ON consultation_mention(consultation_id);
