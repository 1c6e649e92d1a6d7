//! Two-step verification's rows (migration 0090): an account's TOTP secret and the last time
//! step accepted, its one-time recovery codes (hashed), the login challenge between a right
//! password and a right code, and each organisation's policy of roles that must use it. Every
//! "use" is one conditional statement, so two requests racing with the same code or recovery
//! code cannot both succeed.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{instant, opt_instant, uuid};
use crate::time::{now_db, to_db};
use chrono::{DateTime, Utc};
use sqlx::Row;
use uuid::Uuid;

/// An account's second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaRow {
    /// The TOTP secret, base32.
    pub secret: String,
    /// When set-up began.
    pub created_at: DateTime<Utc>,
    /// When set-up was confirmed with a code; None while it is being set up.
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// The account's second factor, set up or being set up.
pub async fn get(db: &Db, account: Uuid) -> Result<Option<MfaRow>> {
    let r = sqlx::query(
        "SELECT secret, created_at, confirmed_at FROM account_mfa WHERE account_id = $1",
    )
    .bind(account.to_string())
    .fetch_optional(db.read())
    .await?;
    r.map(|r| {
        Ok(MfaRow {
            secret: r.try_get("secret")?,
            created_at: instant(&r, "created_at")?,
            confirmed_at: opt_instant(&r, "confirmed_at")?,
        })
    })
    .transpose()
}

/// Begins (or begins again) setting up with a new secret; false when the account has one set
/// up already (which is never replaced this way).
pub async fn begin_setup(tx: &mut Tx, account: Uuid, secret: &str) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO account_mfa (account_id, secret, created_at, last_step) VALUES ($1, $2, $3, 0) \
         ON CONFLICT (account_id) DO UPDATE SET secret = excluded.secret, \
         created_at = excluded.created_at, last_step = 0 WHERE account_mfa.confirmed_at IS NULL",
    )
    .bind(account.to_string())
    .bind(secret)
    .bind(now_db())
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Finishes setting up with a code of time step `step` for the secret `secret` (the one the
/// user was shown); false when that set-up is no longer the pending one.
pub async fn confirm(tx: &mut Tx, account: Uuid, secret: &str, step: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE account_mfa SET confirmed_at = $1, last_step = $2 \
         WHERE account_id = $3 AND secret = $4 AND confirmed_at IS NULL",
    )
    .bind(now_db())
    .bind(step)
    .bind(account.to_string())
    .bind(secret)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Spends time step `step` of a set-up second factor; false when a code of this step or a
/// later one was accepted already (a code is good once).
pub async fn use_step(tx: &mut Tx, account: Uuid, step: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE account_mfa SET last_step = $1 \
         WHERE account_id = $2 AND confirmed_at IS NOT NULL AND last_step < $1",
    )
    .bind(step)
    .bind(account.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Removes the account's second factor and its recovery codes; true when it had one.
pub async fn remove(tx: &mut Tx, account: Uuid) -> Result<bool> {
    sqlx::query("DELETE FROM mfa_recovery_code WHERE account_id = $1")
        .bind(account.to_string())
        .execute(&mut **tx)
        .await?;
    let r = sqlx::query("DELETE FROM account_mfa WHERE account_id = $1")
        .bind(account.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Replaces the account's recovery codes with these (their SHA-256 hex).
pub async fn replace_recovery_codes(tx: &mut Tx, account: Uuid, hashes: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM mfa_recovery_code WHERE account_id = $1")
        .bind(account.to_string())
        .execute(&mut **tx)
        .await?;
    for h in hashes {
        sqlx::query("INSERT INTO mfa_recovery_code (account_id, code_hash) VALUES ($1, $2)")
            .bind(account.to_string())
            .bind(h)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::from_insert)?;
    }
    Ok(())
}

/// Spends a recovery code (by its hash); false when it is not one of the account's unused codes.
pub async fn use_recovery_code(tx: &mut Tx, account: Uuid, hash: &str) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE mfa_recovery_code SET used_at = $1 \
         WHERE account_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(now_db())
    .bind(account.to_string())
    .bind(hash)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// How many recovery codes the account has left.
pub async fn recovery_codes_left(db: &Db, account: Uuid) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM mfa_recovery_code WHERE account_id = $1 AND used_at IS NULL",
    )
    .bind(account.to_string())
    .fetch_one(db.read())
    .await?)
}

/// A login waiting for its second step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeRow {
    /// Whose.
    pub account_id: Uuid,
    /// Wrong codes so far.
    pub attempts: i64,
    /// Until when it can be answered.
    pub expires_at: DateTime<Utc>,
}

/// Stores a new challenge, dropping the account's earlier ones and every expired one.
pub async fn insert_challenge(
    tx: &mut Tx,
    id_hash: &str,
    account: Uuid,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    let now = now_db();
    sqlx::query("DELETE FROM login_challenge WHERE account_id = $1 OR expires_at < $2")
        .bind(account.to_string())
        .bind(&now)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO login_challenge (id_hash, account_id, attempts, created_at, expires_at) \
         VALUES ($1, $2, 0, $3, $4)",
    )
    .bind(id_hash)
    .bind(account.to_string())
    .bind(now)
    .bind(to_db(expires_at))
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(())
}

/// One challenge by the hash of its cookie value.
pub async fn challenge(db: &Db, id_hash: &str) -> Result<Option<ChallengeRow>> {
    let r = sqlx::query(
        "SELECT account_id, attempts, expires_at FROM login_challenge WHERE id_hash = $1",
    )
    .bind(id_hash)
    .fetch_optional(db.read())
    .await?;
    r.map(|r| {
        Ok(ChallengeRow {
            account_id: uuid(&r, "account_id")?,
            attempts: r.try_get("attempts")?,
            expires_at: instant(&r, "expires_at")?,
        })
    })
    .transpose()
}

/// Counts one more wrong code in one statement; the new count (0 when the challenge is gone).
pub async fn count_challenge_attempt(tx: &mut Tx, id_hash: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "UPDATE login_challenge SET attempts = attempts + 1 WHERE id_hash = $1 RETURNING attempts",
    )
    .bind(id_hash)
    .fetch_optional(&mut **tx)
    .await?
    .unwrap_or(0))
}

/// Ends a challenge (answered, or tried too often); true when it was still there.
pub async fn delete_challenge(tx: &mut Tx, id_hash: &str) -> Result<bool> {
    let r = sqlx::query("DELETE FROM login_challenge WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// An organisation's stored policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyRow {
    /// Role codes that must use two-step verification.
    pub roles: Vec<String>,
    /// Version.
    pub version: i64,
    /// Who changed it last.
    pub updated_by_name: String,
    /// When.
    pub updated_at: DateTime<Utc>,
}

/// The organisation's policy, if it stored one.
pub async fn policy(db: &Db, org: Uuid) -> Result<Option<PolicyRow>> {
    let r = sqlx::query(
        "SELECT p.roles, p.version, a.display_name, p.updated_at \
         FROM mfa_policy p JOIN account a ON a.id = p.updated_by WHERE p.org_id = $1",
    )
    .bind(org.to_string())
    .fetch_optional(db.read())
    .await?;
    r.map(|r| {
        let roles: String = r.try_get("roles")?;
        Ok(PolicyRow {
            roles: serde_json::from_str(&roles)
                .map_err(|_| StoreError::Corrupt("mfa_policy.roles"))?,
            version: r.try_get("version")?,
            updated_by_name: r.try_get("display_name")?,
            updated_at: instant(&r, "updated_at")?,
        })
    })
    .transpose()
}

/// Writes the policy over version `read` (0: none stored yet); returns the new version.
pub async fn put_policy(
    tx: &mut Tx,
    org: Uuid,
    roles: &[String],
    read: i64,
    by: Uuid,
) -> Result<i64> {
    let roles =
        serde_json::to_string(roles).map_err(|_| StoreError::Corrupt("mfa_policy.roles"))?;
    let r = if read == 0 {
        sqlx::query(
            "INSERT INTO mfa_policy (org_id, roles, version, updated_by, updated_at) \
             VALUES ($1, $2, 1, $3, $4) ON CONFLICT (org_id) DO NOTHING",
        )
        .bind(org.to_string())
        .bind(roles)
        .bind(by.to_string())
        .bind(now_db())
        .execute(&mut **tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE mfa_policy SET roles = $1, version = version + 1, updated_by = $2, \
             updated_at = $3 WHERE org_id = $4 AND version = $5",
        )
        .bind(roles)
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
