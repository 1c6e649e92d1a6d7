//! Supervision sessions.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{date, date_db, flag, instant, uuid};
use crate::time::now_db;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use uuid::Uuid;

/// A session to record.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    /// Organisation.
    pub org_id: Uuid,
    /// The worker's unit.
    pub unit_id: Uuid,
    /// Supervisor.
    pub supervisor_id: Uuid,
    /// Worker.
    pub worker_id: Uuid,
    /// When.
    pub held_on: NaiveDate,
    /// The caseload was reviewed.
    pub caseload_reviewed: bool,
    /// Cases discussed.
    pub cases_discussed: &'a str,
    /// Actions agreed.
    pub agreed_actions: &'a str,
    /// Wellbeing.
    pub wellbeing: &'a str,
    /// Training needs.
    pub training_needs: &'a str,
}

/// Records a session.
pub async fn insert(tx: &mut Tx, s: &NewSession<'_>) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO supervision_session (id, org_id, unit_id, supervisor_id, worker_id, held_on, \
         caseload_reviewed, cases_discussed, agreed_actions, wellbeing, training_needs, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(id.to_string())
    .bind(s.org_id.to_string())
    .bind(s.unit_id.to_string())
    .bind(s.supervisor_id.to_string())
    .bind(s.worker_id.to_string())
    .bind(date_db(s.held_on))
    .bind(i64::from(s.caseload_reviewed))
    .bind(s.cases_discussed)
    .bind(s.agreed_actions)
    .bind(s.wellbeing)
    .bind(s.training_needs)
    .bind(now_db())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(id)
}

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// Id.
    pub id: Uuid,
    /// Supervisor's name.
    pub supervisor_name: String,
    /// Worker.
    pub worker_id: Uuid,
    /// Worker's name.
    pub worker_name: String,
    /// When.
    pub held_on: NaiveDate,
    /// The caseload was reviewed.
    pub caseload_reviewed: bool,
    /// Cases discussed.
    pub cases_discussed: String,
    /// Actions agreed.
    pub agreed_actions: String,
    /// Wellbeing.
    pub wellbeing: String,
    /// Training needs.
    pub training_needs: String,
    /// Recorded.
    pub created_at: DateTime<Utc>,
}

/// The sessions `viewer` may read: those she wrote, those about her, and, for a supervisor of
/// `unit`, those of the unit's workers; newest first, at most `limit`.
pub async fn visible_to(
    db: &Db,
    org: Uuid,
    viewer: Uuid,
    supervised_unit: Option<Uuid>,
    limit: i64,
) -> Result<Vec<SessionRow>> {
    let rows = sqlx::query(
        "SELECT s.id, a.display_name AS supervisor_name, s.worker_id, w.display_name AS worker_name, \
         s.held_on, s.caseload_reviewed, s.cases_discussed, s.agreed_actions, s.wellbeing, \
         s.training_needs, s.created_at FROM supervision_session s \
         JOIN account a ON a.id = s.supervisor_id JOIN account w ON w.id = s.worker_id \
         WHERE s.org_id = $1 AND (s.supervisor_id = $2 OR s.worker_id = $2 OR s.unit_id = $3) \
         ORDER BY s.held_on DESC, s.id DESC LIMIT $4",
    )
    .bind(org.to_string())
    .bind(viewer.to_string())
    .bind(supervised_unit.map(|u| u.to_string()).unwrap_or_default())
    .bind(limit)
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SessionRow {
                id: uuid(r, "id")?,
                supervisor_name: r.try_get("supervisor_name")?,
                worker_id: uuid(r, "worker_id")?,
                worker_name: r.try_get("worker_name")?,
                held_on: date(r, "held_on")?,
                caseload_reviewed: flag(r, "caseload_reviewed")?,
                cases_discussed: r.try_get("cases_discussed")?,
                agreed_actions: r.try_get("agreed_actions")?,
                wellbeing: r.try_get("wellbeing")?,
                training_needs: r.try_get("training_needs")?,
                created_at: instant(r, "created_at")?,
            })
        })
        .collect()
}
