-- Gatekeeping of scarce resources: programmes (a unit of allocation, capacity, documents
-- required), who may decide how much (`programme_authority`: a role or one account; no limit =
-- a committee), the eligibility criteria in versions (CEL rules, JSON; draft → published →
-- retired), requests for an allocation with the eligibility check stored as it was, their
-- history, and budgets by Thai fiscal year (BE) kept as an append-only ledger whose totals are
-- carried on the budget row (updated in the same transaction as each entry, so a guarded
-- UPDATE decides the race for the last baht). Amounts: integers in the programme's minor unit
-- (satang for baht).
CREATE TABLE programme (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    name_th TEXT NOT NULL,
    name_en TEXT,
    description TEXT,
    unit TEXT NOT NULL,
    capacity BIGINT,
    in_use BIGINT NOT NULL DEFAULT 0,
    documents TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'active',
    created_by TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX programme_org ON programme(org_id, status);
CREATE TABLE programme_authority (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programme(id),
    role TEXT,
    account_id TEXT REFERENCES account(id),
    limit_minor BIGINT,
    position BIGINT NOT NULL
);
CREATE INDEX programme_authority_programme ON programme_authority(programme_id, position);
CREATE TABLE programme_criteria (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programme(id),
    version BIGINT NOT NULL,
    status TEXT NOT NULL,
    criteria TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL,
    published_by TEXT REFERENCES account(id),
    published_at TEXT,
    UNIQUE (programme_id, version)
);
CREATE TABLE allocation_request (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    client_id TEXT NOT NULL REFERENCES person(id),
    programme_id TEXT NOT NULL REFERENCES programme(id),
    criteria_version BIGINT,
    amount BIGINT NOT NULL,
    disbursed BIGINT NOT NULL DEFAULT 0,
    goal_id TEXT,
    purpose TEXT NOT NULL,
    justification TEXT NOT NULL,
    check_result TEXT NOT NULL,
    eligibility TEXT NOT NULL,
    required_limit BIGINT,
    required_unlimited BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    reason TEXT,
    override_reason TEXT,
    budget_override_reason TEXT,
    budget_id TEXT,
    fiscal_year BIGINT NOT NULL,
    urgency TEXT NOT NULL,
    waiting_since TEXT,
    decided_by TEXT REFERENCES account(id),
    decided_at TEXT,
    created_by TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX allocation_request_case ON allocation_request(case_id, created_at);
CREATE INDEX allocation_request_client ON allocation_request(client_id, programme_id, status);
CREATE INDEX allocation_request_programme ON allocation_request(programme_id, status, created_at);
CREATE TABLE allocation_event (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES allocation_request(id),
    kind TEXT NOT NULL,
    to_status TEXT,
    reason TEXT,
    actor_id TEXT REFERENCES account(id),
    at TEXT NOT NULL
);
CREATE INDEX allocation_event_request ON allocation_event(request_id, at);
CREATE TABLE budget (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    programme_id TEXT NOT NULL REFERENCES programme(id),
    fiscal_year BIGINT NOT NULL,
    unit_id TEXT REFERENCES unit(id),
    scope TEXT NOT NULL,
    allocated BIGINT NOT NULL DEFAULT 0,
    committed BIGINT NOT NULL DEFAULT 0,
    disbursed BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (programme_id, fiscal_year, scope)
);
CREATE TABLE budget_entry (
    id TEXT PRIMARY KEY,
    budget_id TEXT NOT NULL REFERENCES budget(id),
    kind TEXT NOT NULL,
    amount BIGINT NOT NULL,
    request_id TEXT REFERENCES allocation_request(id),
    reverses_id TEXT UNIQUE REFERENCES budget_entry(id),
    occurred_on TEXT NOT NULL,
    method TEXT,
    receipt_ref TEXT,
    attachment_id TEXT,
    note TEXT,
    created_by TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL
);
CREATE INDEX budget_entry_budget ON budget_entry(budget_id, created_at);
CREATE INDEX budget_entry_request ON budget_entry(request_id);
