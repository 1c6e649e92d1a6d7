-- Platform foundation: organisations, units, accounts, sessions, tokens, audit, revisions.
-- Portable SQL: the same text runs on SQLite and PostgreSQL. Ids are UUIDv7 text, instants are
-- RFC 3339 UTC text with microseconds (sortable as text), integers are BIGINT (i64 in both).

CREATE TABLE org (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    demo BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE unit (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX unit_org ON unit(org_id);

CREATE TABLE account (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    unit_id TEXT REFERENCES unit(id),
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    profession TEXT,
    password_hash TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT 'th',
    era TEXT NOT NULL DEFAULT 'be',
    active BIGINT NOT NULL DEFAULT 1,
    demo BIGINT NOT NULL DEFAULT 0,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until TEXT,
    password_changed_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX account_org ON account(org_id);

CREATE TABLE session (
    id_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES account(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX session_account ON session(account_id);

CREATE TABLE api_token (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES account(id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_token_account ON api_token(account_id);

CREATE TABLE audit_event (
    id TEXT PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    org_id TEXT,
    actor_id TEXT,
    actor_username TEXT,
    action TEXT NOT NULL,
    entity_type TEXT,
    entity_id TEXT,
    outcome TEXT NOT NULL,
    reason TEXT,
    request_id TEXT,
    chain_seq BIGINT UNIQUE,
    hash TEXT
);
CREATE INDEX audit_event_unsealed ON audit_event(id) WHERE chain_seq IS NULL;
CREATE INDEX audit_event_occurred ON audit_event(occurred_at);
CREATE INDEX audit_event_actor ON audit_event(actor_username);

CREATE TABLE audit_seal (
    seq_to BIGINT PRIMARY KEY,
    seq_from BIGINT NOT NULL,
    head_hash TEXT NOT NULL,
    sealed_at TEXT NOT NULL
);

CREATE TABLE revision (
    id TEXT PRIMARY KEY,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    snapshot TEXT NOT NULL,
    actor_id TEXT,
    reason TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (entity_type, entity_id, version)
);
