-- Periodic reviews of the agency's case-management policy (domain::policy_review): the
-- organisation's review cycle, each review with the measures computed for its period (JSON,
-- domain::policy_review::Measure, aggregates only), and its findings, decisions and actions.
-- An action has an owner and a due date and is tracked to done. Every table carries `org_id`,
-- the key a distributed PostgreSQL would shard it by.
CREATE TABLE policy_review_cycle (
    org_id TEXT PRIMARY KEY REFERENCES org(id),
    months BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES account(id),
    updated_at TEXT NOT NULL
);
CREATE TABLE policy_review (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    title TEXT NOT NULL,
    period TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_until TEXT NOT NULL,
    status TEXT NOT NULL,
    measures TEXT NOT NULL,
    measured_at TEXT NOT NULL,
    summary TEXT,
    created_by TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL,
    concluded_by TEXT REFERENCES account(id),
    concluded_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (org_id, period)
);
CREATE INDEX policy_review_org ON policy_review(org_id, period_from);
CREATE TABLE policy_review_item (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    review_id TEXT NOT NULL REFERENCES policy_review(id),
    kind TEXT NOT NULL,
    area TEXT NOT NULL,
    text TEXT NOT NULL,
    owner_id TEXT REFERENCES account(id),
    due_on TEXT,
    status TEXT,
    note TEXT,
    created_by TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES account(id),
    updated_at TEXT NOT NULL,
    done_at TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX policy_review_item_review ON policy_review_item(review_id, created_at);
CREATE INDEX policy_review_item_open ON policy_review_item(org_id, due_on)
    WHERE kind = 'action' AND status IN ('open', 'in_progress');
