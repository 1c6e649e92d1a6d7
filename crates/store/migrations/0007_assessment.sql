-- Assessment templates (every version of every template, per organisation; a published
-- version is never updated) and the assessments made with them.

CREATE TABLE assessment_template (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    template_key TEXT NOT NULL,
    version BIGINT NOT NULL,
    status TEXT NOT NULL,
    title_th TEXT NOT NULL,
    title_en TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT REFERENCES account(id),
    published_at TEXT,
    published_by TEXT REFERENCES account(id),
    UNIQUE (org_id, template_key, version)
);

CREATE TABLE assessment (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    template_id TEXT NOT NULL REFERENCES assessment_template(id),
    template_key TEXT NOT NULL,
    template_version BIGINT NOT NULL,
    status TEXT NOT NULL,
    answers TEXT NOT NULL,
    notes TEXT NOT NULL,
    scores TEXT,
    total_score BIGINT,
    level TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by TEXT REFERENCES account(id),
    updated_at TEXT NOT NULL,
    updated_by TEXT REFERENCES account(id),
    completed_at TEXT,
    completed_by TEXT REFERENCES account(id)
);
CREATE INDEX assessment_case ON assessment(case_id, created_at);
