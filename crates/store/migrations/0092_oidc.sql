-- Single sign-on through OpenID Connect (app::oidc). `oidc_provider`: an organisation's
-- identity provider (issuer, client, Karuna's own address for the redirect), whether it is on,
-- and whether its workers may still sign in with a Karuna password (administrators always
-- may, so a provider outage cannot lock the agency out). `oidc_state`: a sign-in on its way
-- through the provider (the state's SHA-256, the nonce and PKCE verifier, ten minutes).
-- `account_oidc`: an account's link to one subject of one issuer, made at its first sign-in.
CREATE TABLE oidc_provider (
    org_id TEXT PRIMARY KEY REFERENCES org(id),
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    label TEXT NOT NULL,
    base_url TEXT NOT NULL,
    enabled BIGINT NOT NULL,
    passwords_allowed BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES account(id),
    updated_at TEXT NOT NULL
);
CREATE TABLE oidc_state (
    state_hash TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE account_oidc (
    account_id TEXT PRIMARY KEY REFERENCES account(id),
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    linked_at TEXT NOT NULL
);
CREATE UNIQUE INDEX account_oidc_subject ON account_oidc (issuer, subject);
