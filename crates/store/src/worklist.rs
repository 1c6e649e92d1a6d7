//! The worklists of the home page and the case list: plans and closures awaiting a
//! supervisor's approval, and what falls due soon (open promises, contacts marked for
//! follow-up). Each list is one bounded statement (a LIMIT) over an index; the rule of who may
//! decide or see a row is `domain::access`, mirrored here in SQL and checked again by `app`.

use crate::case_list::{scope_set_sql, Scope};
use crate::db::Db;
use crate::error::Result;
use crate::row::{date, date_db, flag, instant, uuid};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// The case a worklist row belongs to, with what the identity rule needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRef {
    /// Case.
    pub case_id: Uuid,
    /// Case number.
    pub number: String,
    /// Organisation.
    pub org_id: Uuid,
    /// Responsible unit.
    pub unit_id: Uuid,
    /// Case manager.
    pub manager_id: Uuid,
    /// Case manager's display name.
    pub manager_name: String,
    /// A sensitive case (the client's name only for its manager and supervisors).
    pub sensitive: bool,
    /// The client's name parts: prefix code, Thai first and last, Latin first and last,
    /// nickname.
    pub client: [Option<String>; 6],
}

const CASE_REF_COLS: &str = "c.id AS case_id, c.number, c.org_id, c.unit_id, c.manager_id, \
    a.display_name AS manager_name, c.sensitive, p.prefix, p.first_name_th, p.last_name_th, \
    p.first_name_latin, p.last_name_latin, p.nickname";
const CASE_REF_JOINS: &str =
    "JOIN person p ON p.id = c.client_id JOIN account a ON a.id = c.manager_id";

fn case_ref(r: &AnyRow) -> Result<CaseRef> {
    Ok(CaseRef {
        case_id: uuid(r, "case_id")?,
        number: r.try_get("number")?,
        org_id: uuid(r, "org_id")?,
        unit_id: uuid(r, "unit_id")?,
        manager_id: uuid(r, "manager_id")?,
        manager_name: r.try_get("manager_name")?,
        sensitive: flag(r, "sensitive")?,
        client: [
            r.try_get("prefix")?,
            r.try_get("first_name_th")?,
            r.try_get("last_name_th")?,
            r.try_get("first_name_latin")?,
            r.try_get("last_name_latin")?,
            r.try_get("nickname")?,
        ],
    })
}

/// What awaits approval: a plan version or a closure summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwaitingItem {
    /// `plan` or `closure`.
    pub kind: String,
    /// The plan version's number (plans only).
    pub plan_number: Option<i64>,
    /// Who wrote it.
    pub author_id: Uuid,
    /// Their display name.
    pub author_name: String,
    /// When it was submitted.
    pub submitted_at: DateTime<Utc>,
    /// The case.
    pub case: CaseRef,
}

/// The cases awaiting approval by `actor`, as SQL over `case_file c` with parameters `$o`
/// (org), `$u` (the supervisor's unit) and `$a` (the actor, who never approves their own).
fn awaiting_from(o: usize, u: usize, a: usize) -> String {
    format!(
        "(SELECT 'plan' AS kind, v.case_id, v.number AS plan_number, v.created_by, v.created_at \
           FROM plan_version v WHERE v.status = 'awaiting_approval' AND v.created_by <> ${a} \
         UNION ALL \
         SELECT 'closure' AS kind, k.case_id, NULL AS plan_number, k.created_by, k.created_at \
           FROM case_closure k WHERE k.status = 'awaiting_approval' AND k.created_by <> ${a}) w \
         JOIN case_file c ON c.id = w.case_id AND c.org_id = ${o} AND c.unit_id = ${u}"
    )
}

/// Plans and closures of the supervisor's unit awaiting approval that she did not write,
/// oldest first, at most `limit`; and how many there are in all.
pub async fn awaiting_approval(
    db: &Db,
    org_id: Uuid,
    unit_id: Uuid,
    actor_id: Uuid,
    limit: i64,
) -> Result<(Vec<AwaitingItem>, i64)> {
    let sql = format!(
        "SELECT w.kind, w.plan_number, w.created_by, w.created_at, b.display_name AS author_name, \
         {CASE_REF_COLS} FROM {} {CASE_REF_JOINS} JOIN account b ON b.id = w.created_by \
         ORDER BY w.created_at, c.id LIMIT $4",
        awaiting_from(1, 2, 3)
    );
    let rows = sqlx::query(&sql)
        .bind(org_id.to_string())
        .bind(unit_id.to_string())
        .bind(actor_id.to_string())
        .bind(limit)
        .fetch_all(db.read())
        .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(AwaitingItem {
                kind: r.try_get("kind")?,
                plan_number: r.try_get("plan_number")?,
                author_id: uuid(r, "created_by")?,
                author_name: r.try_get("author_name")?,
                submitted_at: instant(r, "created_at")?,
                case: case_ref(r)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let count = count_awaiting(db, org_id, unit_id, actor_id).await?;
    Ok((items, count))
}

/// How many plans and closures of the unit await `actor`'s approval.
pub async fn count_awaiting(db: &Db, org_id: Uuid, unit_id: Uuid, actor_id: Uuid) -> Result<i64> {
    Ok(
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", awaiting_from(1, 2, 3)))
            .bind(org_id.to_string())
            .bind(unit_id.to_string())
            .bind(actor_id.to_string())
            .fetch_one(db.read())
            .await?,
    )
}

/// The case-list filter "awaiting my approval" over `case_file c`: parameters `$u` (unit)
/// and `$a` (actor).
pub(crate) fn awaiting_filter_sql(u: usize, a: usize) -> String {
    format!(
        "c.unit_id = ${u} AND c.id IN (SELECT v.case_id FROM plan_version v \
         WHERE v.status = 'awaiting_approval' AND v.created_by <> ${a} \
         UNION SELECT k.case_id FROM case_closure k \
         WHERE k.status = 'awaiting_approval' AND k.created_by <> ${a})"
    )
}

/// An open promise falling due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuePromise {
    /// Promise.
    pub id: Uuid,
    /// What was promised.
    pub what: String,
    /// By when.
    pub due_date: NaiveDate,
    /// The case.
    pub case: CaseRef,
}

/// The user's own open promises due after `after` and on or before `until` (the home page
/// lists those due today or earlier on its own), soonest first, at most `limit` (index
/// `promise_maker_open`).
pub async fn promises_due(
    db: &Db,
    actor_id: Uuid,
    after: NaiveDate,
    until: NaiveDate,
    limit: i64,
) -> Result<Vec<DuePromise>> {
    let sql = format!(
        "SELECT pr.id, pr.what, pr.due_date, {CASE_REF_COLS} FROM promise pr \
         JOIN case_file c ON c.id = pr.case_id {CASE_REF_JOINS} \
         WHERE pr.made_by = $1 AND pr.status = 'open' AND pr.due_date > $2 AND pr.due_date <= $3 \
         ORDER BY pr.due_date, pr.id LIMIT $4"
    );
    let rows = sqlx::query(&sql)
        .bind(actor_id.to_string())
        .bind(date_db(after))
        .bind(date_db(until))
        .bind(limit)
        .fetch_all(db.read())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(DuePromise {
                id: uuid(r, "id")?,
                what: r.try_get("what")?,
                due_date: date(r, "due_date")?,
                case: case_ref(r)?,
            })
        })
        .collect()
}

/// A contact marked "needs follow-up" with no later contact on its case yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingContact {
    /// Contact.
    pub id: Uuid,
    /// When it took place.
    pub occurred_at: DateTime<Utc>,
    /// The follow-up the worker noted (may be empty).
    pub follow_up_note: Option<String>,
    /// The case.
    pub case: CaseRef,
}

/// Contacts in scope marked "needs follow-up" that are still the latest contact of their case
/// (a later contact is the follow-up), oldest first, at most `limit` (partial index
/// `contact_follow_up`, then `contact_case` for the later-contact test).
pub async fn contacts_needing_follow_up(
    db: &Db,
    scope: Scope,
    limit: i64,
) -> Result<Vec<PendingContact>> {
    let sql = format!(
        "SELECT k.id, k.occurred_at, k.follow_up_note, {CASE_REF_COLS} FROM contact k \
         JOIN case_file c ON c.id = k.case_id {CASE_REF_JOINS} \
         WHERE k.follow_up_needed = 1 AND c.status <> 'closed' AND {} \
         AND NOT EXISTS (SELECT 1 FROM contact l WHERE l.case_id = k.case_id AND l.occurred_at > k.occurred_at) \
         ORDER BY k.occurred_at, k.id LIMIT $4",
        scope_set_sql(1)
    );
    let rows = sqlx::query(&sql)
        .bind(scope.org_id.to_string())
        .bind(scope.actor_id.to_string())
        .bind(
            scope
                .supervisor_unit
                .map(|u| u.to_string())
                .unwrap_or_default(),
        )
        .bind(limit)
        .fetch_all(db.read())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(PendingContact {
                id: uuid(r, "id")?,
                occurred_at: instant(r, "occurred_at")?,
                follow_up_note: r.try_get("follow_up_note")?,
                case: case_ref(r)?,
            })
        })
        .collect()
}
