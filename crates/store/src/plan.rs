//! Plan versions and progress entries.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{date, date_db, instant, opt_instant, opt_uuid, uuid};
use crate::time::now_db;
use chrono::{DateTime, NaiveDate, Utc};
use karuna_domain::plan::PlanContent;
use karuna_domain::progress::Progress;
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// One stored plan version.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanVersionRow {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// 1, 2, … per case.
    pub number: i64,
    /// Goals and interventions.
    pub content: PlanContent,
    /// Why this revision.
    pub reason: Option<String>,
    /// `awaiting_approval`, `active`, `returned` or `superseded`.
    pub status: String,
    /// Author.
    pub created_by: Uuid,
    /// Author's name.
    pub created_by_name: String,
    /// Saved.
    pub created_at: DateTime<Utc>,
    /// Who approved or returned it.
    pub decided_by: Option<Uuid>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
}

fn version_from(r: &AnyRow) -> Result<PlanVersionRow> {
    let content: String = r.try_get("content")?;
    Ok(PlanVersionRow {
        id: uuid(r, "id")?,
        case_id: uuid(r, "case_id")?,
        number: r.try_get("number")?,
        content: serde_json::from_str(&content).map_err(|_| StoreError::Corrupt("plan"))?,
        reason: r.try_get("reason")?,
        status: r.try_get("status")?,
        created_by: uuid(r, "created_by")?,
        created_by_name: r.try_get("created_by_name")?,
        created_at: instant(r, "created_at")?,
        decided_by: opt_uuid(r, "decided_by")?,
        decided_at: opt_instant(r, "decided_at")?,
    })
}

/// Every version of a case's plan, newest first.
pub async fn versions(db: &Db, case_id: Uuid) -> Result<Vec<PlanVersionRow>> {
    let rows = sqlx::query(
        "SELECT p.id, p.case_id, p.number, p.content, p.reason, p.status, p.created_by, \
         a.display_name AS created_by_name, p.created_at, p.decided_by, p.decided_at \
         FROM plan_version p JOIN account a ON a.id = p.created_by \
         WHERE p.case_id = $1 ORDER BY p.number DESC",
    )
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(version_from).collect()
}

/// The latest version's number and status inside a write transaction (0 when none).
pub async fn latest_tx(tx: &mut Tx, case_id: Uuid) -> Result<(i64, Option<String>)> {
    let row = sqlx::query(
        "SELECT number, status FROM plan_version WHERE case_id = $1 ORDER BY number DESC LIMIT 1",
    )
    .bind(case_id.to_string())
    .fetch_optional(&mut **tx)
    .await?;
    match row {
        Some(r) => Ok((r.try_get("number")?, Some(r.try_get("status")?))),
        None => Ok((0, None)),
    }
}

/// Adds version `number` (the caller checked it follows the latest); a concurrent writer that
/// took the same number makes this `StaleVersion`. Earlier active or waiting versions become
/// `superseded` when `status` is `active`.
#[allow(clippy::too_many_arguments)]
pub async fn insert_version(
    tx: &mut Tx,
    org_id: Uuid,
    case_id: Uuid,
    number: i64,
    content: &PlanContent,
    reason: Option<&str>,
    status: &str,
    by: Uuid,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let json = serde_json::to_string(content).map_err(|_| StoreError::Corrupt("plan"))?;
    sqlx::query(
        "INSERT INTO plan_version (id, org_id, case_id, number, content, reason, status, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(case_id.to_string())
    .bind(number)
    .bind(json)
    .bind(reason.map(str::to_string))
    .bind(status)
    .bind(by.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await
    .map_err(|e| match StoreError::from_insert(e) {
        StoreError::Duplicate => StoreError::StaleVersion,
        other => other,
    })?;
    if status == "active" {
        supersede_before(tx, case_id, number).await?;
    }
    crate::search::index::reindex_plan(tx, case_id).await?;
    Ok(id)
}

async fn supersede_before(tx: &mut Tx, case_id: Uuid, number: i64) -> Result<()> {
    sqlx::query(
        "UPDATE plan_version SET status = 'superseded' WHERE case_id = $1 AND number < $2 \
         AND status IN ('active', 'awaiting_approval')",
    )
    .bind(case_id.to_string())
    .bind(number)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Approves (`active`) or returns a version awaiting approval; false when it was not awaiting.
pub async fn decide(
    tx: &mut Tx,
    case_id: Uuid,
    number: i64,
    status: &str,
    by: Uuid,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE plan_version SET status = $1, decided_by = $2, decided_at = $3 \
         WHERE case_id = $4 AND number = $5 AND status = 'awaiting_approval'",
    )
    .bind(status)
    .bind(by.to_string())
    .bind(now_db())
    .bind(case_id.to_string())
    .bind(number)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 1 && status == "active" {
        supersede_before(tx, case_id, number).await?;
    }
    Ok(r.rows_affected() == 1)
}

/// A stored progress entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressRow {
    /// Id.
    pub id: Uuid,
    /// Goal.
    pub goal_id: Uuid,
    /// Plan version in force when recorded.
    pub plan_number: i64,
    /// When measured.
    pub measured_on: NaiveDate,
    /// GAS score.
    pub gas: Option<i64>,
    /// Indicator value.
    pub value: Option<String>,
    /// Evidence source.
    pub source: String,
    /// Note.
    pub note: Option<String>,
    /// Who recorded it.
    pub recorded_by_name: String,
    /// Recorded.
    pub created_at: DateTime<Utc>,
}

/// Records a progress entry.
pub async fn insert_progress(
    tx: &mut Tx,
    org_id: Uuid,
    case_id: Uuid,
    plan_number: i64,
    p: &Progress,
    by: Uuid,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO goal_progress (id, org_id, case_id, goal_id, plan_number, measured_on, gas, \
         value, source, note, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(case_id.to_string())
    .bind(p.goal_id.to_string())
    .bind(plan_number)
    .bind(date_db(p.date))
    .bind(p.gas)
    .bind(p.value.clone())
    .bind(&p.source)
    .bind(p.note.clone())
    .bind(by.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// A case's progress entries, oldest first.
pub async fn progress(db: &Db, case_id: Uuid) -> Result<Vec<ProgressRow>> {
    let rows = sqlx::query(
        "SELECT g.id, g.goal_id, g.plan_number, g.measured_on, g.gas, g.value, g.source, g.note, \
         a.display_name AS recorded_by_name, g.created_at \
         FROM goal_progress g JOIN account a ON a.id = g.recorded_by \
         WHERE g.case_id = $1 ORDER BY g.measured_on, g.created_at",
    )
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ProgressRow {
                id: uuid(r, "id")?,
                goal_id: uuid(r, "goal_id")?,
                plan_number: r.try_get("plan_number")?,
                measured_on: date(r, "measured_on")?,
                gas: r.try_get("gas")?,
                value: r.try_get("value")?,
                source: r.try_get("source")?,
                note: r.try_get("note")?,
                recorded_by_name: r.try_get("recorded_by_name")?,
                created_at: instant(r, "created_at")?,
            })
        })
        .collect()
}

/// True when a plan version is in force, read inside a transaction (the lifecycle guard).
pub async fn in_force_tx(tx: &mut Tx, case_id: Uuid) -> Result<bool> {
    let n: Option<i64> = sqlx::query_scalar(
        "SELECT number FROM plan_version WHERE case_id = $1 AND status = 'active' LIMIT 1",
    )
    .bind(case_id.to_string())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(n.is_some())
}

/// True when an assessment of the case is completed, read inside a transaction (the guard on
/// planning).
pub async fn assessment_completed_tx(tx: &mut Tx, case_id: Uuid) -> Result<bool> {
    let n: Option<String> = sqlx::query_scalar(
        "SELECT id FROM assessment WHERE case_id = $1 AND status = 'completed' LIMIT 1",
    )
    .bind(case_id.to_string())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(n.is_some())
}

/// A status change of an intervention between plan versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterventionEvent {
    /// Case.
    pub case_id: Uuid,
    /// The intervention (its stable id in the plan).
    pub intervention_id: Uuid,
    /// New status.
    pub status: String,
    /// Why.
    pub note: Option<String>,
    /// Who.
    pub recorded_by_name: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Records an intervention's status change.
pub async fn insert_intervention_event(
    tx: &mut Tx,
    org_id: Uuid,
    case_id: Uuid,
    intervention_id: Uuid,
    status: &str,
    note: Option<&str>,
    by: Uuid,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO intervention_event (id, org_id, case_id, intervention_id, status, note, \
         recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(case_id.to_string())
    .bind(intervention_id.to_string())
    .bind(status)
    .bind(note.map(str::to_string))
    .bind(by.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

fn event_from(r: &AnyRow) -> Result<InterventionEvent> {
    Ok(InterventionEvent {
        case_id: uuid(r, "case_id")?,
        intervention_id: uuid(r, "intervention_id")?,
        status: r.try_get("status")?,
        note: r.try_get("note")?,
        recorded_by_name: r.try_get("recorded_by_name")?,
        created_at: instant(r, "created_at")?,
    })
}

/// A case's intervention status changes, oldest first.
pub async fn intervention_events(db: &Db, case_id: Uuid) -> Result<Vec<InterventionEvent>> {
    let rows = sqlx::query(
        "SELECT e.case_id, e.intervention_id, e.status, e.note, a.display_name AS recorded_by_name, \
         e.created_at FROM intervention_event e JOIN account a ON a.id = e.recorded_by \
         WHERE e.case_id = $1 ORDER BY e.created_at, e.id",
    )
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(event_from).collect()
}

/// Applies the status changes recorded since `version` came into force to its interventions.
pub fn apply_events(version: &mut PlanVersionRow, events: &[InterventionEvent]) {
    let since = version.decided_at.unwrap_or(version.created_at);
    for e in events.iter().filter(|e| e.created_at >= since) {
        for g in &mut version.content.goals {
            for x in &mut g.interventions {
                if x.id == e.intervention_id {
                    x.status = e.status.clone();
                }
            }
        }
    }
}
