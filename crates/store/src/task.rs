//! Tasks of a case team and their history.

use crate::case_list::{scope_sql, Scope};
use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{date, date_db, instant, opt_instant, opt_uuid, uuid};
use crate::time::now_db;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// A stored task, with the names a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Case number.
    pub case_number: String,
    /// The case's manager (who follows up a task of an outside person).
    pub case_manager_id: Uuid,
    /// The case's unit.
    pub case_unit_id: Uuid,
    /// What.
    pub title: String,
    /// More.
    pub details: Option<String>,
    /// The colleague who does it.
    pub assignee_id: Option<Uuid>,
    /// Their name.
    pub assignee_name: Option<String>,
    /// Or a person of another agency.
    pub outside_name: Option<String>,
    /// Their organisation and role.
    pub outside_organisation: Option<String>,
    /// By when.
    pub due_date: NaiveDate,
    /// Priority code.
    pub priority: String,
    /// Status code.
    pub status: String,
    /// Why cancelled (or the note it was done with).
    pub status_reason: Option<String>,
    /// Plan goal.
    pub goal_id: Option<Uuid>,
    /// Plan intervention.
    pub intervention_id: Option<Uuid>,
    /// Who assigned it.
    pub created_by: Uuid,
    /// Their name.
    pub created_by_name: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When done or cancelled.
    pub closed_at: Option<DateTime<Utc>>,
    /// Version.
    pub version: i64,
}

const COLS: &str =
    "t.id, t.case_id, c.number AS case_number, c.manager_id, c.unit_id, t.title, t.details, \
    t.assignee_id, a.display_name AS assignee_name, t.outside_name, t.outside_organisation, \
    t.due_date, t.priority, t.status, t.status_reason, t.goal_id, t.intervention_id, \
    t.created_by, b.display_name AS created_by_name, t.created_at, t.closed_at, t.version";
const FROM: &str = "task t JOIN case_file c ON c.id = t.case_id \
    LEFT JOIN account a ON a.id = t.assignee_id JOIN account b ON b.id = t.created_by";
/// Still to be done first, then by due date (overdue first), the most urgent first.
const ORDER: &str = "ORDER BY CASE WHEN t.status IN ('open', 'in_progress') THEN 0 ELSE 1 END, \
    t.due_date, t.priority_rank DESC, t.id";

fn task_from(r: &AnyRow) -> Result<TaskRow> {
    Ok(TaskRow {
        id: uuid(r, "id")?,
        case_id: uuid(r, "case_id")?,
        case_number: r.try_get("case_number")?,
        case_manager_id: uuid(r, "manager_id")?,
        case_unit_id: uuid(r, "unit_id")?,
        title: r.try_get("title")?,
        details: r.try_get("details")?,
        assignee_id: opt_uuid(r, "assignee_id")?,
        assignee_name: r.try_get("assignee_name")?,
        outside_name: r.try_get("outside_name")?,
        outside_organisation: r.try_get("outside_organisation")?,
        due_date: date(r, "due_date")?,
        priority: r.try_get("priority")?,
        status: r.try_get("status")?,
        status_reason: r.try_get("status_reason")?,
        goal_id: opt_uuid(r, "goal_id")?,
        intervention_id: opt_uuid(r, "intervention_id")?,
        created_by: uuid(r, "created_by")?,
        created_by_name: r.try_get("created_by_name")?,
        created_at: instant(r, "created_at")?,
        closed_at: opt_instant(r, "closed_at")?,
        version: r.try_get("version")?,
    })
}

/// Who does a task, as stored: an account, or an outside person's name and organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Doer {
    /// A colleague.
    Account(Uuid),
    /// A person of another agency.
    Outside {
        /// Name.
        name: String,
        /// Organisation and role.
        organisation: Option<String>,
    },
}

impl Doer {
    fn columns(&self) -> (Option<String>, Option<&str>, Option<&str>) {
        match self {
            Doer::Account(id) => (Some(id.to_string()), None, None),
            Doer::Outside { name, organisation } => {
                (None, Some(name.as_str()), organisation.as_deref())
            }
        }
    }
}

/// A new task.
#[derive(Debug, Clone)]
pub struct NewTask<'a> {
    /// Organisation.
    pub org_id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// What.
    pub title: &'a str,
    /// More.
    pub details: Option<&'a str>,
    /// Who.
    pub doer: Doer,
    /// By when.
    pub due: NaiveDate,
    /// Priority code and its rank.
    pub priority: (&'a str, i64),
    /// Plan goal.
    pub goal_id: Option<Uuid>,
    /// Plan intervention.
    pub intervention_id: Option<Uuid>,
    /// Who assigns it.
    pub created_by: Uuid,
    /// The conference, decision and action item it comes from.
    pub from_conference: Option<(Uuid, Uuid, Uuid)>,
}

/// Records a task (open) and its first history entry.
pub async fn insert(tx: &mut Tx, t: &NewTask<'_>) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let now = now_db();
    let (assignee, outside_name, outside_org) = t.doer.columns();
    sqlx::query(
        "INSERT INTO task (id, org_id, case_id, title, details, assignee_id, outside_name, \
         outside_organisation, due_date, priority, priority_rank, status, goal_id, intervention_id, \
         created_by, created_at, updated_at, conference_id, decision_id, action_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', $12, $13, $14, $15, $15, $16, $17, $18)",
    )
    .bind(id.to_string())
    .bind(t.org_id.to_string())
    .bind(t.case_id.to_string())
    .bind(t.title)
    .bind(t.details)
    .bind(assignee)
    .bind(outside_name)
    .bind(outside_org)
    .bind(date_db(t.due))
    .bind(t.priority.0)
    .bind(t.priority.1)
    .bind(t.goal_id.map(|g| g.to_string()))
    .bind(t.intervention_id.map(|i| i.to_string()))
    .bind(t.created_by.to_string())
    .bind(&now)
    .bind(t.from_conference.map(|c| c.0.to_string()))
    .bind(t.from_conference.map(|c| c.1.to_string()))
    .bind(t.from_conference.map(|c| c.2.to_string()))
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    insert_event(tx, id, "created", None, t.created_by).await?;
    Ok(id)
}

/// Records one step of a task's history.
pub async fn insert_event(
    tx: &mut Tx,
    task_id: Uuid,
    kind: &str,
    reason: Option<&str>,
    actor: Uuid,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO task_event (id, task_id, kind, reason, actor_id, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(task_id.to_string())
    .bind(kind)
    .bind(reason)
    .bind(actor.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A task's state after a change.
#[derive(Debug, Clone)]
pub struct TaskState<'a> {
    /// Status code.
    pub status: &'a str,
    /// Why cancelled, or the note it was done with.
    pub reason: Option<&'a str>,
    /// Who.
    pub doer: Doer,
    /// By when.
    pub due: NaiveDate,
}

/// Writes a task's new state if it is still at `version`; returns the new version.
pub async fn update(tx: &mut Tx, id: Uuid, version: i64, s: &TaskState<'_>) -> Result<i64> {
    let now = now_db();
    let closed = matches!(s.status, "done" | "cancelled").then(|| now.clone());
    let (assignee, outside_name, outside_org) = s.doer.columns();
    let r = sqlx::query(
        "UPDATE task SET status = $1, status_reason = $2, assignee_id = $3, outside_name = $4, \
         outside_organisation = $5, due_date = $6, closed_at = $7, updated_at = $8, version = version + 1 \
         WHERE id = $9 AND version = $10",
    )
    .bind(s.status)
    .bind(s.reason)
    .bind(assignee)
    .bind(outside_name)
    .bind(outside_org)
    .bind(date_db(s.due))
    .bind(closed)
    .bind(&now)
    .bind(id.to_string())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(version + 1)
}

/// One task, read in a write transaction.
pub async fn by_id_tx(tx: &mut Tx, id: Uuid) -> Result<Option<TaskRow>> {
    let row = sqlx::query(&format!("SELECT {COLS} FROM {FROM} WHERE t.id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(task_from).transpose()
}

/// One task.
pub async fn by_id(db: &Db, id: Uuid) -> Result<Option<TaskRow>> {
    let row = sqlx::query(&format!("SELECT {COLS} FROM {FROM} WHERE t.id = $1"))
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    row.as_ref().map(task_from).transpose()
}

/// The case a task belongs to.
pub async fn case_of(db: &Db, id: Uuid) -> Result<Option<Uuid>> {
    let s: Option<String> = sqlx::query_scalar("SELECT case_id FROM task WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    s.map(|s| Uuid::parse_str(&s).map_err(|_| StoreError::Corrupt("uuid")))
        .transpose()
}

/// A case's tasks: those still to be done first, by due date.
pub async fn for_case(db: &Db, case_id: Uuid) -> Result<Vec<TaskRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM {FROM} WHERE t.case_id = $1 {ORDER}"
    ))
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(task_from).collect()
}

/// Which tasks a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    /// Assigned to the actor, or to an outside person on a case the actor manages.
    Mine,
    /// On the cases of a unit (its supervisor's view).
    Unit(Uuid),
}

/// The tasks of `whose` on cases within `scope` (the case access rule as SQL), with the given
/// status codes (empty: open and in progress), still to be done first, overdue first.
pub async fn list(
    db: &Db,
    scope: Scope,
    whose: Whose,
    statuses: &[&str],
    limit: i64,
) -> Result<Vec<TaskRow>> {
    let statuses: Vec<&str> = if statuses.is_empty() {
        vec!["open", "in_progress"]
    } else {
        statuses.to_vec()
    };
    let status_in = crate::row::placeholders(6, statuses.len());
    let whose_sql = match whose {
        Whose::Mine => "(t.assignee_id = $4 OR (t.assignee_id IS NULL AND c.manager_id = $4))",
        Whose::Unit(_) => "c.unit_id = $5",
    };
    let sql = format!(
        "SELECT {COLS} FROM {FROM} WHERE {scope} AND {whose_sql} AND t.status IN ({status_in}) \
         {ORDER} LIMIT {limit}",
        scope = scope_sql(1),
        limit = limit.clamp(1, 1000),
    );
    let mut q = sqlx::query(&sql)
        .bind(scope.org_id.to_string())
        .bind(scope.actor_id.to_string())
        .bind(
            scope
                .supervisor_unit
                .map(|u| u.to_string())
                .unwrap_or_default(),
        )
        .bind(scope.actor_id.to_string())
        .bind(match whose {
            Whose::Unit(u) => u.to_string(),
            Whose::Mine => String::new(),
        });
    for s in &statuses {
        q = q.bind(*s);
    }
    let rows = q.fetch_all(db.read()).await?;
    rows.iter().map(task_from).collect()
}

/// How many tasks of `whose` are still to be done, and how many of them are past due on `today`.
pub async fn count_active(
    db: &Db,
    scope: Scope,
    actor: Uuid,
    today: NaiveDate,
) -> Result<(i64, i64)> {
    let sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n, \
         CAST(COALESCE(SUM(CASE WHEN t.due_date < $5 THEN 1 ELSE 0 END), 0) AS BIGINT) AS overdue \
         FROM task t JOIN case_file c ON c.id = t.case_id WHERE {scope} \
         AND (t.assignee_id = $4 OR (t.assignee_id IS NULL AND c.manager_id = $4)) \
         AND t.status IN ('open', 'in_progress')",
        scope = scope_sql(1)
    );
    let r = sqlx::query(&sql)
        .bind(scope.org_id.to_string())
        .bind(scope.actor_id.to_string())
        .bind(
            scope
                .supervisor_unit
                .map(|u| u.to_string())
                .unwrap_or_default(),
        )
        .bind(actor.to_string())
        .bind(date_db(today))
        .fetch_one(db.read())
        .await?;
    Ok((r.try_get("n")?, r.try_get("overdue")?))
}

/// One step of a task's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskEvent {
    /// Task.
    pub task_id: Uuid,
    /// `created`, `started`, `done`, `cancelled`, `reopened`, `reassigned`, `rescheduled`.
    pub kind: String,
    /// Why, or the note.
    pub reason: Option<String>,
    /// Who (name).
    pub actor: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// The history of the given tasks, oldest first.
pub async fn events(db: &Db, task_ids: &[Uuid]) -> Result<Vec<TaskEvent>> {
    if task_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut all = Vec::new();
    for chunk in task_ids.chunks(500) {
        let sql = format!(
            "SELECT e.task_id, e.kind, e.reason, a.display_name AS actor, e.at FROM task_event e \
             JOIN account a ON a.id = e.actor_id WHERE e.task_id IN ({}) ORDER BY e.at, e.id",
            crate::row::placeholders(1, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id.to_string());
        }
        for r in q.fetch_all(db.read()).await? {
            all.push(TaskEvent {
                task_id: uuid(&r, "task_id")?,
                kind: r.try_get("kind")?,
                reason: r.try_get("reason")?,
                actor: r.try_get("actor")?,
                at: instant(&r, "at")?,
            });
        }
    }
    all.sort_by_key(|e| e.at);
    Ok(all)
}

/// The action items of a conference that are tasks already: (action item id, task id).
pub async fn of_conference_tx(tx: &mut Tx, conference_id: Uuid) -> Result<Vec<(Uuid, Uuid)>> {
    let rows = sqlx::query(
        "SELECT action_id, id FROM task WHERE conference_id = $1 AND action_id IS NOT NULL",
    )
    .bind(conference_id.to_string())
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| Ok((uuid(r, "action_id")?, uuid(r, "id")?)))
        .collect()
}
