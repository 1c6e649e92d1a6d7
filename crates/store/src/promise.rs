//! Promises to clients and their history (kept, missed, renegotiated).

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{date, date_db, instant, opt_date, uuid};
use crate::time::now_db;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// A stored promise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromiseRow {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Case number.
    pub case_number: String,
    /// Who made it.
    pub made_by: Uuid,
    /// Their name.
    pub made_by_name: String,
    /// To whom (a person on the case).
    pub to_person_id: Uuid,
    /// What.
    pub what: String,
    /// By when.
    pub due_date: NaiveDate,
    /// `open`, `kept`, `missed` or `released`.
    pub status: String,
    /// Why missed.
    pub status_reason: Option<String>,
    /// Version.
    pub version: i64,
    /// Recorded.
    pub created_at: DateTime<Utc>,
}

const COLS: &str =
    "p.id, p.case_id, c.number AS case_number, p.made_by, a.display_name AS made_by_name, \
    p.to_person_id, p.what, p.due_date, p.status, p.status_reason, p.version, p.created_at";
const FROM: &str =
    "promise p JOIN case_file c ON c.id = p.case_id JOIN account a ON a.id = p.made_by";

fn promise_from(r: &AnyRow) -> Result<PromiseRow> {
    Ok(PromiseRow {
        id: uuid(r, "id")?,
        case_id: uuid(r, "case_id")?,
        case_number: r.try_get("case_number")?,
        made_by: uuid(r, "made_by")?,
        made_by_name: r.try_get("made_by_name")?,
        to_person_id: uuid(r, "to_person_id")?,
        what: r.try_get("what")?,
        due_date: date(r, "due_date")?,
        status: r.try_get("status")?,
        status_reason: r.try_get("status_reason")?,
        version: r.try_get("version")?,
        created_at: instant(r, "created_at")?,
    })
}

/// Records a promise (open).
pub async fn insert(
    tx: &mut Tx,
    org_id: Uuid,
    case_id: Uuid,
    made_by: Uuid,
    to_person: Uuid,
    what: &str,
    due: NaiveDate,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let now = now_db();
    sqlx::query(
        "INSERT INTO promise (id, org_id, case_id, made_by, to_person_id, what, due_date, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $8)",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(case_id.to_string())
    .bind(made_by.to_string())
    .bind(to_person.to_string())
    .bind(what)
    .bind(date_db(due))
    .bind(&now)
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    insert_event(tx, id, "made", None, Some(due), None, made_by).await?;
    Ok(id)
}

/// Records one step of a promise's history.
pub async fn insert_event(
    tx: &mut Tx,
    promise_id: Uuid,
    kind: &str,
    old_due: Option<NaiveDate>,
    new_due: Option<NaiveDate>,
    reason: Option<&str>,
    actor: Uuid,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO promise_event (id, promise_id, kind, old_due, new_due, reason, actor_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(promise_id.to_string())
    .bind(kind)
    .bind(old_due.map(date_db))
    .bind(new_due.map(date_db))
    .bind(reason)
    .bind(actor.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sets status, reason and due date if the promise is still at `version`.
pub async fn update(
    tx: &mut Tx,
    id: Uuid,
    version: i64,
    status: &str,
    reason: Option<&str>,
    due: NaiveDate,
) -> Result<i64> {
    let settled = (status != "open").then(now_db);
    let r = sqlx::query(
        "UPDATE promise SET status = $1, status_reason = $2, due_date = $3, settled_at = $4, version = version + 1, \
         updated_at = $5 WHERE id = $6 AND version = $7",
    )
    .bind(status)
    .bind(reason)
    .bind(date_db(due))
    .bind(settled)
    .bind(now_db())
    .bind(id.to_string())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(version + 1)
}

/// One promise, read in a write transaction.
pub async fn by_id_tx(tx: &mut Tx, id: Uuid) -> Result<Option<PromiseRow>> {
    let row = sqlx::query(&format!("SELECT {COLS} FROM {FROM} WHERE p.id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(promise_from).transpose()
}

/// A case's promises, by due date.
pub async fn for_case(db: &Db, case_id: Uuid) -> Result<Vec<PromiseRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM {FROM} WHERE p.case_id = $1 ORDER BY p.due_date, p.id"
    ))
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(promise_from).collect()
}

/// A case's open promises by due date, at most `limit` (what keeps the case from closing).
pub async fn open_for_case(db: &Db, case_id: Uuid, limit: i64) -> Result<Vec<PromiseRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM {FROM} WHERE p.case_id = $1 AND p.status = 'open' \
         ORDER BY p.due_date, p.id LIMIT $2"
    ))
    .bind(case_id.to_string())
    .bind(limit)
    .fetch_all(db.read())
    .await?;
    rows.iter().map(promise_from).collect()
}

/// A user's open promises due on or before `until`, oldest first (the home page).
pub async fn open_due_for(
    db: &Db,
    account_id: Uuid,
    until: NaiveDate,
    limit: i64,
) -> Result<Vec<PromiseRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM {FROM} WHERE p.made_by = $1 AND p.status = 'open' AND p.due_date <= $2 \
         ORDER BY p.due_date, p.id LIMIT $3"
    ))
    .bind(account_id.to_string())
    .bind(date_db(until))
    .bind(limit)
    .fetch_all(db.read())
    .await?;
    rows.iter().map(promise_from).collect()
}

/// One step of a promise's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromiseEvent {
    /// Promise.
    pub promise_id: Uuid,
    /// `made`, `kept`, `missed`, `renegotiated`, `released`.
    pub kind: String,
    /// Due date before.
    pub old_due: Option<NaiveDate>,
    /// Due date after.
    pub new_due: Option<NaiveDate>,
    /// Why.
    pub reason: Option<String>,
    /// Who (name).
    pub actor: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// The history of a case's promises, oldest first.
pub async fn events_for_case(db: &Db, case_id: Uuid) -> Result<Vec<PromiseEvent>> {
    let rows = sqlx::query(
        "SELECT e.promise_id, e.kind, e.old_due, e.new_due, e.reason, a.display_name AS actor, e.at \
         FROM promise_event e JOIN promise p ON p.id = e.promise_id LEFT JOIN account a ON a.id = e.actor_id \
         WHERE p.case_id = $1 ORDER BY e.at, e.id",
    )
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PromiseEvent {
                promise_id: uuid(r, "promise_id")?,
                kind: r.try_get("kind")?,
                old_due: opt_date(r, "old_due")?,
                new_due: opt_date(r, "new_due")?,
                reason: r.try_get("reason")?,
                actor: r.try_get("actor")?,
                at: instant(r, "at")?,
            })
        })
        .collect()
}

/// Promise keeping per worker: (account id, name, unit id, kept, missed, open overdue).
pub async fn keeping_by_worker(
    db: &Db,
    org_id: Uuid,
    unit_id: Option<Uuid>,
    today: NaiveDate,
) -> Result<Vec<KeepingRow>> {
    let rows = sqlx::query(
        "SELECT a.id, a.display_name, \
         CAST(SUM(CASE WHEN p.status = 'kept' THEN 1 ELSE 0 END) AS BIGINT) AS kept, \
         CAST(SUM(CASE WHEN p.status = 'missed' THEN 1 ELSE 0 END) AS BIGINT) AS missed, \
         CAST(SUM(CASE WHEN p.status = 'open' AND p.due_date < $3 THEN 1 ELSE 0 END) AS BIGINT) AS overdue \
         FROM promise p JOIN account a ON a.id = p.made_by \
         WHERE p.org_id = $1 AND ($2 = '' OR a.unit_id = $2) GROUP BY a.id, a.display_name ORDER BY a.display_name",
    )
    .bind(org_id.to_string())
    .bind(unit_id.map(|u| u.to_string()).unwrap_or_default())
    .bind(date_db(today))
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(KeepingRow {
                account_id: uuid(r, "id")?,
                name: r.try_get("display_name")?,
                kept: r.try_get("kept")?,
                missed: r.try_get("missed")?,
                overdue: r.try_get("overdue")?,
            })
        })
        .collect()
}

/// One worker's promise keeping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeepingRow {
    /// Worker.
    pub account_id: Uuid,
    /// Name.
    pub name: String,
    /// Kept.
    pub kept: i64,
    /// Missed.
    pub missed: i64,
    /// Open and past due.
    pub overdue: i64,
}

/// The case a promise belongs to.
pub async fn case_of(db: &Db, id: Uuid) -> Result<Option<Uuid>> {
    let s: Option<String> = sqlx::query_scalar("SELECT case_id FROM promise WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    s.map(|s| Uuid::parse_str(&s).map_err(|_| StoreError::Corrupt("uuid")))
        .transpose()
}
