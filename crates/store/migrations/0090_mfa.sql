-- Two-step verification (app::mfa). `account_mfa`: an account's TOTP secret (base32), set up
-- when `confirmed_at` is set (a row without it is a set-up begun and not finished), and the
-- last time step a code was accepted for (a code is never accepted twice). `mfa_recovery_code`:
-- one-time recovery codes, only their SHA-256 kept, each used once. `login_challenge`: the step
-- between a right password and a right code (the cookie's SHA-256, a few minutes, a few tries).
-- `mfa_policy`: the roles of an organisation that must use it (JSON array of role codes; no
-- row: none must).
CREATE TABLE account_mfa (
    account_id TEXT PRIMARY KEY REFERENCES account(id),
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    last_step BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE mfa_recovery_code (
    account_id TEXT NOT NULL REFERENCES account(id),
    code_hash TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (account_id, code_hash)
);
CREATE TABLE login_challenge (
    id_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES account(id),
    attempts BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX login_challenge_account ON login_challenge (account_id);
CREATE TABLE mfa_policy (
    org_id TEXT PRIMARY KEY REFERENCES org(id),
    roles TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES account(id),
    updated_at TEXT NOT NULL
);
