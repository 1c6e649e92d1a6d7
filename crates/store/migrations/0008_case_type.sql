-- Case types as configuration, per organisation. A row changes a built-in type (label
-- overrides, active flag, review interval, approvals) or adds the organisation's own type;
-- built-in types without a row keep their defaults (domain::case_type::effective).
CREATE TABLE case_type (
    org_id TEXT NOT NULL REFERENCES org(id),
    code TEXT NOT NULL,
    label_th TEXT,
    label_en TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    review_days BIGINT NOT NULL DEFAULT 30,
    plan_approval BIGINT NOT NULL DEFAULT 0,
    closure_approval BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    updated_by TEXT REFERENCES account(id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, code)
);
