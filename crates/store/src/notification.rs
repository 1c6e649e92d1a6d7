//! The in-app inbox: notifications written with the event that causes them (in its
//! transaction), reminders written by the reminder job (once each, by their dedupe key, however
//! many servers run it), and the recipient's list and unread count, filtered by the case-access
//! predicate so that nothing of a case the recipient may no longer open is shown or counted.

use crate::case_list::{scope_sql, Scope};
use crate::db::{Db, Tx};
use crate::error::Result;
use crate::row::{date_db, instant, opt_date, opt_instant, opt_uuid, placeholders, uuid};
use crate::time::now_db;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use uuid::Uuid;

/// A notification about to be written.
#[derive(Debug, Clone)]
pub struct NewNotification<'a> {
    /// Organisation.
    pub org_id: Uuid,
    /// Kind code (`task_assigned`, `plan_approval`, `closure_approval`, `transfer_received`,
    /// `promise_due`, `task_due`, `referral_due`, `follow_up_due`, `referral_alert`).
    pub kind: &'a str,
    /// The case it is about.
    pub case_id: Uuid,
    /// The record it is about (a task, a plan version, a promise …).
    pub entity_id: Option<Uuid>,
    /// Who caused it (none for reminders).
    pub actor_id: Option<Uuid>,
}

/// Notifies one account, in the event's transaction.
pub async fn notify(tx: &mut Tx, to: Uuid, n: &NewNotification<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO notification (id, org_id, account_id, kind, case_id, entity_id, actor_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(n.org_id.to_string())
    .bind(to.to_string())
    .bind(n.kind)
    .bind(n.case_id.to_string())
    .bind(n.entity_id.map(|e| e.to_string()))
    .bind(n.actor_id.map(|a| a.to_string()))
    .bind(now_db())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Notifies the active supervisors of `unit` other than `except` (the author of the work that
/// awaits their approval), in one statement.
pub async fn notify_unit_supervisors(
    tx: &mut Tx,
    unit: Uuid,
    except: Uuid,
    n: &NewNotification<'_>,
) -> Result<u64> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM account WHERE org_id = $1 AND unit_id = $2 AND role = 'supervisor' \
         AND active = 1 AND id <> $3 ORDER BY id LIMIT 50",
    )
    .bind(n.org_id.to_string())
    .bind(unit.to_string())
    .bind(except.to_string())
    .fetch_all(&mut **tx)
    .await?;
    for id in &ids {
        if let Ok(to) = Uuid::parse_str(id) {
            notify(tx, to, n).await?;
        }
    }
    Ok(ids.len() as u64)
}

/// A reminder the job found due.
#[derive(Debug, Clone)]
struct Due {
    org_id: String,
    account_id: String,
    case_id: String,
    entity_id: String,
    due: String,
}

/// What each reminder kind selects: (kind, SQL returning org_id, account_id, case_id,
/// entity_id, due for records due from `$1` to `$2` without a reminder yet).
const REMINDERS: [(&str, &str); 4] = [
    (
        "promise_due",
        "SELECT p.org_id, p.made_by AS account_id, p.case_id, p.id AS entity_id, p.due_date AS due \
         FROM promise p WHERE p.status = 'open' AND p.due_date >= $1 AND p.due_date <= $2 \
         AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.dedupe_key = 'promise_due:' || p.id || ':' || p.due_date)",
    ),
    (
        "task_due",
        "SELECT t.org_id, COALESCE(t.assignee_id, c.manager_id) AS account_id, t.case_id, \
         t.id AS entity_id, t.due_date AS due FROM task t JOIN case_file c ON c.id = t.case_id \
         WHERE t.status IN ('open', 'in_progress') AND t.due_date >= $1 AND t.due_date <= $2 \
         AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.dedupe_key = 'task_due:' || t.id || ':' || t.due_date)",
    ),
    (
        "referral_due",
        "SELECT r.org_id, c.manager_id AS account_id, r.case_id, r.id AS entity_id, r.response_due AS due \
         FROM referral r JOIN case_file c ON c.id = r.case_id \
         WHERE r.status IN ('sent', 'acknowledged') AND r.response_due >= $1 AND r.response_due <= $2 \
         AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.dedupe_key = 'referral_due:' || r.id || ':' || r.response_due)",
    ),
    (
        "follow_up_due",
        "SELECT c.org_id, c.manager_id AS account_id, f.case_id, f.id AS entity_id, f.due_on AS due \
         FROM follow_up f JOIN case_file c ON c.id = f.case_id \
         WHERE f.done_on IS NULL AND f.due_on >= $1 AND f.due_on <= $2 \
         AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.dedupe_key = 'follow_up_due:' || f.id || ':' || f.due_on)",
    ),
];

/// Writes a reminder for every open promise, task, referral awaiting its answer and follow-up
/// after closure falling due from `from` to `until` that has none yet, to who must act on it
/// (the promise's maker, the task's assignee or, for an outside person's task, the case
/// manager, the case manager for a referral or a follow-up); returns how many were written. Each is keyed by kind, record and due date and
/// inserted with `ON CONFLICT DO NOTHING`, so two servers running the job at once write it once,
/// and a new due date (a renegotiated promise) gets a new reminder.
pub async fn write_reminders(db: &Db, from: NaiveDate, until: NaiveDate) -> Result<u64> {
    let mut written = 0;
    for (kind, sql) in REMINDERS {
        let rows = sqlx::query(&format!("{sql} LIMIT 5000"))
            .bind(date_db(from))
            .bind(date_db(until))
            .fetch_all(db.read())
            .await?;
        let due: Vec<Due> = rows
            .iter()
            .map(|r| {
                Ok(Due {
                    org_id: r.try_get("org_id")?,
                    account_id: r.try_get("account_id")?,
                    case_id: r.try_get("case_id")?,
                    entity_id: r.try_get("entity_id")?,
                    due: r.try_get("due")?,
                })
            })
            .collect::<Result<_>>()?;
        for chunk in due.chunks(100) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| format!("({})", placeholders(i * 9 + 1, 9)))
                .collect();
            let sql = format!(
                "INSERT INTO notification (id, org_id, account_id, kind, case_id, entity_id, due_date, \
                 dedupe_key, created_at) VALUES {} ON CONFLICT (dedupe_key) DO NOTHING",
                values.join(", ")
            );
            let now = now_db();
            let mut q = sqlx::query(&sql);
            for d in chunk {
                q = q
                    .bind(Uuid::now_v7().to_string())
                    .bind(d.org_id.clone())
                    .bind(d.account_id.clone())
                    .bind(kind)
                    .bind(d.case_id.clone())
                    .bind(d.entity_id.clone())
                    .bind(d.due.clone())
                    .bind(format!("{kind}:{}:{}", d.entity_id, d.due))
                    .bind(now.clone());
            }
            let mut tx = db.begin().await?;
            written += q.execute(&mut *tx).await?.rows_affected();
            tx.commit().await?;
        }
    }
    Ok(written)
}

/// A notification as the inbox lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRow {
    /// Id.
    pub id: Uuid,
    /// Kind code.
    pub kind: String,
    /// Case.
    pub case_id: Option<Uuid>,
    /// Its number.
    pub case_number: Option<String>,
    /// The record.
    pub entity_id: Option<Uuid>,
    /// Who caused it (name).
    pub actor_name: Option<String>,
    /// The due date of a reminder.
    pub due_date: Option<NaiveDate>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When read.
    pub read_at: Option<DateTime<Utc>>,
}

/// The columns and joins of a listed notification.
const SELECT: &str = "n.id, n.kind, n.case_id, c.number, n.entity_id, \
    a.display_name AS actor_name, n.due_date, n.created_at, n.read_at FROM notification n \
    LEFT JOIN case_file c ON c.id = n.case_id LEFT JOIN account a ON a.id = n.actor_id";

fn row_from(r: &sqlx::any::AnyRow) -> Result<NotificationRow> {
    Ok(NotificationRow {
        id: uuid(r, "id")?,
        kind: r.try_get("kind")?,
        case_id: opt_uuid(r, "case_id")?,
        case_number: r.try_get("number")?,
        entity_id: opt_uuid(r, "entity_id")?,
        actor_name: r.try_get("actor_name")?,
        due_date: opt_date(r, "due_date")?,
        created_at: instant(r, "created_at")?,
        read_at: opt_instant(r, "read_at")?,
    })
}

/// The recipient's notifications on cases within `scope` (newest first; only unread ones when
/// `unread_only`), at most `limit`.
pub async fn list(
    db: &Db,
    scope: Scope,
    unread_only: bool,
    limit: i64,
) -> Result<Vec<NotificationRow>> {
    let sql = format!(
        "SELECT {SELECT} \
         WHERE n.account_id = $2 AND (n.case_id IS NULL OR {scope}) {unread} \
         ORDER BY n.created_at DESC, n.id DESC LIMIT {limit}",
        scope = scope_sql(1),
        unread = if unread_only {
            "AND n.read_at IS NULL"
        } else {
            ""
        },
        limit = limit.clamp(1, 500),
    );
    let rows = bind_scope(sqlx::query(&sql), scope)
        .fetch_all(db.read())
        .await?;
    rows.iter().map(row_from).collect()
}

fn bind_scope<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    scope: Scope,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    q.bind(scope.org_id.to_string())
        .bind(scope.actor_id.to_string())
        .bind(
            scope
                .supervisor_unit
                .map(|u| u.to_string())
                .unwrap_or_default(),
        )
}

/// The recipient's unread notifications on cases within `scope` written after `since`
/// (oldest first), at most `limit`: what the daily digest tells.
pub async fn unread_since(
    db: &Db,
    scope: Scope,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<NotificationRow>> {
    let sql = format!(
        "SELECT {SELECT} \
         WHERE n.account_id = $2 AND n.read_at IS NULL AND n.created_at > $4 \
         AND (n.case_id IS NULL OR {scope}) ORDER BY n.created_at, n.id LIMIT {limit}",
        scope = scope_sql(1),
        limit = limit.clamp(1, 500),
    );
    let rows = bind_scope(sqlx::query(&sql), scope)
        .bind(crate::time::to_db(since))
        .fetch_all(db.read())
        .await?;
    rows.iter().map(row_from).collect()
}

/// How many of the recipient's notifications on cases within `scope` are unread.
pub async fn unread_count(db: &Db, scope: Scope) -> Result<i64> {
    let sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM notification n LEFT JOIN case_file c ON c.id = n.case_id \
         WHERE n.account_id = $2 AND n.read_at IS NULL AND (n.case_id IS NULL OR {})",
        scope_sql(1)
    );
    Ok(bind_scope(sqlx::query(&sql), scope)
        .fetch_one(db.read())
        .await?
        .try_get(0)?)
}

/// One of the recipient's notifications on a case within `scope`, if there is such.
pub async fn get(db: &Db, scope: Scope, id: Uuid) -> Result<Option<NotificationRow>> {
    let sql = format!(
        "SELECT {SELECT} \
         WHERE n.id = $4 AND n.account_id = $2 AND (n.case_id IS NULL OR {})",
        scope_sql(1)
    );
    let row = bind_scope(sqlx::query(&sql), scope)
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    row.as_ref().map(row_from).transpose()
}

/// Marks the recipient's notifications read: the given ones, or all when `ids` is empty.
/// Returns how many changed.
pub async fn mark_read(tx: &mut Tx, account: Uuid, ids: &[Uuid]) -> Result<u64> {
    let now = now_db();
    let r = if ids.is_empty() {
        sqlx::query(
            "UPDATE notification SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL",
        )
        .bind(now)
        .bind(account.to_string())
        .execute(&mut **tx)
        .await?
    } else {
        let sql = format!(
            "UPDATE notification SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL AND id IN ({})",
            placeholders(3, ids.len())
        );
        let mut q = sqlx::query(&sql).bind(now).bind(account.to_string());
        for id in ids {
            q = q.bind(id.to_string());
        }
        q.execute(&mut **tx).await?
    };
    Ok(r.rows_affected())
}
