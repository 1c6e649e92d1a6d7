//! Handover notes of transferred cases and their acknowledgement by the new case manager.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{instant, opt_instant, uuid};
use crate::time::now_db;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// A handover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoverRow {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Its number.
    pub case_number: String,
    /// The manager before.
    pub from_name: String,
    /// The manager after.
    pub to_manager: Uuid,
    /// Her name.
    pub to_name: String,
    /// What she must know.
    pub note: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When she acknowledged it.
    pub acknowledged_at: Option<DateTime<Utc>>,
}

const COLS: &str = "h.id, h.case_id, c.number, f.display_name AS from_name, h.to_manager, \
    t.display_name AS to_name, h.note, h.created_at, h.acknowledged_at FROM case_handover h \
    JOIN case_file c ON c.id = h.case_id JOIN account f ON f.id = h.from_manager \
    JOIN account t ON t.id = h.to_manager";

fn handover_from(r: &AnyRow) -> Result<HandoverRow> {
    Ok(HandoverRow {
        id: uuid(r, "id")?,
        case_id: uuid(r, "case_id")?,
        case_number: r.try_get("number")?,
        from_name: r.try_get("from_name")?,
        to_manager: uuid(r, "to_manager")?,
        to_name: r.try_get("to_name")?,
        note: r.try_get("note")?,
        created_at: instant(r, "created_at")?,
        acknowledged_at: opt_instant(r, "acknowledged_at")?,
    })
}

/// Records the handover of a transfer, in its transaction.
pub async fn insert(
    tx: &mut Tx,
    org: Uuid,
    case_id: Uuid,
    from: Uuid,
    to: Uuid,
    note: &str,
    by: Uuid,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO case_handover (id, org_id, case_id, from_manager, to_manager, note, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .bind(case_id.to_string())
    .bind(from.to_string())
    .bind(to.to_string())
    .bind(note)
    .bind(by.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(id)
}

/// A case's handovers, newest first.
pub async fn for_case(db: &Db, case_id: Uuid) -> Result<Vec<HandoverRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} WHERE h.case_id = $1 ORDER BY h.created_at DESC, h.id DESC"
    ))
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(handover_from).collect()
}

/// Handovers to `manager` not yet acknowledged, on cases she still manages, oldest first.
pub async fn pending_for(db: &Db, manager: Uuid, limit: i64) -> Result<Vec<HandoverRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} WHERE h.to_manager = $1 AND h.acknowledged_at IS NULL AND c.manager_id = $1 \
         ORDER BY h.created_at, h.id LIMIT $2"
    ))
    .bind(manager.to_string())
    .bind(limit)
    .fetch_all(db.read())
    .await?;
    rows.iter().map(handover_from).collect()
}

/// One handover.
pub async fn by_id(db: &Db, id: Uuid) -> Result<Option<HandoverRow>> {
    let row = sqlx::query(&format!("SELECT {COLS} WHERE h.id = $1"))
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    row.as_ref().map(handover_from).transpose()
}

/// Marks a handover acknowledged (once); false when it already was.
pub async fn acknowledge(tx: &mut Tx, id: Uuid) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE case_handover SET acknowledged_at = $1 WHERE id = $2 AND acknowledged_at IS NULL",
    )
    .bind(now_db())
    .bind(id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}
