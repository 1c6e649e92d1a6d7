-- Break-the-glass (domain::emergency_access): a worker who has no part in a case opens it
-- read-only for a limited time after stating why. Each opening is a row: who, which case, the
-- reason, from when until when (`ended_at` when she closed it early), and the review by a
-- supervisor of the case's unit (`review`: NULL pending, `justified` or `unjustified`, with a
-- note). The reads themselves are in the audit trail, as every read is. Each organisation's
-- settings: how many hours an opening lasts and the case types that forbid it (JSON array of
-- codes); no row means the defaults (3 hours, every type allows it).
CREATE TABLE emergency_access (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    account_id TEXT NOT NULL REFERENCES account(id),
    reason TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT,
    review TEXT,
    review_note TEXT,
    reviewed_by TEXT REFERENCES account(id),
    reviewed_at TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX emergency_access_case ON emergency_access (case_id, expires_at);
CREATE INDEX emergency_access_account ON emergency_access (account_id, opened_at);
CREATE INDEX emergency_access_org ON emergency_access (org_id, opened_at);
CREATE TABLE emergency_access_setting (
    org_id TEXT PRIMARY KEY REFERENCES org(id),
    hours BIGINT NOT NULL,
    forbidden_types TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES account(id),
    updated_at TEXT NOT NULL
);
