//! Caseload figures per worker: open cases by status and urgency, tasks and promises behind,
//! and the worker's limit. Each is one grouped statement over the workers asked for.

use crate::db::{Db, Tx};
use crate::error::Result;
use crate::row::{date_db, placeholders, uuid};
use chrono::NaiveDate;
use sqlx::Row;
use uuid::Uuid;

/// A worker whose caseload is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worker {
    /// Account.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Role code.
    pub role: String,
    /// Unit.
    pub unit_id: Option<Uuid>,
    /// The limit set for her.
    pub limit: Option<i64>,
}

fn worker_from(r: &sqlx::any::AnyRow) -> Result<Worker> {
    Ok(Worker {
        id: uuid(r, "id")?,
        name: r.try_get("display_name")?,
        role: r.try_get("role")?,
        unit_id: crate::row::opt_uuid(r, "unit_id")?,
        limit: r.try_get("caseload_limit")?,
    })
}

/// The active case managers and supervisors of a unit, by name.
pub async fn unit_workers(db: &Db, org: Uuid, unit: Uuid) -> Result<Vec<Worker>> {
    let rows = sqlx::query(
        "SELECT id, display_name, role, unit_id, caseload_limit FROM account WHERE org_id = $1 \
         AND unit_id = $2 AND active = 1 AND role IN ('case_manager', 'supervisor') \
         ORDER BY display_name, id LIMIT 500",
    )
    .bind(org.to_string())
    .bind(unit.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(worker_from).collect()
}

/// One account as a worker.
pub async fn worker(db: &Db, id: Uuid) -> Result<Option<Worker>> {
    let row = sqlx::query(
        "SELECT id, display_name, role, unit_id, caseload_limit FROM account WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(db.read())
    .await?;
    row.as_ref().map(worker_from).transpose()
}

/// Open cases managed by each of `ids`: (manager, status, urgency, count).
pub async fn open_cases(db: &Db, ids: &[Uuid]) -> Result<Vec<(Uuid, String, String, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT manager_id, status, urgency, CAST(COUNT(*) AS BIGINT) AS n FROM case_file \
         WHERE manager_id IN ({}) AND status <> 'closed' GROUP BY manager_id, status, urgency",
        placeholders(1, ids.len())
    );
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(id.to_string());
    }
    q.fetch_all(db.read())
        .await?
        .iter()
        .map(|r| {
            Ok((
                uuid(r, "manager_id")?,
                r.try_get("status")?,
                r.try_get("urgency")?,
                r.try_get("n")?,
            ))
        })
        .collect()
}

/// Tasks still to be done per worker (assigned to her, or of an outside person on a case she
/// manages) and how many are past due on `today`: (worker, open, overdue).
pub async fn tasks(db: &Db, ids: &[Uuid], today: NaiveDate) -> Result<Vec<(Uuid, i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let n = ids.len();
    let sql = format!(
        "SELECT w AS worker, CAST(COUNT(*) AS BIGINT) AS open, \
         CAST(SUM(CASE WHEN due_date < ${d} THEN 1 ELSE 0 END) AS BIGINT) AS overdue FROM ( \
         SELECT COALESCE(t.assignee_id, c.manager_id) AS w, t.due_date FROM task t \
         JOIN case_file c ON c.id = t.case_id WHERE t.status IN ('open', 'in_progress') \
         AND COALESCE(t.assignee_id, c.manager_id) IN ({list})) x GROUP BY w",
        d = n + 1,
        list = placeholders(1, n)
    );
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(id.to_string());
    }
    q.bind(date_db(today))
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| {
            Ok((
                uuid(r, "worker")?,
                r.try_get("open")?,
                r.try_get("overdue")?,
            ))
        })
        .collect()
}

/// Open promises past due per worker who made them: (worker, count).
pub async fn overdue_promises(db: &Db, ids: &[Uuid], today: NaiveDate) -> Result<Vec<(Uuid, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let n = ids.len();
    let sql = format!(
        "SELECT made_by, CAST(COUNT(*) AS BIGINT) AS n FROM promise WHERE status = 'open' \
         AND due_date < ${d} AND made_by IN ({list}) GROUP BY made_by",
        d = n + 1,
        list = placeholders(1, n)
    );
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(id.to_string());
    }
    q.bind(date_db(today))
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| Ok((uuid(r, "made_by")?, r.try_get("n")?)))
        .collect()
}

/// Sets (or clears, with None) a worker's caseload limit.
pub async fn set_limit(tx: &mut Tx, account: Uuid, limit: Option<i64>) -> Result<()> {
    sqlx::query("UPDATE account SET caseload_limit = $1 WHERE id = $2")
        .bind(limit)
        .bind(account.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
