-- Written advocacy reports and community needs assessments (domain::advocacy): the report as
-- it stands now, and every version it went through (a full copy per change: an edit or a step
-- of the review). `content` is JSON (domain::advocacy::Content): the narrative, the problems,
-- the solutions, the figures as they were pre-filled, and the de-identified examples. Both
-- tables carry `org_id`, the key a distributed PostgreSQL would shard them by.
CREATE TABLE advocacy_report (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    audience TEXT NOT NULL,
    period TEXT NOT NULL,
    unit_id TEXT REFERENCES unit(id),
    province_code TEXT,
    status TEXT NOT NULL,
    content TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES account(id),
    updated_at TEXT NOT NULL,
    approved_by TEXT REFERENCES account(id),
    approved_at TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX advocacy_report_org ON advocacy_report(org_id, updated_at);
CREATE TABLE advocacy_report_version (
    org_id TEXT NOT NULL REFERENCES org(id),
    report_id TEXT NOT NULL REFERENCES advocacy_report(id),
    version BIGINT NOT NULL,
    change TEXT NOT NULL,
    reason TEXT,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    audience TEXT NOT NULL,
    content TEXT NOT NULL,
    changed_by TEXT NOT NULL REFERENCES account(id),
    changed_at TEXT NOT NULL,
    PRIMARY KEY (report_id, version)
);
