//! Cases: numbers allocated gap-free inside the creating transaction, the team, the involved
//! persons, status and manager changes with their history, and lists filtered by the same
//! need-to-know rule as `domain::access::is_on_case`, applied inside the SQL.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{flag, instant, list, opt_instant, uuid};
use crate::time::{now_db, to_db};
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// A case to create.
#[derive(Debug, Clone)]
pub struct NewCase {
    /// Organisation.
    pub org_id: Uuid,
    /// Responsible unit.
    pub unit_id: Uuid,
    /// Primary client.
    pub client_id: Uuid,
    /// Case manager.
    pub manager_id: Uuid,
    /// Initial urgency code.
    pub urgency: String,
    /// Sensitive case.
    pub sensitive: bool,
    /// Case type codes.
    pub case_types: Vec<String>,
    /// Referral source code.
    pub referral_source: String,
    /// Referral detail (who referred, reference number).
    pub referral_note: Option<String>,
    /// The presenting problem in the worker's words.
    pub presenting_problem: String,
    /// The safety screening answers (JSON object code → bool).
    pub safety_answers: String,
    /// When the case was opened, if not now (an imported case).
    pub opened_at: Option<DateTime<Utc>>,
    /// The number an earlier system gave it (an imported case).
    pub legacy_number: Option<String>,
}

/// A stored case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    /// Id.
    pub id: Uuid,
    /// Organisation.
    pub org_id: Uuid,
    /// Unit.
    pub unit_id: Uuid,
    /// `CM-2569-000123`.
    pub number: String,
    /// Primary client.
    pub client_id: Uuid,
    /// Case manager.
    pub manager_id: Uuid,
    /// Status code.
    pub status: String,
    /// Urgency code.
    pub urgency: String,
    /// Sensitive.
    pub sensitive: bool,
    /// Case types.
    pub case_types: Vec<String>,
    /// Referral source.
    pub referral_source: String,
    /// Referral detail.
    pub referral_note: Option<String>,
    /// Presenting problem.
    pub presenting_problem: String,
    /// Safety answers (JSON).
    pub safety_answers: String,
    /// Opened.
    pub opened_at: DateTime<Utc>,
    /// Closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Version.
    pub version: i64,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// The number an earlier system gave it (an imported case).
    pub legacy_number: Option<String>,
}

pub(crate) const CASE_COLS: &str = "c.id, c.org_id, c.unit_id, c.number, c.client_id, c.manager_id, c.status, c.urgency, \
    c.sensitive, c.case_types, c.referral_source, c.referral_note, c.presenting_problem, c.safety_answers, \
    c.opened_at, c.closed_at, c.version, c.updated_at, c.legacy_number";

pub(crate) fn case_from(r: &AnyRow) -> Result<CaseRow> {
    Ok(CaseRow {
        id: uuid(r, "id")?,
        org_id: uuid(r, "org_id")?,
        unit_id: uuid(r, "unit_id")?,
        number: r.try_get("number")?,
        client_id: uuid(r, "client_id")?,
        manager_id: uuid(r, "manager_id")?,
        status: r.try_get("status")?,
        urgency: r.try_get("urgency")?,
        sensitive: flag(r, "sensitive")?,
        case_types: list(r, "case_types")?,
        referral_source: r.try_get("referral_source")?,
        referral_note: r.try_get("referral_note")?,
        presenting_problem: r.try_get("presenting_problem")?,
        safety_answers: r.try_get("safety_answers")?,
        opened_at: instant(r, "opened_at")?,
        closed_at: opt_instant(r, "closed_at")?,
        version: r.try_get("version")?,
        updated_at: instant(r, "updated_at")?,
        legacy_number: r.try_get("legacy_number")?,
    })
}

/// The next number in the organisation's sequence for a Buddhist year, inside the creating
/// transaction: the counter row is locked by the update until commit, so concurrent creations
/// queue and a rolled-back creation gives its number back (no gaps).
pub async fn next_number(tx: &mut Tx, org_id: Uuid, year_be: i32) -> Result<i64> {
    sqlx::query(
        "INSERT INTO case_number_seq (org_id, year_be, last_seq) VALUES ($1, $2, 0) \
         ON CONFLICT (org_id, year_be) DO NOTHING",
    )
    .bind(org_id.to_string())
    .bind(i64::from(year_be))
    .execute(&mut **tx)
    .await?;
    let seq: i64 = sqlx::query_scalar(
        "UPDATE case_number_seq SET last_seq = last_seq + 1 WHERE org_id = $1 AND year_be = $2 RETURNING last_seq",
    )
    .bind(org_id.to_string())
    .bind(i64::from(year_be))
    .fetch_one(&mut **tx)
    .await?;
    Ok(seq)
}

/// Creates a case in status `intake`.
pub async fn insert_case(tx: &mut Tx, c: &NewCase, number: &str) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let now = now_db();
    sqlx::query(
        "INSERT INTO case_file (id, org_id, unit_id, number, client_id, manager_id, status, urgency, sensitive, \
         case_types, referral_source, referral_note, presenting_problem, safety_answers, opened_at, created_at, updated_at, \
         legacy_number) \
         VALUES ($1, $2, $3, $4, $5, $6, 'intake', $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16)",
    )
    .bind(id.to_string())
    .bind(c.org_id.to_string())
    .bind(c.unit_id.to_string())
    .bind(number)
    .bind(c.client_id.to_string())
    .bind(c.manager_id.to_string())
    .bind(&c.urgency)
    .bind(i64::from(c.sensitive))
    .bind(c.case_types.join(","))
    .bind(&c.referral_source)
    .bind(c.referral_note.clone())
    .bind(&c.presenting_problem)
    .bind(&c.safety_answers)
    .bind(c.opened_at.map(to_db).unwrap_or_else(|| now.clone()))
    .bind(&now)
    .bind(c.legacy_number.clone())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    crate::search::index::reindex_case(tx, id).await?;
    Ok(id)
}

/// One case by id (any organisation: the caller checks access with the facts).
pub async fn case_by_id(db: &Db, id: Uuid) -> Result<Option<CaseRow>> {
    let row = sqlx::query(&format!(
        "SELECT {CASE_COLS} FROM case_file c WHERE c.id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(db.read())
    .await?;
    row.as_ref().map(case_from).transpose()
}

/// One case by id inside a write transaction.
pub async fn case_by_id_tx(tx: &mut Tx, id: Uuid) -> Result<Option<CaseRow>> {
    let row = sqlx::query(&format!(
        "SELECT {CASE_COLS} FROM case_file c WHERE c.id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(&mut **tx)
    .await?;
    row.as_ref().map(case_from).transpose()
}

/// One case by its number within an organisation.
pub async fn case_id_by_number(db: &Db, org_id: Uuid, number: &str) -> Result<Option<Uuid>> {
    case_id_where(db, org_id, "number", number).await
}

/// The organisation's case whose `column` (`number` or `legacy_number`) is `value`.
async fn case_id_where(
    db: &Db,
    org_id: Uuid,
    column: &'static str,
    value: &str,
) -> Result<Option<Uuid>> {
    let id: Option<String> = sqlx::query_scalar(&format!(
        "SELECT id FROM case_file WHERE org_id = $1 AND {column} = $2"
    ))
    .bind(org_id.to_string())
    .bind(value)
    .fetch_optional(db.read())
    .await?;
    id.map(|s| Uuid::parse_str(&s).map_err(|_| StoreError::Corrupt("uuid")))
        .transpose()
}

/// The case a number names: its Karuna number, else the number an earlier system gave it
/// (imported cases); a Karuna number wins if both match.
pub async fn case_id_by_any_number(db: &Db, org_id: Uuid, number: &str) -> Result<Option<Uuid>> {
    match case_id_by_number(db, org_id, number).await? {
        Some(id) => Ok(Some(id)),
        None => case_id_where(db, org_id, "legacy_number", number).await,
    }
}

/// Current team members' account ids (for the access facts).
pub async fn team_ids(db: &Db, case_id: Uuid) -> Result<Vec<Uuid>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT account_id FROM case_member WHERE case_id = $1 AND removed_at IS NULL",
    )
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    ids.iter()
        .map(|s| Uuid::parse_str(s).map_err(|_| StoreError::Corrupt("uuid")))
        .collect()
}

/// Who may read a case besides its manager and its unit's supervisors, in one statement: the
/// members of its team, and the workers with an emergency window open on it now.
pub async fn case_readers(db: &Db, case_id: Uuid) -> Result<(Vec<Uuid>, Vec<Uuid>)> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT account_id, 0 AS emergency FROM case_member WHERE case_id = $1 AND removed_at IS NULL \
         UNION ALL SELECT account_id, 1 AS emergency FROM emergency_access \
         WHERE case_id = $1 AND expires_at > $2 AND ended_at IS NULL",
    )
    .bind(case_id.to_string())
    .bind(crate::time::real_now_db())
    .fetch_all(db.read())
    .await?;
    let (mut team, mut emergency) = (Vec::new(), Vec::new());
    for (id, e) in rows {
        let id = Uuid::parse_str(&id).map_err(|_| StoreError::Corrupt("uuid"))?;
        if e == 0 {
            team.push(id)
        } else {
            emergency.push(id)
        }
    }
    Ok((team, emergency))
}

/// A member of a case team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    /// Account.
    pub account_id: Uuid,
    /// Name.
    pub display_name: String,
    /// Account role code.
    pub role: String,
    /// Profession code.
    pub profession: Option<String>,
    /// Role in this case (free code: `psychologist`, `legal_support` …).
    pub role_in_case: String,
}

/// The current team.
pub async fn team(db: &Db, case_id: Uuid) -> Result<Vec<MemberRow>> {
    let rows = sqlx::query(
        "SELECT m.account_id, a.display_name, a.role, a.profession, m.role_in_case FROM case_member m \
         JOIN account a ON a.id = m.account_id WHERE m.case_id = $1 AND m.removed_at IS NULL ORDER BY m.added_at",
    )
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(MemberRow {
                account_id: uuid(r, "account_id")?,
                display_name: r.try_get("display_name")?,
                role: r.try_get("role")?,
                profession: r.try_get("profession")?,
                role_in_case: r.try_get("role_in_case")?,
            })
        })
        .collect()
}

/// Adds (or re-adds) a team member.
pub async fn add_member(
    tx: &mut Tx,
    case_id: Uuid,
    account_id: Uuid,
    role_in_case: &str,
    by: Uuid,
) -> Result<()> {
    let now = now_db();
    let updated = sqlx::query(
        "UPDATE case_member SET removed_at = NULL, role_in_case = $3, added_at = $4, added_by = $5 \
         WHERE case_id = $1 AND account_id = $2",
    )
    .bind(case_id.to_string())
    .bind(account_id.to_string())
    .bind(role_in_case)
    .bind(&now)
    .bind(by.to_string())
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO case_member (case_id, account_id, role_in_case, added_at, added_by) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(case_id.to_string())
        .bind(account_id.to_string())
        .bind(role_in_case)
        .bind(&now)
        .bind(by.to_string())
        .execute(&mut **tx)
        .await?;
    }
    crate::search::scope::rescope_case(tx, case_id).await
}

/// Takes a member off the team (the row stays, with the time).
pub async fn remove_member(tx: &mut Tx, case_id: Uuid, account_id: Uuid) -> Result<bool> {
    let r = sqlx::query("UPDATE case_member SET removed_at = $3 WHERE case_id = $1 AND account_id = $2 AND removed_at IS NULL")
        .bind(case_id.to_string())
        .bind(account_id.to_string())
        .bind(now_db())
        .execute(&mut **tx)
        .await?;
    crate::search::scope::rescope_case(tx, case_id).await?;
    Ok(r.rows_affected() == 1)
}

/// Links a person to a case with their relationship to the client.
pub async fn add_person(
    tx: &mut Tx,
    case_id: Uuid,
    person_id: Uuid,
    relationship: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO case_person (case_id, person_id, relationship, added_at) VALUES ($1, $2, $3, $4)")
        .bind(case_id.to_string())
        .bind(person_id.to_string())
        .bind(relationship)
        .bind(now_db())
        .execute(&mut **tx)
        .await
        .map_err(StoreError::from_insert)?;
    crate::search::index::reindex_person(tx, person_id).await?;
    Ok(())
}

/// The persons of a case: (person id, relationship), client first.
pub async fn persons(db: &Db, case_id: Uuid) -> Result<Vec<(Uuid, String)>> {
    let rows = sqlx::query(
        "SELECT person_id, relationship FROM case_person WHERE case_id = $1 \
         ORDER BY CASE WHEN relationship = 'client' THEN 0 ELSE 1 END, added_at",
    )
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| Ok((uuid(r, "person_id")?, r.try_get("relationship")?)))
        .collect()
}

/// Bumps the version of a case whose version is `version`, setting `updated_at`; the change
/// itself is in `set`. `StaleVersion` when someone else changed it first.
async fn versioned_update(
    tx: &mut Tx,
    id: Uuid,
    version: i64,
    set: &str,
    binds: Vec<Option<String>>,
) -> Result<i64> {
    let n = binds.len();
    let sql = format!(
        "UPDATE case_file SET {set}, version = version + 1, updated_at = ${} WHERE id = ${} AND version = ${}",
        n + 1,
        n + 2,
        n + 3
    );
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = q.bind(b);
    }
    let r = q
        .bind(now_db())
        .bind(id.to_string())
        .bind(version)
        .execute(&mut **tx)
        .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(version + 1)
}

/// Changes the status (and the closing time).
pub async fn set_status(
    tx: &mut Tx,
    id: Uuid,
    version: i64,
    status: &str,
    closed_at: Option<DateTime<Utc>>,
) -> Result<i64> {
    versioned_update(
        tx,
        id,
        version,
        "status = $1, closed_at = $2",
        vec![Some(status.into()), closed_at.map(to_db)],
    )
    .await
}

/// Changes the case manager.
pub async fn set_manager(tx: &mut Tx, id: Uuid, version: i64, manager: Uuid) -> Result<i64> {
    let v = versioned_update(
        tx,
        id,
        version,
        "manager_id = $1",
        vec![Some(manager.to_string())],
    )
    .await?;
    crate::search::scope::rescope_case(tx, id).await?;
    Ok(v)
}

/// Changes the details set at intake.
pub async fn set_details(
    tx: &mut Tx,
    id: Uuid,
    version: i64,
    urgency: &str,
    sensitive: bool,
    case_types: &[String],
    presenting_problem: &str,
) -> Result<i64> {
    let v = versioned_update(
        tx,
        id,
        version,
        "urgency = $1, sensitive = CAST($2 AS BIGINT), case_types = $3, presenting_problem = $4",
        vec![
            Some(urgency.into()),
            Some(i64::from(sensitive).to_string()),
            Some(case_types.join(",")),
            Some(presenting_problem.into()),
        ],
    )
    .await?;
    crate::search::index::reindex_case(tx, id).await?;
    crate::search::scope::rescope_case(tx, id).await?;
    Ok(v)
}

/// Marks a case as changed (a contact or promise was added), without a version check.
pub async fn touch(tx: &mut Tx, id: Uuid) -> Result<()> {
    sqlx::query("UPDATE case_file SET updated_at = $1 WHERE id = $2")
        .bind(now_db())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One entry of a case's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionRow {
    /// `status`, `reopen`, `transfer` or `open`.
    pub kind: String,
    /// Previous status.
    pub from_status: Option<String>,
    /// New status.
    pub to_status: Option<String>,
    /// Previous manager's name (transfers).
    pub from_manager: Option<String>,
    /// New manager's name (transfers).
    pub to_manager: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// Who (name).
    pub actor: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// A history entry to record.
#[derive(Debug, Clone, Default)]
pub struct NewTransition<'a> {
    /// Kind.
    pub kind: &'a str,
    /// From status.
    pub from_status: Option<&'a str>,
    /// To status.
    pub to_status: Option<&'a str>,
    /// From manager.
    pub from_manager: Option<Uuid>,
    /// To manager.
    pub to_manager: Option<Uuid>,
    /// Why.
    pub reason: Option<&'a str>,
}

/// Records who moved the case, when, from, to and why.
pub async fn insert_transition(
    tx: &mut Tx,
    case_id: Uuid,
    t: &NewTransition<'_>,
    actor: Uuid,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_transition (id, case_id, kind, from_status, to_status, from_manager, to_manager, reason, actor_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(case_id.to_string())
    .bind(t.kind)
    .bind(t.from_status)
    .bind(t.to_status)
    .bind(t.from_manager.map(|m| m.to_string()))
    .bind(t.to_manager.map(|m| m.to_string()))
    .bind(t.reason)
    .bind(actor.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A case's history, oldest first.
pub async fn transitions(db: &Db, case_id: Uuid) -> Result<Vec<TransitionRow>> {
    let rows = sqlx::query(
        "SELECT t.kind, t.from_status, t.to_status, fm.display_name AS from_manager, tm.display_name AS to_manager, \
         t.reason, a.display_name AS actor, t.at FROM case_transition t \
         LEFT JOIN account a ON a.id = t.actor_id LEFT JOIN account fm ON fm.id = t.from_manager \
         LEFT JOIN account tm ON tm.id = t.to_manager WHERE t.case_id = $1 ORDER BY t.at, t.id",
    )
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(TransitionRow {
                kind: r.try_get("kind")?,
                from_status: r.try_get("from_status")?,
                to_status: r.try_get("to_status")?,
                from_manager: r.try_get("from_manager")?,
                to_manager: r.try_get("to_manager")?,
                reason: r.try_get("reason")?,
                actor: r.try_get("actor")?,
                at: instant(r, "at")?,
            })
        })
        .collect()
}

/// Whether the case has any contact, and how many promises are open (guard facts).
pub async fn guard_facts(tx: &mut Tx, case_id: Uuid) -> Result<(bool, i64)> {
    let contacts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contact WHERE case_id = $1")
        .bind(case_id.to_string())
        .fetch_one(&mut **tx)
        .await?;
    let open: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM promise WHERE case_id = $1 AND status = 'open'")
            .bind(case_id.to_string())
            .fetch_one(&mut **tx)
            .await?;
    Ok((contacts > 0, open))
}

pub use crate::case_list::{list_cases, CaseFilter, CaseSummary, ClientName, Scope};
