//! Single sign-on's rows (migration 0092): each organisation's OpenID Connect provider, the
//! sign-ins on their way through it (taken once), and accounts' links to a provider's subject.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{flag, instant, uuid};
use crate::time::{now_db, to_db};
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// An organisation's identity provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderRow {
    /// Organisation.
    pub org_id: Uuid,
    /// The issuer URL (its discovery document is under it).
    pub issuer: String,
    /// Karuna's client id at the provider.
    pub client_id: String,
    /// Karuna's client secret at the provider.
    pub client_secret: String,
    /// The button's words ("Sign in with …").
    pub label: String,
    /// Karuna's own address, for the redirect back.
    pub base_url: String,
    /// Offered on the login page.
    pub enabled: bool,
    /// Workers may still sign in with a password.
    pub passwords_allowed: bool,
    /// Version.
    pub version: i64,
    /// Who changed it last.
    pub updated_by_name: String,
    /// When.
    pub updated_at: DateTime<Utc>,
}

const SELECT: &str =
    "SELECT p.org_id, p.issuer, p.client_id, p.client_secret, p.label, p.base_url, \
     p.enabled, p.passwords_allowed, p.version, a.display_name, p.updated_at \
     FROM oidc_provider p JOIN account a ON a.id = p.updated_by";

fn provider_row(r: &AnyRow) -> Result<ProviderRow> {
    Ok(ProviderRow {
        org_id: uuid(r, "org_id")?,
        issuer: r.try_get("issuer")?,
        client_id: r.try_get("client_id")?,
        client_secret: r.try_get("client_secret")?,
        label: r.try_get("label")?,
        base_url: r.try_get("base_url")?,
        enabled: flag(r, "enabled")?,
        passwords_allowed: flag(r, "passwords_allowed")?,
        version: r.try_get("version")?,
        updated_by_name: r.try_get("display_name")?,
        updated_at: instant(r, "updated_at")?,
    })
}

/// The organisation's provider, if one is set.
pub async fn provider(db: &Db, org: Uuid) -> Result<Option<ProviderRow>> {
    sqlx::query(&format!("{SELECT} WHERE p.org_id = $1"))
        .bind(org.to_string())
        .fetch_optional(db.read())
        .await?
        .as_ref()
        .map(provider_row)
        .transpose()
}

/// Every provider switched on (the login page offers each).
pub async fn enabled_providers(db: &Db) -> Result<Vec<ProviderRow>> {
    sqlx::query(&format!("{SELECT} WHERE p.enabled = 1 ORDER BY p.label"))
        .fetch_all(db.read())
        .await?
        .iter()
        .map(provider_row)
        .collect()
}

/// A provider's settings to store.
#[derive(Debug, Clone)]
pub struct NewProvider<'a> {
    /// Issuer URL.
    pub issuer: &'a str,
    /// Client id.
    pub client_id: &'a str,
    /// Client secret.
    pub client_secret: &'a str,
    /// Button words.
    pub label: &'a str,
    /// Karuna's address.
    pub base_url: &'a str,
    /// On.
    pub enabled: bool,
    /// Passwords still allowed.
    pub passwords_allowed: bool,
}

/// Writes the organisation's provider over version `read` (0: none yet); the new version.
pub async fn put_provider(
    tx: &mut Tx,
    org: Uuid,
    p: &NewProvider<'_>,
    read: i64,
    by: Uuid,
) -> Result<i64> {
    let r = if read == 0 {
        sqlx::query(
            "INSERT INTO oidc_provider (org_id, issuer, client_id, client_secret, label, base_url, \
             enabled, passwords_allowed, version, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10) ON CONFLICT (org_id) DO NOTHING",
        )
        .bind(org.to_string())
        .bind(p.issuer)
        .bind(p.client_id)
        .bind(p.client_secret)
        .bind(p.label)
        .bind(p.base_url)
        .bind(i64::from(p.enabled))
        .bind(i64::from(p.passwords_allowed))
        .bind(by.to_string())
        .bind(now_db())
        .execute(&mut **tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE oidc_provider SET issuer = $1, client_id = $2, client_secret = $3, label = $4, \
             base_url = $5, enabled = $6, passwords_allowed = $7, version = version + 1, \
             updated_by = $8, updated_at = $9 WHERE org_id = $10 AND version = $11",
        )
        .bind(p.issuer)
        .bind(p.client_id)
        .bind(p.client_secret)
        .bind(p.label)
        .bind(p.base_url)
        .bind(i64::from(p.enabled))
        .bind(i64::from(p.passwords_allowed))
        .bind(by.to_string())
        .bind(now_db())
        .bind(org.to_string())
        .bind(read)
        .execute(&mut **tx)
        .await?
    };
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(read + 1)
}

/// Stores a sign-in on its way through the provider, dropping expired ones.
pub async fn insert_state(
    tx: &mut Tx,
    state_hash: &str,
    org: Uuid,
    (nonce, pkce_verifier): (&str, &str),
    expires_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("DELETE FROM oidc_state WHERE expires_at < $1")
        .bind(now_db())
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO oidc_state (state_hash, org_id, nonce, pkce_verifier, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(state_hash)
    .bind(org.to_string())
    .bind(nonce)
    .bind(pkce_verifier)
    .bind(to_db(expires_at))
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(())
}

/// A sign-in's state taken (read and deleted: it is good once): organisation, nonce, PKCE
/// verifier, expiry.
pub async fn take_state(
    tx: &mut Tx,
    state_hash: &str,
) -> Result<Option<(Uuid, String, String, DateTime<Utc>)>> {
    let r = sqlx::query(
        "SELECT org_id, nonce, pkce_verifier, expires_at FROM oidc_state WHERE state_hash = $1",
    )
    .bind(state_hash)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = r else {
        return Ok(None);
    };
    let gone = sqlx::query("DELETE FROM oidc_state WHERE state_hash = $1")
        .bind(state_hash)
        .execute(&mut **tx)
        .await?;
    if gone.rows_affected() != 1 {
        return Ok(None);
    }
    Ok(Some((
        uuid(&r, "org_id")?,
        r.try_get("nonce")?,
        r.try_get("pkce_verifier")?,
        instant(&r, "expires_at")?,
    )))
}

/// The account linked to a subject of an issuer.
pub async fn account_of(db: &Db, issuer: &str, subject: &str) -> Result<Option<Uuid>> {
    let id: Option<String> = sqlx::query_scalar(
        "SELECT account_id FROM account_oidc WHERE issuer = $1 AND subject = $2",
    )
    .bind(issuer)
    .bind(subject)
    .fetch_optional(db.read())
    .await?;
    id.map(|s| Uuid::parse_str(&s).map_err(|_| StoreError::Corrupt("account_oidc.account_id")))
        .transpose()
}

/// Whether an account is linked to a subject already.
pub async fn is_linked(db: &Db, account: Uuid) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM account_oidc WHERE account_id = $1")
        .bind(account.to_string())
        .fetch_one(db.read())
        .await?;
    Ok(n > 0)
}

/// Links an account to a subject (its first single sign-on).
pub async fn link(tx: &mut Tx, account: Uuid, issuer: &str, subject: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO account_oidc (account_id, issuer, subject, linked_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(account.to_string())
    .bind(issuer)
    .bind(subject)
    .bind(now_db())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(())
}
