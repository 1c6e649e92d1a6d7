-- The learned layer of the complexity screening (domain::screening_model): each training run of
-- an organisation, numbered from 1. `status` is `training` while it runs, then `ready` (the
-- fitted model with its validation figures as JSON in `model`), `too_few` (too few closed
-- cases, or too few long or short ones: the counts say which) or `failed`. The latest `ready`
-- run scores new screenings unless the organisation switched the layer off
-- (decision_support_setting, kind `complexity_model`).
CREATE TABLE screening_model (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    number BIGINT NOT NULL,
    status TEXT NOT NULL,
    closed_cases BIGINT NOT NULL DEFAULT 0,
    long_cases BIGINT NOT NULL DEFAULT 0,
    model TEXT,
    requested_by TEXT NOT NULL REFERENCES account(id),
    requested_at TEXT NOT NULL,
    finished_at TEXT,
    UNIQUE (org_id, number)
);
