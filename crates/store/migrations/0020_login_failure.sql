-- Failed logins under names that are no usable account (unknown, inactive, or demo outside
-- demo mode), counted and locked exactly as an account's own `failed_logins`/`locked_until`,
-- so that the lockout does not tell which names are accounts.
CREATE TABLE login_failure (
    username TEXT PRIMARY KEY,
    failed_logins BIGINT NOT NULL,
    locked_until TEXT,
    last_failed_at TEXT NOT NULL
);
