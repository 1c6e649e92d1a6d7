//! Break-the-glass openings and each organisation's settings for them (migration 0088): a
//! window is opened in the transaction that notifies the case's manager and supervisors, read
//! back for the case's access facts (`case::case_readers`), listed for review by the case's
//! unit, ended early by its reader and reviewed once by a supervisor, over its version.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{instant, opt_instant, uuid};
use crate::time::{now_db, to_db};
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// One opening, with the names a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyRow {
    /// Id.
    pub id: Uuid,
    /// The case opened.
    pub case_id: Uuid,
    /// Its number.
    pub case_number: String,
    /// Its unit (whose supervisors review the opening).
    pub case_unit_id: Uuid,
    /// Who opened it.
    pub account_id: Uuid,
    /// Their name.
    pub account_name: String,
    /// Their username (the audit trail names actors by it).
    pub account_username: String,
    /// Why, in their words.
    pub reason: String,
    /// When.
    pub opened_at: DateTime<Utc>,
    /// When the window closes by itself.
    pub expires_at: DateTime<Utc>,
    /// When its reader closed it early.
    pub ended_at: Option<DateTime<Utc>>,
    /// `justified` or `unjustified`; None while awaiting review.
    pub review: Option<String>,
    /// The reviewer's note.
    pub review_note: Option<String>,
    /// The reviewer's name.
    pub reviewed_by_name: Option<String>,
    /// When it was reviewed.
    pub reviewed_at: Option<DateTime<Utc>>,
    /// Version, for the review.
    pub version: i64,
}

impl EmergencyRow {
    /// When the window closed or will close: its end, or its expiry.
    pub fn until(&self) -> DateTime<Utc> {
        self.ended_at
            .unwrap_or(self.expires_at)
            .min(self.expires_at)
    }

    /// True while the window is open at `now`.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.ended_at.is_none() && self.expires_at > now
    }
}

const COLS: &str = "e.id, e.case_id, c.number AS case_number, c.unit_id AS case_unit_id, \
    e.account_id, a.display_name AS account_name, a.username AS account_username, e.reason, \
    e.opened_at, e.expires_at, e.ended_at, e.review, e.review_note, \
    r.display_name AS reviewed_by_name, e.reviewed_at, e.version \
    FROM emergency_access e JOIN case_file c ON c.id = e.case_id \
    JOIN account a ON a.id = e.account_id LEFT JOIN account r ON r.id = e.reviewed_by";

fn row_from(r: &AnyRow) -> Result<EmergencyRow> {
    Ok(EmergencyRow {
        id: uuid(r, "id")?,
        case_id: uuid(r, "case_id")?,
        case_number: r.try_get("case_number")?,
        case_unit_id: uuid(r, "case_unit_id")?,
        account_id: uuid(r, "account_id")?,
        account_name: r.try_get("account_name")?,
        account_username: r.try_get("account_username")?,
        reason: r.try_get("reason")?,
        opened_at: instant(r, "opened_at")?,
        expires_at: instant(r, "expires_at")?,
        ended_at: opt_instant(r, "ended_at")?,
        review: r.try_get("review")?,
        review_note: r.try_get("review_note")?,
        reviewed_by_name: r.try_get("reviewed_by_name")?,
        reviewed_at: opt_instant(r, "reviewed_at")?,
        version: r.try_get("version")?,
    })
}

/// A new opening.
#[derive(Debug, Clone)]
pub struct NewEmergency<'a> {
    /// Organisation.
    pub org_id: Uuid,
    /// The case.
    pub case_id: Uuid,
    /// Who opens it.
    pub account_id: Uuid,
    /// Why.
    pub reason: &'a str,
    /// From.
    pub opened_at: DateTime<Utc>,
    /// Until.
    pub expires_at: DateTime<Utc>,
}

/// Stores an opening; returns its id.
pub async fn insert(tx: &mut Tx, n: &NewEmergency<'_>) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO emergency_access (id, org_id, case_id, account_id, reason, opened_at, \
         expires_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, 1)",
    )
    .bind(id.to_string())
    .bind(n.org_id.to_string())
    .bind(n.case_id.to_string())
    .bind(n.account_id.to_string())
    .bind(n.reason)
    .bind(to_db(n.opened_at))
    .bind(to_db(n.expires_at))
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// One opening of the organisation.
pub async fn get(db: &Db, org: Uuid, id: Uuid) -> Result<Option<EmergencyRow>> {
    let r = sqlx::query(&format!("SELECT {COLS} WHERE e.org_id = $1 AND e.id = $2"))
        .bind(org.to_string())
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    r.as_ref().map(row_from).transpose()
}

/// The account's window open on the case at `now`, if any.
pub async fn open_window(
    db: &Db,
    case_id: Uuid,
    account: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<EmergencyRow>> {
    let r = sqlx::query(&format!(
        "SELECT {COLS} WHERE e.case_id = $1 AND e.account_id = $2 AND e.expires_at > $3 \
         AND e.ended_at IS NULL ORDER BY e.opened_at DESC LIMIT 1"
    ))
    .bind(case_id.to_string())
    .bind(account.to_string())
    .bind(to_db(now))
    .fetch_optional(db.read())
    .await?;
    r.as_ref().map(row_from).transpose()
}

/// Which openings a list holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    /// Openings of cases of this unit (a supervisor's review list).
    pub case_unit: Option<Uuid>,
    /// Openings by this account (one's own).
    pub account: Option<Uuid>,
    /// Only those awaiting review.
    pub pending_only: bool,
}

/// Openings of the organisation by `f`, newest first, at most `limit`.
pub async fn list(db: &Db, org: Uuid, f: Filter, limit: i64) -> Result<Vec<EmergencyRow>> {
    let mut sql = format!("SELECT {COLS} WHERE e.org_id = $1");
    let mut binds = vec![org.to_string()];
    if let Some(unit) = f.case_unit {
        binds.push(unit.to_string());
        sql.push_str(&format!(" AND c.unit_id = ${}", binds.len()));
    }
    if let Some(account) = f.account {
        binds.push(account.to_string());
        sql.push_str(&format!(" AND e.account_id = ${}", binds.len()));
    }
    if f.pending_only {
        sql.push_str(" AND e.review IS NULL");
    }
    sql.push_str(&format!(
        " ORDER BY e.opened_at DESC LIMIT {}",
        limit.clamp(1, 500)
    ));
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b.as_str());
    }
    let rows = q.fetch_all(db.read()).await?;
    rows.iter().map(row_from).collect()
}

/// Closes a window early (its reader, while it is open); false when it was not open.
pub async fn end(tx: &mut Tx, id: Uuid, account: Uuid) -> Result<bool> {
    let now = now_db();
    let r = sqlx::query(
        "UPDATE emergency_access SET ended_at = $1, version = version + 1 \
         WHERE id = $2 AND account_id = $3 AND ended_at IS NULL AND expires_at > $1",
    )
    .bind(&now)
    .bind(id.to_string())
    .bind(account.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Records the review of an opening over the version read (once: a reviewed opening is
/// [`StoreError::StaleVersion`] too). Returns the new version.
pub async fn review(
    tx: &mut Tx,
    id: Uuid,
    read: i64,
    (review, note): (&str, Option<&str>),
    by: Uuid,
) -> Result<i64> {
    let r = sqlx::query(
        "UPDATE emergency_access SET review = $1, review_note = $2, reviewed_by = $3, \
         reviewed_at = $4, version = version + 1 \
         WHERE id = $5 AND version = $6 AND review IS NULL",
    )
    .bind(review)
    .bind(note)
    .bind(by.to_string())
    .bind(now_db())
    .bind(id.to_string())
    .bind(read)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(read + 1)
}

/// An organisation's stored settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsRow {
    /// Hours an opening lasts.
    pub hours: i64,
    /// Case types that forbid it.
    pub forbidden_types: Vec<String>,
    /// Version.
    pub version: i64,
    /// Who changed them last.
    pub updated_by_name: String,
    /// When.
    pub updated_at: DateTime<Utc>,
}

/// The organisation's settings, if it stored any.
pub async fn settings(db: &Db, org: Uuid) -> Result<Option<SettingsRow>> {
    let r = sqlx::query(
        "SELECT s.hours, s.forbidden_types, s.version, a.display_name, s.updated_at \
         FROM emergency_access_setting s JOIN account a ON a.id = s.updated_by WHERE s.org_id = $1",
    )
    .bind(org.to_string())
    .fetch_optional(db.read())
    .await?;
    r.map(|r| {
        let types: String = r.try_get("forbidden_types")?;
        Ok(SettingsRow {
            hours: r.try_get("hours")?,
            forbidden_types: serde_json::from_str(&types)
                .map_err(|_| StoreError::Corrupt("emergency_access_setting.forbidden_types"))?,
            version: r.try_get("version")?,
            updated_by_name: r.try_get("display_name")?,
            updated_at: instant(&r, "updated_at")?,
        })
    })
    .transpose()
}

/// Writes the settings over version `read` (0: none stored yet); returns the new version.
pub async fn put_settings(
    tx: &mut Tx,
    org: Uuid,
    (hours, forbidden_types): (i64, &[String]),
    read: i64,
    by: Uuid,
) -> Result<i64> {
    let types = serde_json::to_string(forbidden_types)
        .map_err(|_| StoreError::Corrupt("emergency_access_setting.forbidden_types"))?;
    let r = if read == 0 {
        sqlx::query(
            "INSERT INTO emergency_access_setting (org_id, hours, forbidden_types, version, \
             updated_by, updated_at) VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (org_id) DO NOTHING",
        )
        .bind(org.to_string())
        .bind(hours)
        .bind(types)
        .bind(by.to_string())
        .bind(now_db())
        .execute(&mut **tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE emergency_access_setting SET hours = $1, forbidden_types = $2, \
             version = version + 1, updated_by = $3, updated_at = $4 \
             WHERE org_id = $5 AND version = $6",
        )
        .bind(hours)
        .bind(types)
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
