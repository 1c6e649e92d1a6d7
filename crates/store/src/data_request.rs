//! The register of data-subject requests (migration 0091): recorded with the recorder's unit,
//! listed for that unit (open ones first, by due date) or for the recorder, answered once over
//! the version read. Rows are never deleted.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{date, date_db, instant, opt_instant, opt_uuid, uuid};
use crate::time::now_db;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// One request, with the names the register shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRow {
    /// Id.
    pub id: Uuid,
    /// Whose data.
    pub person_id: Uuid,
    /// The person's name (Thai, else Latin), as recorded on her record now.
    pub person_name: String,
    /// Kind code.
    pub kind: String,
    /// Received.
    pub received_on: NaiveDate,
    /// Answer due.
    pub due_on: NaiveDate,
    /// What was asked.
    pub details: String,
    /// Status code.
    pub status: String,
    /// A refusal's ground code.
    pub ground: Option<String>,
    /// What the person was told.
    pub answer_note: Option<String>,
    /// Who recorded it.
    pub recorded_by: Uuid,
    /// Her name.
    pub recorded_by_name: String,
    /// Her unit, which answers it.
    pub unit_id: Option<Uuid>,
    /// When.
    pub recorded_at: DateTime<Utc>,
    /// Who answered it.
    pub answered_by_name: Option<String>,
    /// When.
    pub answered_at: Option<DateTime<Utc>>,
    /// Version.
    pub version: i64,
}

const SELECT: &str = "SELECT r.id, r.person_id, \
     COALESCE(NULLIF(TRIM(COALESCE(p.first_name_th, '') || ' ' || COALESCE(p.last_name_th, '')), ''), \
     TRIM(COALESCE(p.first_name_latin, '') || ' ' || COALESCE(p.last_name_latin, ''))) AS person_name, \
     r.kind, r.received_on, r.due_on, r.details, r.status, r.ground, r.answer_note, r.recorded_by, \
     a.display_name AS recorded_by_name, r.unit_id, r.recorded_at, b.display_name AS answered_by_name, \
     r.answered_at, r.version \
     FROM data_request r JOIN person p ON p.id = r.person_id JOIN account a ON a.id = r.recorded_by \
     LEFT JOIN account b ON b.id = r.answered_by";

fn row(r: &AnyRow) -> Result<RequestRow> {
    Ok(RequestRow {
        id: uuid(r, "id")?,
        person_id: uuid(r, "person_id")?,
        person_name: r.try_get("person_name")?,
        kind: r.try_get("kind")?,
        received_on: date(r, "received_on")?,
        due_on: date(r, "due_on")?,
        details: r.try_get("details")?,
        status: r.try_get("status")?,
        ground: r.try_get("ground")?,
        answer_note: r.try_get("answer_note")?,
        recorded_by: uuid(r, "recorded_by")?,
        recorded_by_name: r.try_get("recorded_by_name")?,
        unit_id: opt_uuid(r, "unit_id")?,
        recorded_at: instant(r, "recorded_at")?,
        answered_by_name: r.try_get("answered_by_name")?,
        answered_at: opt_instant(r, "answered_at")?,
        version: r.try_get("version")?,
    })
}

/// A request to record.
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    /// Organisation.
    pub org_id: Uuid,
    /// Whose data.
    pub person_id: Uuid,
    /// Kind code.
    pub kind: &'a str,
    /// Received.
    pub received_on: NaiveDate,
    /// Due.
    pub due_on: NaiveDate,
    /// What was asked.
    pub details: &'a str,
    /// Who records it.
    pub recorded_by: Uuid,
    /// Her unit.
    pub unit_id: Option<Uuid>,
}

/// Records a request (open); its id.
pub async fn insert(tx: &mut Tx, n: &NewRequest<'_>) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO data_request (id, org_id, person_id, kind, received_on, due_on, details, status, \
         recorded_by, unit_id, recorded_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $10, 1)",
    )
    .bind(id.to_string())
    .bind(n.org_id.to_string())
    .bind(n.person_id.to_string())
    .bind(n.kind)
    .bind(date_db(n.received_on))
    .bind(date_db(n.due_on))
    .bind(n.details)
    .bind(n.recorded_by.to_string())
    .bind(n.unit_id.map(|u| u.to_string()))
    .bind(now_db())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(id)
}

/// One request of the organisation.
pub async fn get(db: &Db, org: Uuid, id: Uuid) -> Result<Option<RequestRow>> {
    let sql = format!("{SELECT} WHERE r.org_id = $1 AND r.id = $2");
    sqlx::query(&sql)
        .bind(org.to_string())
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?
        .as_ref()
        .map(row)
        .transpose()
}

/// Whose requests a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Those recorded in a unit.
    Unit(Uuid),
    /// Those one worker recorded.
    Recorder(Uuid),
}

/// Up to `limit` requests of the scope: open ones first by due date, then the answered ones,
/// newest first.
pub async fn list(db: &Db, org: Uuid, scope: Scope, limit: i64) -> Result<Vec<RequestRow>> {
    let (col, id) = match scope {
        Scope::Unit(u) => ("r.unit_id", u),
        Scope::Recorder(a) => ("r.recorded_by", a),
    };
    let sql = format!(
        "{SELECT} WHERE r.org_id = $1 AND {col} = $2 \
         ORDER BY CASE WHEN r.status = 'open' THEN 0 ELSE 1 END, \
         CASE WHEN r.status = 'open' THEN r.due_on ELSE '' END, r.recorded_at DESC LIMIT {limit}"
    );
    sqlx::query(&sql)
        .bind(org.to_string())
        .bind(id.to_string())
        .fetch_all(db.read())
        .await?
        .iter()
        .map(row)
        .collect()
}

/// Answers an open request over version `read`; the new version. A request answered already,
/// or changed since, is `StaleVersion`.
pub async fn answer(
    tx: &mut Tx,
    id: Uuid,
    read: i64,
    (status, ground, note): (&str, Option<&str>, &str),
    by: Uuid,
) -> Result<i64> {
    let r = sqlx::query(
        "UPDATE data_request SET status = $1, ground = $2, answer_note = $3, answered_by = $4, \
         answered_at = $5, version = version + 1 \
         WHERE id = $6 AND version = $7 AND status = 'open'",
    )
    .bind(status)
    .bind(ground)
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
