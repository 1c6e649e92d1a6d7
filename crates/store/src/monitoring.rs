//! What needs attention across the cases in scope: plans in force with their last review (for
//! overdue reviews and stalled interventions) and follow-ups after closure falling due.

use crate::case_list::{scope_set_sql, Scope};
use crate::db::Db;
use crate::error::{Result, StoreError};
use crate::row::{date, date_db, instant, list, opt_instant, uuid};
use chrono::{DateTime, NaiveDate, Utc};
use karuna_domain::plan::PlanContent;
use sqlx::Row;
use uuid::Uuid;

/// A case in implementation or review with its plan in force.
#[derive(Debug, Clone)]
pub struct MonitoredCase {
    /// Case.
    pub case_id: Uuid,
    /// Number.
    pub number: String,
    /// Case manager's name.
    pub manager_name: String,
    /// Case types.
    pub case_types: Vec<String>,
    /// The plan in force.
    pub plan: PlanContent,
    /// When it was saved.
    pub plan_created_at: DateTime<Utc>,
    /// When it was approved, if it needed approval.
    pub plan_decided_at: Option<DateTime<Utc>>,
    /// The last review.
    pub last_review: Option<NaiveDate>,
}

fn binds(scope: Scope) -> [String; 3] {
    [
        scope.org_id.to_string(),
        scope.actor_id.to_string(),
        scope
            .supervisor_unit
            .map(|u| u.to_string())
            .unwrap_or_default(),
    ]
}

/// Cases in scope in implementation or review, with their plan in force (at most `limit`).
pub async fn monitored(db: &Db, scope: Scope, limit: i64) -> Result<Vec<MonitoredCase>> {
    let sql = format!(
        "SELECT c.id, c.number, a.display_name AS manager_name, c.case_types, p.content, \
         p.created_at AS plan_created_at, p.decided_at AS plan_decided_at, \
         (SELECT MAX(r.held_on) FROM case_review r WHERE r.case_id = c.id) AS last_review \
         FROM case_file c JOIN plan_version p ON p.case_id = c.id AND p.status = 'active' \
         JOIN account a ON a.id = c.manager_id \
         WHERE c.status IN ('implementation', 'review') AND {} \
         ORDER BY c.number LIMIT $4",
        scope_set_sql(1)
    );
    let [o, a, u] = binds(scope);
    let rows = sqlx::query(&sql)
        .bind(o)
        .bind(a)
        .bind(u)
        .bind(limit)
        .fetch_all(db.read())
        .await?;
    let mut cases: Vec<MonitoredCase> = rows
        .iter()
        .map(|r| {
            let content: String = r.try_get("content")?;
            let last: Option<String> = r.try_get("last_review")?;
            Ok(MonitoredCase {
                case_id: uuid(r, "id")?,
                number: r.try_get("number")?,
                manager_name: r.try_get("manager_name")?,
                case_types: list(r, "case_types")?,
                plan: serde_json::from_str(&content).map_err(|_| StoreError::Corrupt("plan"))?,
                plan_created_at: instant(r, "plan_created_at")?,
                plan_decided_at: opt_instant(r, "plan_decided_at")?,
                last_review: last
                    .map(|s| {
                        NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                            .map_err(|_| StoreError::Corrupt("date"))
                    })
                    .transpose()?,
            })
        })
        .collect::<Result<_>>()?;
    // Status changes recorded since each plan came into force.
    let sql = format!(
        "SELECT e.case_id, e.intervention_id, e.status, e.created_at FROM intervention_event e \
         JOIN case_file c ON c.id = e.case_id \
         WHERE c.status IN ('implementation', 'review') AND {} ORDER BY e.created_at, e.id",
        scope_set_sql(1)
    );
    let [o, a, u] = binds(scope);
    let events = sqlx::query(&sql)
        .bind(o)
        .bind(a)
        .bind(u)
        .fetch_all(db.read())
        .await?;
    for r in &events {
        let case_id = uuid(r, "case_id")?;
        let intervention = uuid(r, "intervention_id")?;
        let status: String = r.try_get("status")?;
        let at = instant(r, "created_at")?;
        if let Some(c) = cases.iter_mut().find(|c| c.case_id == case_id) {
            if at >= c.plan_decided_at.unwrap_or(c.plan_created_at) {
                for x in c
                    .plan
                    .goals
                    .iter_mut()
                    .flat_map(|g| g.interventions.iter_mut())
                {
                    if x.id == intervention {
                        x.status = status.clone();
                    }
                }
            }
        }
    }
    Ok(cases)
}

/// A follow-up after closure not yet done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueFollowUp {
    /// Follow-up.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Number.
    pub number: String,
    /// Due.
    pub due_on: NaiveDate,
}

/// Open follow-ups in scope due on or before `until`, oldest first (at most `limit`).
pub async fn follow_ups_due(
    db: &Db,
    scope: Scope,
    until: NaiveDate,
    limit: i64,
) -> Result<Vec<DueFollowUp>> {
    let sql = format!(
        "SELECT f.id, f.case_id, c.number, f.due_on FROM follow_up f \
         JOIN case_file c ON c.id = f.case_id \
         WHERE f.done_on IS NULL AND f.due_on <= $4 AND {} ORDER BY f.due_on LIMIT $5",
        scope_set_sql(1)
    );
    let [o, a, u] = binds(scope);
    let rows = sqlx::query(&sql)
        .bind(o)
        .bind(a)
        .bind(u)
        .bind(date_db(until))
        .bind(limit)
        .fetch_all(db.read())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(DueFollowUp {
                id: uuid(r, "id")?,
                case_id: uuid(r, "case_id")?,
                number: r.try_get("number")?,
                due_on: date(r, "due_on")?,
            })
        })
        .collect()
}
