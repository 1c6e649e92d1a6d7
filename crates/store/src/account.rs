//! Organisations, units, accounts, sessions and API tokens.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{instant, opt_instant, opt_uuid, uuid};
use crate::time::{now_db, to_db};
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// An organisation row.
#[derive(Debug, Clone)]
pub struct OrgRow {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Created by `serve --demo`.
    pub demo: bool,
}

/// A unit row.
#[derive(Debug, Clone)]
pub struct UnitRow {
    /// Id.
    pub id: Uuid,
    /// Owning organisation.
    pub org_id: Uuid,
    /// Name.
    pub name: String,
    /// Kind code (office, shelter, crisis_centre …).
    pub kind: String,
}

/// An account row as stored.
#[derive(Debug, Clone)]
pub struct AccountRow {
    /// Id.
    pub id: Uuid,
    /// Organisation.
    pub org_id: Uuid,
    /// Unit, if any.
    pub unit_id: Option<Uuid>,
    /// Login name (lower case).
    pub username: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// Profession code for team members.
    pub profession: Option<String>,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Interface language code.
    pub lang: String,
    /// Calendar era code.
    pub era: String,
    /// May log in.
    pub active: bool,
    /// A demo account (usable only in demo mode).
    pub demo: bool,
    /// Designated by an administrator to maintain the resource directory.
    pub resource_editor: bool,
    /// Consecutive failed logins.
    pub failed_logins: i64,
    /// Locked until this instant.
    pub locked_until: Option<DateTime<Utc>>,
    /// Optimistic-concurrency version.
    pub version: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// The fields for a new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Organisation.
    pub org_id: Uuid,
    /// Unit.
    pub unit_id: Option<Uuid>,
    /// Normalised username.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// Profession code.
    pub profession: Option<String>,
    /// argon2id hash.
    pub password_hash: String,
    /// Demo account.
    pub demo: bool,
}

/// A session row joined with nothing.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// SHA-256 of the cookie value.
    pub id_hash: String,
    /// Owner.
    pub account_id: Uuid,
    /// The synchronizer token forms must echo.
    pub csrf_token: String,
    /// Last request.
    pub last_seen_at: DateTime<Utc>,
    /// Absolute expiry.
    pub expires_at: DateTime<Utc>,
    /// Set on logout or password change.
    pub revoked: bool,
}

/// An API token row (never the token itself).
#[derive(Debug, Clone)]
pub struct TokenRow {
    /// Id.
    pub id: Uuid,
    /// Owner.
    pub account_id: Uuid,
    /// Label given at creation.
    pub label: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last use.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Revoked.
    pub revoked: bool,
}

const ACCOUNT_COLS: &str = "id, org_id, unit_id, username, display_name, role, profession, \
    password_hash, lang, era, active, demo, failed_logins, locked_until, version, created_at, resource_editor";

fn account_from(row: &AnyRow) -> Result<AccountRow> {
    Ok(AccountRow {
        id: uuid(row, "id")?,
        org_id: uuid(row, "org_id")?,
        unit_id: opt_uuid(row, "unit_id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: row.try_get("role")?,
        profession: row.try_get("profession")?,
        password_hash: row.try_get("password_hash")?,
        lang: row.try_get("lang")?,
        era: row.try_get("era")?,
        active: row.try_get::<i64, _>("active")? != 0,
        demo: row.try_get::<i64, _>("demo")? != 0,
        resource_editor: row.try_get::<i64, _>("resource_editor")? != 0,
        failed_logins: row.try_get("failed_logins")?,
        locked_until: opt_instant(row, "locked_until")?,
        version: row.try_get("version")?,
        created_at: instant(row, "created_at")?,
    })
}

/// Creates an organisation.
pub async fn insert_org(tx: &mut Tx, name: &str, demo: bool) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO org (id, name, demo, created_at) VALUES ($1, $2, $3, $4)")
        .bind(id.to_string())
        .bind(name)
        .bind(demo as i64)
        .bind(now_db())
        .execute(&mut **tx)
        .await
        .map_err(StoreError::from_insert)?;
    Ok(id)
}

/// The organisations, oldest first.
pub async fn list_orgs(db: &Db) -> Result<Vec<OrgRow>> {
    let rows = sqlx::query("SELECT id, name, demo FROM org ORDER BY created_at, id")
        .fetch_all(db.read())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(OrgRow {
                id: uuid(r, "id")?,
                name: r.try_get("name")?,
                demo: r.try_get::<i64, _>("demo")? != 0,
            })
        })
        .collect()
}

/// Creates a unit.
pub async fn insert_unit(tx: &mut Tx, org_id: Uuid, name: &str, kind: &str) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO unit (id, org_id, name, kind, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(name)
    .bind(kind)
    .bind(now_db())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(id)
}

/// The units of an organisation, by name.
pub async fn list_units(db: &Db, org_id: Uuid) -> Result<Vec<UnitRow>> {
    let rows =
        sqlx::query("SELECT id, org_id, name, kind FROM unit WHERE org_id = $1 ORDER BY name, id")
            .bind(org_id.to_string())
            .fetch_all(db.read())
            .await?;
    rows.iter()
        .map(|r| {
            Ok(UnitRow {
                id: uuid(r, "id")?,
                org_id: uuid(r, "org_id")?,
                name: r.try_get("name")?,
                kind: r.try_get("kind")?,
            })
        })
        .collect()
}

/// Creates an account; `Duplicate` when the username is taken.
pub async fn insert_account(tx: &mut Tx, a: &NewAccount) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let now = now_db();
    sqlx::query(
        "INSERT INTO account (id, org_id, unit_id, username, display_name, role, profession, \
         password_hash, demo, password_changed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $10)",
    )
    .bind(id.to_string())
    .bind(a.org_id.to_string())
    .bind(a.unit_id.map(|u| u.to_string()))
    .bind(&a.username)
    .bind(&a.display_name)
    .bind(&a.role)
    .bind(a.profession.clone())
    .bind(&a.password_hash)
    .bind(a.demo as i64)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(id)
}

/// One account by username.
pub async fn account_by_username(db: &Db, username: &str) -> Result<Option<AccountRow>> {
    let row = sqlx::query(&format!(
        "SELECT {ACCOUNT_COLS} FROM account WHERE username = $1"
    ))
    .bind(username)
    .fetch_optional(db.read())
    .await?;
    row.as_ref().map(account_from).transpose()
}

/// One account by id.
pub async fn account_by_id(db: &Db, id: Uuid) -> Result<Option<AccountRow>> {
    let row = sqlx::query(&format!("SELECT {ACCOUNT_COLS} FROM account WHERE id = $1"))
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    row.as_ref().map(account_from).transpose()
}

/// One account by id, read inside a write transaction.
pub async fn account_by_id_tx(tx: &mut Tx, id: Uuid) -> Result<Option<AccountRow>> {
    let row = sqlx::query(&format!("SELECT {ACCOUNT_COLS} FROM account WHERE id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(account_from).transpose()
}

/// A page of an organisation's accounts ordered by username, after the given username.
pub async fn list_accounts(
    db: &Db,
    org_id: Uuid,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<AccountRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {ACCOUNT_COLS} FROM account WHERE org_id = $1 AND username > $2 \
         ORDER BY username LIMIT $3"
    ))
    .bind(org_id.to_string())
    .bind(after.unwrap_or(""))
    .bind(limit)
    .fetch_all(db.read())
    .await?;
    rows.iter().map(account_from).collect()
}

/// A colleague offered in a staff picker: no password hash, no settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    pub id: Uuid,
    pub display_name: String,
    /// Role code: `case_manager`, `team_member` or `supervisor`.
    pub role: String,
}

/// The staff a picker offers, by name, at most `limit`: active case managers, team members
/// and supervisors of the organisation whose display name or username contains `name` (any
/// case), or, without a name, those of `unit`. One statement, bounded by `limit` whatever the
/// organisation's size.
pub async fn staff_for_picker(
    db: &Db,
    org_id: Uuid,
    unit: Uuid,
    name: Option<&str>,
    limit: i64,
) -> Result<Vec<StaffRow>> {
    let pattern = name.map(str::trim).filter(|n| !n.is_empty()).map(|n| {
        let escaped: String = n
            .to_lowercase()
            .chars()
            .flat_map(|c| match c {
                '\\' | '%' | '_' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        format!("%{escaped}%")
    });
    let rows = sqlx::query(
        "SELECT id, display_name, role FROM account \
         WHERE org_id = $1 AND active = 1 \
           AND role IN ('case_manager', 'team_member', 'supervisor') \
           AND (($2 = '' AND unit_id = $3) \
                OR ($2 <> '' AND (lower(display_name) LIKE $2 ESCAPE '\\' \
                                  OR lower(username) LIKE $2 ESCAPE '\\'))) \
         ORDER BY display_name, id LIMIT $4",
    )
    .bind(org_id.to_string())
    .bind(pattern.unwrap_or_default())
    .bind(unit.to_string())
    .bind(limit)
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StaffRow {
                id: uuid(r, "id")?,
                display_name: r.try_get("display_name")?,
                role: r.try_get("role")?,
            })
        })
        .collect()
}

/// The display names of the organisation's accounts among `ids`, in one statement.
pub async fn display_names(db: &Db, org_id: Uuid, ids: &[Uuid]) -> Result<Vec<(Uuid, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, display_name FROM account WHERE org_id = $1 AND id IN ({})",
        crate::row::placeholders(2, ids.len())
    );
    let mut q = sqlx::query(&sql).bind(org_id.to_string());
    for id in ids {
        q = q.bind(id.to_string());
    }
    let rows = q.fetch_all(db.read()).await?;
    rows.iter()
        .map(|r| Ok((uuid(r, "id")?, r.try_get("display_name")?)))
        .collect()
}

/// The demo accounts, for the demo login page.
pub async fn demo_usernames(db: &Db) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT username FROM account WHERE demo = 1 ORDER BY username")
            .fetch_all(db.read())
            .await?,
    )
}

/// Changes an account's administrative fields, checking its version; returns the new version.
#[allow(clippy::too_many_arguments)]
pub async fn update_account(
    tx: &mut Tx,
    id: Uuid,
    expected_version: i64,
    display_name: &str,
    role: &str,
    profession: Option<&str>,
    unit_id: Option<Uuid>,
    active: bool,
) -> Result<i64> {
    let done = sqlx::query(
        "UPDATE account SET display_name = $1, role = $2, profession = $3, unit_id = $4, \
         active = $5, version = version + 1, updated_at = $6 WHERE id = $7 AND version = $8",
    )
    .bind(display_name)
    .bind(role)
    .bind(profession)
    .bind(unit_id.map(|u| u.to_string()))
    .bind(active as i64)
    .bind(now_db())
    .bind(id.to_string())
    .bind(expected_version)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(expected_version + 1)
}

/// Sets an account's language and calendar; returns the new version.
pub async fn update_preferences(tx: &mut Tx, id: Uuid, lang: &str, era: &str) -> Result<i64> {
    let v: i64 = sqlx::query_scalar(
        "UPDATE account SET lang = $1, era = $2, version = version + 1, updated_at = $3 \
         WHERE id = $4 RETURNING version",
    )
    .bind(lang)
    .bind(era)
    .bind(now_db())
    .bind(id.to_string())
    .fetch_one(&mut **tx)
    .await?;
    Ok(v)
}

/// Replaces the password hash and revokes every session and API token of the account.
pub async fn set_password(tx: &mut Tx, id: Uuid, hash: &str) -> Result<()> {
    let now = now_db();
    sqlx::query(
        "UPDATE account SET password_hash = $1, password_changed_at = $2, failed_logins = 0, \
         locked_until = NULL, version = version + 1, updated_at = $2 WHERE id = $3",
    )
    .bind(hash)
    .bind(&now)
    .bind(id.to_string())
    .execute(&mut **tx)
    .await?;
    revoke_credentials(tx, id).await
}

/// Revokes every live session and API token of an account (password change, deactivation,
/// reactivation: a credential issued before never works again).
pub async fn revoke_credentials(tx: &mut Tx, id: Uuid) -> Result<()> {
    let now = now_db();
    for sql in [
        "UPDATE session SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL",
        "UPDATE api_token SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL",
    ] {
        sqlx::query(sql)
            .bind(&now)
            .bind(id.to_string())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Counts one more failed login in one statement (concurrent failures each add one, none is
/// lost) and returns the new count, from which the caller decides the lockout.
pub async fn count_failed_login(tx: &mut Tx, id: Uuid) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "UPDATE account SET failed_logins = failed_logins + 1 WHERE id = $1 \
         RETURNING failed_logins",
    )
    .bind(id.to_string())
    .fetch_one(&mut **tx)
    .await?)
}

/// Locks an account until the given instant (after enough failed logins).
pub async fn lock_account(tx: &mut Tx, id: Uuid, until: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE account SET locked_until = $1 WHERE id = $2")
        .bind(to_db(until))
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The lock earned by failed logins under a name that is no account (or no usable one), so
/// that such names answer exactly as accounts do (no account discovery through the lockout).
pub async fn name_locked_until(db: &Db, username: &str) -> Result<Option<DateTime<Utc>>> {
    let row = sqlx::query("SELECT locked_until FROM login_failure WHERE username = $1")
        .bind(username)
        .fetch_optional(db.read())
        .await?;
    match row {
        Some(r) => opt_instant(&r, "locked_until"),
        None => Ok(None),
    }
}

/// Counts one more failed login under a name that is no usable account, atomically, and
/// returns the new count.
pub async fn count_failed_name(tx: &mut Tx, username: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO login_failure (username, failed_logins, last_failed_at) VALUES ($1, 1, $2) \
         ON CONFLICT (username) DO UPDATE SET failed_logins = login_failure.failed_logins + 1, \
         last_failed_at = $2 RETURNING failed_logins",
    )
    .bind(username)
    .bind(now_db())
    .fetch_one(&mut **tx)
    .await?)
}

/// Locks a name that is no usable account until the given instant.
pub async fn lock_name(tx: &mut Tx, username: &str, until: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE login_failure SET locked_until = $1 WHERE username = $2")
        .bind(to_db(until))
        .bind(username)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Clears the failure counter after a good login.
pub async fn clear_failed_logins(tx: &mut Tx, id: Uuid) -> Result<()> {
    sqlx::query("UPDATE account SET failed_logins = 0, locked_until = NULL WHERE id = $1 AND failed_logins <> 0")
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Stores a new session, with the browser and system it was opened on in words
/// (`Chrome 142 · Linux`; the list of one's sessions shows it), if known.
pub async fn insert_session(
    tx: &mut Tx,
    id_hash: &str,
    account_id: Uuid,
    (csrf_token, device): (&str, Option<&str>),
    expires_at: DateTime<Utc>,
) -> Result<()> {
    let now = now_db();
    sqlx::query(
        "INSERT INTO session (id_hash, account_id, csrf_token, created_at, last_seen_at, expires_at, device) \
         VALUES ($1, $2, $3, $4, $4, $5, $6)",
    )
    .bind(id_hash)
    .bind(account_id.to_string())
    .bind(csrf_token)
    .bind(now)
    .bind(to_db(expires_at))
    .bind(device)
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(())
}

/// One session by the hash of its cookie value.
pub async fn session_by_hash(db: &Db, id_hash: &str) -> Result<Option<SessionRow>> {
    let row = sqlx::query(
        "SELECT id_hash, account_id, csrf_token, last_seen_at, expires_at, revoked_at \
         FROM session WHERE id_hash = $1",
    )
    .bind(id_hash)
    .fetch_optional(db.read())
    .await?;
    row.map(|r| {
        Ok(SessionRow {
            id_hash: r.try_get("id_hash")?,
            account_id: uuid(&r, "account_id")?,
            csrf_token: r.try_get("csrf_token")?,
            last_seen_at: instant(&r, "last_seen_at")?,
            expires_at: instant(&r, "expires_at")?,
            revoked: r.try_get::<Option<String>, _>("revoked_at")?.is_some(),
        })
    })
    .transpose()
}

/// Marks a session as used now (called at most once a minute per session).
pub async fn touch_session(tx: &mut Tx, id_hash: &str) -> Result<()> {
    sqlx::query("UPDATE session SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(now_db())
        .bind(id_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A live session as its owner's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSession {
    /// SHA-256 of the cookie value (its first 16 characters name it to its owner).
    pub id_hash: String,
    /// Signed in.
    pub created_at: DateTime<Utc>,
    /// Last request (to the minute).
    pub last_seen_at: DateTime<Utc>,
    /// Absolute expiry.
    pub expires_at: DateTime<Utc>,
    /// Browser and system in words, when known.
    pub device: Option<String>,
}

/// The account's sessions still usable at `now` (not revoked, not past their expiry, seen
/// after `idle_since`), most recently used first; at most 100.
pub async fn live_sessions(
    db: &Db,
    account: Uuid,
    now: DateTime<Utc>,
    idle_since: DateTime<Utc>,
) -> Result<Vec<LiveSession>> {
    let rows = sqlx::query(
        "SELECT id_hash, created_at, last_seen_at, expires_at, device FROM session \
         WHERE account_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at > $3 \
         ORDER BY last_seen_at DESC LIMIT 100",
    )
    .bind(account.to_string())
    .bind(to_db(now))
    .bind(to_db(idle_since))
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(LiveSession {
                id_hash: r.try_get("id_hash")?,
                created_at: instant(r, "created_at")?,
                last_seen_at: instant(r, "last_seen_at")?,
                expires_at: instant(r, "expires_at")?,
                device: r.try_get("device")?,
            })
        })
        .collect()
}

/// Revokes the account's live session whose hash begins with `handle` (16 hex characters);
/// false when it has none.
pub async fn revoke_own_session(tx: &mut Tx, account: Uuid, handle: &str) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE session SET revoked_at = $1 WHERE account_id = $2 AND substr(id_hash, 1, 16) = $3 \
         AND revoked_at IS NULL",
    )
    .bind(now_db())
    .bind(account.to_string())
    .bind(handle)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// Revokes every session of the account but `keep` (the one asking, if it is a session);
/// returns how many were live.
pub async fn revoke_other_sessions(tx: &mut Tx, account: Uuid, keep: Option<&str>) -> Result<u64> {
    let r = sqlx::query(
        "UPDATE session SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL \
         AND expires_at > $1 AND id_hash <> $3",
    )
    .bind(now_db())
    .bind(account.to_string())
    .bind(keep.unwrap_or(""))
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected())
}

/// Revokes one session.
pub async fn revoke_session(tx: &mut Tx, id_hash: &str) -> Result<()> {
    sqlx::query("UPDATE session SET revoked_at = $1 WHERE id_hash = $2 AND revoked_at IS NULL")
        .bind(now_db())
        .bind(id_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Stores a new API token's hash.
pub async fn insert_token(
    tx: &mut Tx,
    account_id: Uuid,
    token_hash: &str,
    label: &str,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO api_token (id, account_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id.to_string())
    .bind(account_id.to_string())
    .bind(token_hash)
    .bind(label)
    .bind(now_db())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(id)
}

/// The owner of a live (unrevoked) token with this hash.
pub async fn token_owner(db: &Db, token_hash: &str) -> Result<Option<(Uuid, Uuid)>> {
    let row = sqlx::query(
        "SELECT id, account_id FROM api_token WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(db.read())
    .await?;
    row.map(|r| Ok((uuid(&r, "id")?, uuid(&r, "account_id")?)))
        .transpose()
}

/// An account's tokens, newest first.
pub async fn list_tokens(db: &Db, account_id: Uuid) -> Result<Vec<TokenRow>> {
    let rows = sqlx::query(
        "SELECT id, account_id, label, created_at, last_used_at, revoked_at FROM api_token \
         WHERE account_id = $1 ORDER BY id DESC",
    )
    .bind(account_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(TokenRow {
                id: uuid(r, "id")?,
                account_id: uuid(r, "account_id")?,
                label: r.try_get("label")?,
                created_at: instant(r, "created_at")?,
                last_used_at: opt_instant(r, "last_used_at")?,
                revoked: r.try_get::<Option<String>, _>("revoked_at")?.is_some(),
            })
        })
        .collect()
}

/// Revokes a token of the given account; false when there was no such live token.
pub async fn revoke_token(tx: &mut Tx, account_id: Uuid, token_id: Uuid) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE api_token SET revoked_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL",
    )
    .bind(now_db())
    .bind(token_id.to_string())
    .bind(account_id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
