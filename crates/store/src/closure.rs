//! Reviews, closures and follow-ups after closure.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{date, date_db, instant, opt_date, uuid};
use crate::time::now_db;
use chrono::{DateTime, NaiveDate, Utc};
use karuna_domain::closure::{Closure, GoalOutcome};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// A stored review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// When held.
    pub held_on: NaiveDate,
    /// `continue`, `revise` or `close`.
    pub outcome: String,
    /// Findings.
    pub note: String,
    /// The plan's GAS T-score at the time, in tenths.
    pub gas_t_tenths: Option<i64>,
    /// Who recorded it.
    pub recorded_by_name: String,
    /// Recorded.
    pub created_at: DateTime<Utc>,
}

/// Records a review.
#[allow(clippy::too_many_arguments)]
pub async fn insert_review(
    tx: &mut Tx,
    org_id: Uuid,
    case_id: Uuid,
    held_on: NaiveDate,
    outcome: &str,
    note: &str,
    gas_t_tenths: Option<i64>,
    by: Uuid,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO case_review (id, org_id, case_id, held_on, outcome, note, gas_t_tenths, \
         recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(case_id.to_string())
    .bind(date_db(held_on))
    .bind(outcome)
    .bind(note)
    .bind(gas_t_tenths)
    .bind(by.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// A case's reviews, newest first.
pub async fn reviews(db: &Db, case_id: Uuid) -> Result<Vec<ReviewRow>> {
    let rows = sqlx::query(
        "SELECT r.id, r.case_id, r.held_on, r.outcome, r.note, r.gas_t_tenths, \
         a.display_name AS recorded_by_name, r.created_at FROM case_review r \
         JOIN account a ON a.id = r.recorded_by WHERE r.case_id = $1 \
         ORDER BY r.held_on DESC, r.created_at DESC",
    )
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ReviewRow {
                id: uuid(r, "id")?,
                case_id: uuid(r, "case_id")?,
                held_on: date(r, "held_on")?,
                outcome: r.try_get("outcome")?,
                note: r.try_get("note")?,
                gas_t_tenths: r.try_get("gas_t_tenths")?,
                recorded_by_name: r.try_get("recorded_by_name")?,
                created_at: instant(r, "created_at")?,
            })
        })
        .collect()
}

/// A stored closure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureRow {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Reason code.
    pub reason: String,
    /// Summary.
    pub summary: String,
    /// Goal outcomes.
    pub goals: Vec<GoalOutcome>,
    /// The final GAS T-score in tenths.
    pub final_gas_tenths: Option<i64>,
    /// Follow-up months.
    pub follow_up_months: Vec<u32>,
    /// `awaiting_approval`, `approved`, `ready`, `returned`, `done` or `superseded`.
    pub status: String,
    /// Author.
    pub created_by: Uuid,
    /// Author's name.
    pub created_by_name: String,
    /// Recorded.
    pub created_at: DateTime<Utc>,
}

fn closure_from(r: &AnyRow) -> Result<ClosureRow> {
    let goals: String = r.try_get("goal_outcomes")?;
    let months: String = r.try_get("follow_up_months")?;
    Ok(ClosureRow {
        id: uuid(r, "id")?,
        case_id: uuid(r, "case_id")?,
        reason: r.try_get("reason")?,
        summary: r.try_get("summary")?,
        goals: serde_json::from_str(&goals).map_err(|_| StoreError::Corrupt("closure"))?,
        final_gas_tenths: r.try_get("final_gas_tenths")?,
        follow_up_months: months
            .split(',')
            .filter(|m| !m.is_empty())
            .map(|m| m.parse().map_err(|_| StoreError::Corrupt("closure")))
            .collect::<Result<_>>()?,
        status: r.try_get("status")?,
        created_by: uuid(r, "created_by")?,
        created_by_name: r.try_get("created_by_name")?,
        created_at: instant(r, "created_at")?,
    })
}

const CLOSURE_COLS: &str = "c.id, c.case_id, c.reason, c.summary, c.goal_outcomes, \
    c.final_gas_tenths, c.follow_up_months, c.status, c.created_by, \
    a.display_name AS created_by_name, c.created_at";

/// A case's closures, newest first.
pub async fn closures(db: &Db, case_id: Uuid) -> Result<Vec<ClosureRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {CLOSURE_COLS} FROM case_closure c JOIN account a ON a.id = c.created_by \
         WHERE c.case_id = $1 ORDER BY c.created_at DESC"
    ))
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(closure_from).collect()
}

/// The closure a case may be closed with (`ready` or `approved`), inside a transaction.
pub async fn usable_tx(tx: &mut Tx, case_id: Uuid) -> Result<Option<ClosureRow>> {
    let row = sqlx::query(&format!(
        "SELECT {CLOSURE_COLS} FROM case_closure c JOIN account a ON a.id = c.created_by \
         WHERE c.case_id = $1 AND c.status IN ('ready', 'approved') \
         ORDER BY c.created_at DESC LIMIT 1"
    ))
    .bind(case_id.to_string())
    .fetch_optional(&mut **tx)
    .await?;
    row.as_ref().map(closure_from).transpose()
}

/// Records a closure; an earlier one not yet used (waiting, ready, approved or returned) is
/// superseded by it.
pub async fn insert_closure(
    tx: &mut Tx,
    org_id: Uuid,
    case_id: Uuid,
    c: &Closure,
    final_gas_tenths: Option<i64>,
    status: &str,
    by: Uuid,
) -> Result<Uuid> {
    supersede_all(tx, case_id).await?;
    let id = Uuid::now_v7();
    let goals = serde_json::to_string(&c.goals).map_err(|_| StoreError::Corrupt("closure"))?;
    let months = c
        .follow_up_months
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    sqlx::query(
        "INSERT INTO case_closure (id, org_id, case_id, reason, summary, goal_outcomes, \
         final_gas_tenths, follow_up_months, status, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(case_id.to_string())
    .bind(&c.reason)
    .bind(&c.summary)
    .bind(goals)
    .bind(final_gas_tenths)
    .bind(months)
    .bind(status)
    .bind(by.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Sets a closure's status from one of `from`; false when it was in none of them.
pub async fn set_status(
    tx: &mut Tx,
    id: Uuid,
    from: &[&str],
    to: &str,
    by: Option<Uuid>,
) -> Result<bool> {
    let list = from
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let r = sqlx::query(&format!(
        "UPDATE case_closure SET status = $1, decided_by = COALESCE($2, decided_by), \
         decided_at = CASE WHEN $2 IS NULL THEN decided_at ELSE $3 END \
         WHERE id = $4 AND status IN ({list})"
    ))
    .bind(to)
    .bind(by.map(|b| b.to_string()))
    .bind(now_db())
    .bind(id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Marks every not-yet-used closure of the case superseded (a newer summary or a reopening).
pub async fn supersede_all(tx: &mut Tx, case_id: Uuid) -> Result<()> {
    sqlx::query(
        "UPDATE case_closure SET status = 'superseded' WHERE case_id = $1 \
         AND status IN ('awaiting_approval', 'ready', 'approved', 'returned')",
    )
    .bind(case_id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A follow-up contact after closure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpRow {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Due.
    pub due_on: NaiveDate,
    /// Done.
    pub done_on: Option<NaiveDate>,
    /// What was found.
    pub note: Option<String>,
}

/// Schedules follow-ups.
pub async fn insert_follow_ups(
    tx: &mut Tx,
    org_id: Uuid,
    case_id: Uuid,
    closure_id: Uuid,
    dates: &[NaiveDate],
) -> Result<()> {
    for d in dates {
        sqlx::query(
            "INSERT INTO follow_up (id, org_id, case_id, closure_id, due_on, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(org_id.to_string())
        .bind(case_id.to_string())
        .bind(closure_id.to_string())
        .bind(date_db(*d))
        .bind(now_db())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A case's follow-ups by due date.
pub async fn follow_ups(db: &Db, case_id: Uuid) -> Result<Vec<FollowUpRow>> {
    let rows = sqlx::query(
        "SELECT id, case_id, due_on, done_on, note FROM follow_up WHERE case_id = $1 \
         ORDER BY due_on",
    )
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(FollowUpRow {
                id: uuid(r, "id")?,
                case_id: uuid(r, "case_id")?,
                due_on: date(r, "due_on")?,
                done_on: opt_date(r, "done_on")?,
                note: r.try_get("note")?,
            })
        })
        .collect()
}

/// Marks a follow-up done; false when it was already done or is not the case's.
pub async fn complete_follow_up(
    tx: &mut Tx,
    case_id: Uuid,
    id: Uuid,
    on: NaiveDate,
    note: &str,
    by: Uuid,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE follow_up SET done_on = $1, note = $2, done_by = $3 \
         WHERE id = $4 AND case_id = $5 AND done_on IS NULL",
    )
    .bind(date_db(on))
    .bind(note)
    .bind(by.to_string())
    .bind(id.to_string())
    .bind(case_id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}
