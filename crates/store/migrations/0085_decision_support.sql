-- Decision support: each organisation's settings per kind of suggestion (switched on or off,
-- and its rules as JSON, versioned), and every suggestion made on a case with its reasons
-- (JSON), the settings' version it used, and what the worker decided: accepted, changed (with
-- what she chose instead) or rejected, with her reason when she went against it. A suggestion
-- is never applied by itself. `kind` `complexity` (domain::screening): `suggested` and
-- `decided` are levels; `service_match` (domain::service_match): `subject` is the need's
-- service category, `suggested` the best-fitting service, `decided` the one she chose.
CREATE TABLE decision_support_setting (
    org_id TEXT NOT NULL REFERENCES org(id),
    kind TEXT NOT NULL,
    enabled BIGINT NOT NULL,
    config TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES account(id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, kind)
);
CREATE TABLE suggestion (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    kind TEXT NOT NULL,
    trigger_event TEXT NOT NULL,
    config_version BIGINT NOT NULL,
    subject TEXT,
    suggested TEXT NOT NULL,
    score BIGINT NOT NULL,
    reasons TEXT NOT NULL,
    created_by TEXT REFERENCES account(id),
    created_at TEXT NOT NULL,
    decision TEXT,
    decided TEXT,
    decision_reason TEXT,
    decided_by TEXT REFERENCES account(id),
    decided_at TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX suggestion_case ON suggestion(case_id, created_at);
CREATE INDEX suggestion_org_kind ON suggestion(org_id, kind, decision);
