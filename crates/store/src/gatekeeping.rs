//! Programmes of scarce resources, who may decide how much, their criteria versions, and
//! requests for an allocation with their history (the budgets and their ledger are
//! `budget`'s). The race for the last place is decided by one guarded `UPDATE` of the
//! programme's `in_use`, as the last baht is by the budget's totals.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::referral::EventRow;
use crate::row::{flag, instant, opt_instant, opt_uuid, uuid};
use crate::time::now_db;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// A programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeRow {
    /// Id.
    pub id: Uuid,
    /// Organisation.
    pub org_id: Uuid,
    /// Name in Thai.
    pub name_th: String,
    /// Name in English.
    pub name_en: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Unit code.
    pub unit: String,
    /// Capacity (nights, places, items).
    pub capacity: Option<i64>,
    /// Of which allocated now.
    pub in_use: i64,
    /// Documents required.
    pub documents: Vec<String>,
    /// `active` or `closed`.
    pub status: String,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
    /// Version.
    pub version: i64,
}

impl ProgrammeRow {
    /// The name in a language (`th` or `en`).
    pub fn name(&self, lang: &str) -> &str {
        match (&self.name_en, lang) {
            (Some(n), "en") => n,
            _ => &self.name_th,
        }
    }
}

const PCOLS: &str =
    "id, org_id, name_th, name_en, description, unit, capacity, in_use, documents, \
                     status, updated_at, version";

fn programme_row(r: &AnyRow) -> Result<ProgrammeRow> {
    let docs: String = r.try_get("documents")?;
    Ok(ProgrammeRow {
        id: uuid(r, "id")?,
        org_id: uuid(r, "org_id")?,
        name_th: r.try_get("name_th")?,
        name_en: r.try_get("name_en")?,
        description: r.try_get("description")?,
        unit: r.try_get("unit")?,
        capacity: r.try_get("capacity")?,
        in_use: r.try_get("in_use")?,
        documents: serde_json::from_str(&docs).map_err(|_| StoreError::Corrupt("documents"))?,
        status: r.try_get("status")?,
        updated_at: instant(r, "updated_at")?,
        version: r.try_get("version")?,
    })
}

/// A programme's own fields, to write.
#[derive(Debug, Clone)]
pub struct ProgrammeWrite<'a> {
    /// Name in Thai.
    pub name_th: &'a str,
    /// Name in English.
    pub name_en: Option<&'a str>,
    /// Description.
    pub description: Option<&'a str>,
    /// Unit code.
    pub unit: &'a str,
    /// Capacity.
    pub capacity: Option<i64>,
    /// Documents.
    pub documents: &'a [String],
    /// Status.
    pub status: &'a str,
}

fn docs_json(d: &[String]) -> String {
    serde_json::to_string(d).unwrap_or_else(|_| "[]".into())
}

/// Stores a new programme.
pub async fn insert_programme(
    tx: &mut Tx,
    id: Uuid,
    org: Uuid,
    p: &ProgrammeWrite<'_>,
    by: Uuid,
) -> Result<()> {
    let now = now_db();
    sqlx::query(
        "INSERT INTO programme (id, org_id, name_th, name_en, description, unit, capacity, documents, \
         status, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .bind(p.name_th)
    .bind(p.name_en)
    .bind(p.description)
    .bind(p.unit)
    .bind(p.capacity)
    .bind(docs_json(p.documents))
    .bind(p.status)
    .bind(by.to_string())
    .bind(&now)
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(())
}

/// Changes a programme at `version`; returns the new version.
pub async fn update_programme(
    tx: &mut Tx,
    id: Uuid,
    version: i64,
    p: &ProgrammeWrite<'_>,
) -> Result<i64> {
    let r = sqlx::query(
        "UPDATE programme SET name_th = $1, name_en = $2, description = $3, unit = $4, capacity = $5, \
         documents = $6, status = $7, updated_at = $8, version = version + 1 WHERE id = $9 AND version = $10",
    )
    .bind(p.name_th)
    .bind(p.name_en)
    .bind(p.description)
    .bind(p.unit)
    .bind(p.capacity)
    .bind(docs_json(p.documents))
    .bind(p.status)
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

/// The organisation's programmes, active first, by name.
pub async fn programmes(db: &Db, org: Uuid) -> Result<Vec<ProgrammeRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {PCOLS} FROM programme WHERE org_id = $1 ORDER BY status, name_th LIMIT 500"
    ))
    .bind(org.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(programme_row).collect()
}

/// One programme of the organisation.
pub async fn programme(db: &Db, org: Uuid, id: Uuid) -> Result<Option<ProgrammeRow>> {
    let row = sqlx::query(&format!(
        "SELECT {PCOLS} FROM programme WHERE id = $1 AND org_id = $2"
    ))
    .bind(id.to_string())
    .bind(org.to_string())
    .fetch_optional(db.read())
    .await?;
    row.as_ref().map(programme_row).transpose()
}

/// One authority line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityRow {
    /// Role code.
    pub role: Option<String>,
    /// Account.
    pub account_id: Option<Uuid>,
    /// Its username.
    pub username: Option<String>,
    /// Its display name.
    pub display_name: Option<String>,
    /// Limit in minor units; `None`: no limit.
    pub limit: Option<i64>,
}

/// Replaces a programme's authority lines.
pub async fn replace_authorities(
    tx: &mut Tx,
    programme: Uuid,
    lines: &[(Option<&str>, Option<Uuid>, Option<i64>)],
) -> Result<()> {
    sqlx::query("DELETE FROM programme_authority WHERE programme_id = $1")
        .bind(programme.to_string())
        .execute(&mut **tx)
        .await?;
    for (i, (role, account, limit)) in lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO programme_authority (id, programme_id, role, account_id, limit_minor, position) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(programme.to_string())
        .bind(*role)
        .bind(account.map(|a| a.to_string()))
        .bind(*limit)
        .bind(i as i64)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A programme's authority lines in order.
pub async fn authorities(db: &Db, programme: Uuid) -> Result<Vec<AuthorityRow>> {
    let rows = sqlx::query(
        "SELECT p.role, p.account_id, a.username, a.display_name, p.limit_minor FROM programme_authority p \
         LEFT JOIN account a ON a.id = p.account_id WHERE p.programme_id = $1 ORDER BY p.position",
    )
    .bind(programme.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AuthorityRow {
                role: r.try_get("role")?,
                account_id: opt_uuid(r, "account_id")?,
                username: r.try_get("username")?,
                display_name: r.try_get("display_name")?,
                limit: r.try_get("limit_minor")?,
            })
        })
        .collect()
}

/// The authority lines of every programme of the organisation that name this account or
/// its role: (programme, limit).
pub async fn authorities_of(
    db: &Db,
    org: Uuid,
    account: Uuid,
    role: &str,
) -> Result<Vec<(Uuid, Option<i64>)>> {
    let rows = sqlx::query(
        "SELECT a.programme_id, a.limit_minor FROM programme_authority a JOIN programme p ON p.id = a.programme_id \
         WHERE p.org_id = $1 AND (a.account_id = $2 OR a.role = $3)",
    )
    .bind(org.to_string())
    .bind(account.to_string())
    .bind(role)
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| Ok((uuid(r, "programme_id")?, r.try_get("limit_minor")?)))
        .collect()
}

/// A version of a programme's criteria.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriteriaRow {
    /// Version number.
    pub version: i64,
    /// `draft`, `published` or `retired`.
    pub status: String,
    /// The criteria (JSON of `karuna_domain::gatekeeping::criteria::Criterion`).
    pub criteria: String,
    /// Written by (name).
    pub created_by: Option<String>,
    /// When written.
    pub created_at: DateTime<Utc>,
    /// When published.
    pub published_at: Option<DateTime<Utc>>,
}

/// Saves the draft of a programme's criteria (a new version when there is none); returns its
/// version.
pub async fn save_criteria_draft(
    tx: &mut Tx,
    programme: Uuid,
    criteria: &str,
    by: Uuid,
) -> Result<i64> {
    let draft: Option<i64> = sqlx::query_scalar(
        "SELECT version FROM programme_criteria WHERE programme_id = $1 AND status = 'draft'",
    )
    .bind(programme.to_string())
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(v) = draft {
        sqlx::query(
            "UPDATE programme_criteria SET criteria = $1, created_by = $2, created_at = $3 \
             WHERE programme_id = $4 AND version = $5",
        )
        .bind(criteria)
        .bind(by.to_string())
        .bind(now_db())
        .bind(programme.to_string())
        .bind(v)
        .execute(&mut **tx)
        .await?;
        return Ok(v);
    }
    let next: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(version), 0) + 1 FROM programme_criteria WHERE programme_id = $1",
    )
    .bind(programme.to_string())
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO programme_criteria (id, programme_id, version, status, criteria, created_by, created_at) \
         VALUES ($1, $2, $3, 'draft', $4, $5, $6)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(programme.to_string())
    .bind(next)
    .bind(criteria)
    .bind(by.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(next)
}

/// Publishes the draft (the version published before it is retired); its version, or `None`
/// when there is no draft.
pub async fn publish_criteria(tx: &mut Tx, programme: Uuid, by: Uuid) -> Result<Option<i64>> {
    let draft: Option<i64> = sqlx::query_scalar(
        "SELECT version FROM programme_criteria WHERE programme_id = $1 AND status = 'draft'",
    )
    .bind(programme.to_string())
    .fetch_optional(&mut **tx)
    .await?;
    let Some(v) = draft else { return Ok(None) };
    sqlx::query(
        "UPDATE programme_criteria SET status = 'retired' WHERE programme_id = $1 AND status = 'published'",
    )
    .bind(programme.to_string())
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE programme_criteria SET status = 'published', published_by = $1, published_at = $2 \
         WHERE programme_id = $3 AND version = $4 AND status = 'draft'",
    )
    .bind(by.to_string())
    .bind(now_db())
    .bind(programme.to_string())
    .bind(v)
    .execute(&mut **tx)
    .await?;
    Ok(Some(v))
}

/// Every version of a programme's criteria, newest first.
pub async fn criteria_versions(db: &Db, programme: Uuid) -> Result<Vec<CriteriaRow>> {
    let rows = sqlx::query(
        "SELECT c.version, c.status, c.criteria, a.display_name AS created_by, c.created_at, c.published_at \
         FROM programme_criteria c LEFT JOIN account a ON a.id = c.created_by \
         WHERE c.programme_id = $1 ORDER BY c.version DESC LIMIT 200",
    )
    .bind(programme.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CriteriaRow {
                version: r.try_get("version")?,
                status: r.try_get("status")?,
                criteria: r.try_get("criteria")?,
                created_by: r.try_get("created_by")?,
                created_at: instant(r, "created_at")?,
                published_at: opt_instant(r, "published_at")?,
            })
        })
        .collect()
}

/// A new request.
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    /// Id.
    pub id: Uuid,
    /// Organisation.
    pub org_id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Client.
    pub client_id: Uuid,
    /// Programme.
    pub programme_id: Uuid,
    /// The criteria version checked.
    pub criteria_version: Option<i64>,
    /// Amount (minor units).
    pub amount: i64,
    /// Plan goal.
    pub goal_id: Option<Uuid>,
    /// Purpose.
    pub purpose: &'a str,
    /// Justification.
    pub justification: &'a str,
    /// The check (JSON).
    pub check: &'a str,
    /// `eligible`, `not_eligible` or `unknown`.
    pub eligibility: &'a str,
    /// The authority needed: `Some(limit)` or `None` (unlimited).
    pub required_limit: Option<i64>,
    /// The fiscal year (BE).
    pub fiscal_year: i32,
    /// The case's urgency now.
    pub urgency: &'a str,
    /// Who.
    pub created_by: Uuid,
}

/// Stores a new pending request with its first event.
pub async fn insert_request(tx: &mut Tx, r: &NewRequest<'_>) -> Result<()> {
    let now = now_db();
    sqlx::query(
        "INSERT INTO allocation_request (id, org_id, case_id, client_id, programme_id, criteria_version, amount, \
         goal_id, purpose, justification, check_result, eligibility, required_limit, required_unlimited, status, \
         fiscal_year, urgency, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'pending', $15, $16, $17, $18, $18)",
    )
    .bind(r.id.to_string())
    .bind(r.org_id.to_string())
    .bind(r.case_id.to_string())
    .bind(r.client_id.to_string())
    .bind(r.programme_id.to_string())
    .bind(r.criteria_version)
    .bind(r.amount)
    .bind(r.goal_id.map(|g| g.to_string()))
    .bind(r.purpose)
    .bind(r.justification)
    .bind(r.check)
    .bind(r.eligibility)
    .bind(r.required_limit)
    .bind(i64::from(r.required_limit.is_none()))
    .bind(i64::from(r.fiscal_year))
    .bind(r.urgency)
    .bind(r.created_by.to_string())
    .bind(&now)
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    add_event(tx, r.id, "requested", Some("pending"), None, r.created_by).await
}

/// Adds a step of a request's history.
pub async fn add_event(
    tx: &mut Tx,
    request: Uuid,
    kind: &str,
    to_status: Option<&str>,
    reason: Option<&str>,
    actor: Uuid,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO allocation_event (id, request_id, kind, to_status, reason, actor_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(request.to_string())
    .bind(kind)
    .bind(to_status)
    .bind(reason)
    .bind(actor.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A stored request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRow {
    /// Id.
    pub id: Uuid,
    /// Organisation.
    pub org_id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Case number.
    pub case_number: String,
    /// Client.
    pub client_id: Uuid,
    /// Programme.
    pub programme_id: Uuid,
    /// Its name in Thai.
    pub programme_name_th: String,
    /// In English.
    pub programme_name_en: Option<String>,
    /// Its unit code.
    pub unit: String,
    /// Criteria version checked.
    pub criteria_version: Option<i64>,
    /// Amount (minor units).
    pub amount: i64,
    /// Paid out so far.
    pub disbursed: i64,
    /// Plan goal.
    pub goal_id: Option<Uuid>,
    /// Purpose.
    pub purpose: String,
    /// Justification.
    pub justification: String,
    /// The check (JSON).
    pub check: String,
    /// `eligible`, `not_eligible` or `unknown`.
    pub eligibility: String,
    /// Authority needed (`None` with `required_unlimited`).
    pub required_limit: Option<i64>,
    /// The unlimited authority is needed.
    pub required_unlimited: bool,
    /// Status code.
    pub status: String,
    /// Decline or withdrawal reason.
    pub reason: Option<String>,
    /// Override reason.
    pub override_reason: Option<String>,
    /// Budget override reason.
    pub budget_override_reason: Option<String>,
    /// The budget committed from.
    pub budget_id: Option<Uuid>,
    /// Fiscal year (BE).
    pub fiscal_year: i64,
    /// Urgency when requested.
    pub urgency: String,
    /// On the waiting list since.
    pub waiting_since: Option<DateTime<Utc>>,
    /// Decided by (name).
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
    /// Requested by (id).
    pub created_by_id: Uuid,
    /// Requested by (name).
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Version.
    pub version: i64,
}

const RCOLS: &str = "r.id, r.org_id, r.case_id, c.number AS case_number, r.client_id, r.programme_id, \
    p.name_th AS programme_name_th, p.name_en AS programme_name_en, p.unit, r.criteria_version, r.amount, \
    r.disbursed, r.goal_id, r.purpose, r.justification, r.check_result, r.eligibility, r.required_limit, \
    r.required_unlimited, r.status, r.reason, r.override_reason, r.budget_override_reason, r.budget_id, \
    r.fiscal_year, r.urgency, r.waiting_since, d.display_name AS decided_by, r.decided_at, r.created_by AS created_by_id, \
    m.display_name AS created_by, r.created_at, r.version \
    FROM allocation_request r JOIN case_file c ON c.id = r.case_id JOIN programme p ON p.id = r.programme_id \
    JOIN account m ON m.id = r.created_by LEFT JOIN account d ON d.id = r.decided_by";

fn request_row(r: &AnyRow) -> Result<RequestRow> {
    Ok(RequestRow {
        id: uuid(r, "id")?,
        org_id: uuid(r, "org_id")?,
        case_id: uuid(r, "case_id")?,
        case_number: r.try_get("case_number")?,
        client_id: uuid(r, "client_id")?,
        programme_id: uuid(r, "programme_id")?,
        programme_name_th: r.try_get("programme_name_th")?,
        programme_name_en: r.try_get("programme_name_en")?,
        unit: r.try_get("unit")?,
        criteria_version: r.try_get("criteria_version")?,
        amount: r.try_get("amount")?,
        disbursed: r.try_get("disbursed")?,
        goal_id: opt_uuid(r, "goal_id")?,
        purpose: r.try_get("purpose")?,
        justification: r.try_get("justification")?,
        check: r.try_get("check_result")?,
        eligibility: r.try_get("eligibility")?,
        required_limit: r.try_get("required_limit")?,
        required_unlimited: flag(r, "required_unlimited")?,
        status: r.try_get("status")?,
        reason: r.try_get("reason")?,
        override_reason: r.try_get("override_reason")?,
        budget_override_reason: r.try_get("budget_override_reason")?,
        budget_id: opt_uuid(r, "budget_id")?,
        fiscal_year: r.try_get("fiscal_year")?,
        urgency: r.try_get("urgency")?,
        waiting_since: opt_instant(r, "waiting_since")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: opt_instant(r, "decided_at")?,
        created_by_id: uuid(r, "created_by_id")?,
        created_by: r.try_get("created_by")?,
        created_at: instant(r, "created_at")?,
        version: r.try_get("version")?,
    })
}

/// One request.
pub async fn request(db: &Db, id: Uuid) -> Result<Option<RequestRow>> {
    let row = sqlx::query(&format!("SELECT {RCOLS} WHERE r.id = $1"))
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    row.as_ref().map(request_row).transpose()
}

/// A case's requests, newest first.
pub async fn requests_of_case(db: &Db, case: Uuid) -> Result<Vec<RequestRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {RCOLS} WHERE r.case_id = $1 ORDER BY r.created_at DESC LIMIT 500"
    ))
    .bind(case.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(request_row).collect()
}

/// The organisation's requests of some statuses in the given programmes (a gatekeeper's
/// queue), oldest first.
pub async fn requests_in(
    db: &Db,
    org: Uuid,
    programmes: &[Uuid],
    statuses: &[&str],
) -> Result<Vec<RequestRow>> {
    if programmes.is_empty() || statuses.is_empty() {
        return Ok(Vec::new());
    }
    let p = crate::row::placeholders(2, programmes.len());
    let s = crate::row::placeholders(2 + programmes.len(), statuses.len());
    let sql = format!(
        "SELECT {RCOLS} WHERE r.org_id = $1 AND r.programme_id IN ({p}) AND r.status IN ({s}) \
         ORDER BY r.created_at LIMIT 1000"
    );
    let mut q = sqlx::query(&sql).bind(org.to_string());
    for id in programmes {
        q = q.bind(id.to_string());
    }
    for st in statuses {
        q = q.bind(*st);
    }
    let rows = q.fetch_all(db.read()).await?;
    rows.iter().map(request_row).collect()
}

/// A client's approved (or closed) requests in every case, oldest first (at most 1,000).
pub async fn granted_to_client(db: &Db, client: Uuid) -> Result<Vec<RequestRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {RCOLS} WHERE r.client_id = $1 AND r.status IN ('approved', 'closed') \
         ORDER BY r.created_at LIMIT 1000"
    ))
    .bind(client.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(request_row).collect()
}

/// A client's approved (or closed) allocations since an instant, in every programme:
/// (programme name, decided at, amount, unit).
pub async fn allocations_of_client(
    db: &Db,
    client: Uuid,
    since: DateTime<Utc>,
) -> Result<Vec<(Uuid, String, DateTime<Utc>, i64, String)>> {
    let rows = sqlx::query(
        "SELECT r.programme_id, p.name_th, r.decided_at, r.amount, p.unit FROM allocation_request r \
         JOIN programme p ON p.id = r.programme_id WHERE r.client_id = $1 AND r.status IN ('approved', 'closed') \
         AND r.decided_at >= $2 ORDER BY r.decided_at LIMIT 500",
    )
    .bind(client.to_string())
    .bind(crate::time::to_db(since))
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                uuid(r, "programme_id")?,
                r.try_get("name_th")?,
                instant(r, "decided_at")?,
                r.try_get("amount")?,
                r.try_get("unit")?,
            ))
        })
        .collect()
}

/// A decision to write.
#[derive(Debug, Clone)]
pub struct DecisionWrite<'a> {
    /// The status it comes from.
    pub from: &'a str,
    /// The new status.
    pub to: &'a str,
    /// Reason (decline, withdrawal).
    pub reason: Option<&'a str>,
    /// Override reason.
    pub override_reason: Option<&'a str>,
    /// Budget override reason.
    pub budget_override_reason: Option<&'a str>,
    /// The budget committed from.
    pub budget_id: Option<Uuid>,
    /// Who decided (none for a withdrawal).
    pub decided_by: Option<Uuid>,
    /// Put on the waiting list now.
    pub waiting: bool,
}

/// Moves a request from one status to another at `version` (a guarded update: a concurrent
/// decision loses with `StaleVersion`); returns the new version.
pub async fn decide(tx: &mut Tx, id: Uuid, version: i64, d: &DecisionWrite<'_>) -> Result<i64> {
    let now = now_db();
    let r = sqlx::query(
        "UPDATE allocation_request SET status = $1, reason = COALESCE($2, reason), \
         override_reason = COALESCE($3, override_reason), budget_override_reason = COALESCE($4, budget_override_reason), \
         budget_id = COALESCE($5, budget_id), decided_by = COALESCE($6, decided_by), \
         decided_at = CASE WHEN $6 IS NULL THEN decided_at ELSE $7 END, \
         waiting_since = CASE WHEN $8 = 1 THEN $7 ELSE waiting_since END, \
         updated_at = $7, version = version + 1 WHERE id = $9 AND version = $10 AND status = $11",
    )
    .bind(d.to)
    .bind(d.reason)
    .bind(d.override_reason)
    .bind(d.budget_override_reason)
    .bind(d.budget_id.map(|b| b.to_string()))
    .bind(d.decided_by.map(|b| b.to_string()))
    .bind(&now)
    .bind(i64::from(d.waiting))
    .bind(id.to_string())
    .bind(version)
    .bind(d.from)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(version + 1)
}

/// A request's history, oldest first.
pub async fn events(db: &Db, request: Uuid) -> Result<Vec<EventRow>> {
    let rows = sqlx::query(
        "SELECT e.kind, e.to_status, e.reason, a.display_name AS actor, e.at FROM allocation_event e \
         LEFT JOIN account a ON a.id = e.actor_id WHERE e.request_id = $1 ORDER BY e.at, e.id LIMIT 1000",
    )
    .bind(request.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(EventRow::from_row).collect()
}

/// The history of every request of a case (for its timeline): (request, programme name,
/// event).
pub async fn events_of_case(db: &Db, case: Uuid) -> Result<Vec<(Uuid, String, EventRow)>> {
    let rows = sqlx::query(
        "SELECT e.request_id, p.name_th, e.kind, e.to_status, e.reason, a.display_name AS actor, e.at \
         FROM allocation_event e JOIN allocation_request r ON r.id = e.request_id \
         JOIN programme p ON p.id = r.programme_id LEFT JOIN account a ON a.id = e.actor_id \
         WHERE r.case_id = $1 ORDER BY e.at, e.id LIMIT 5000",
    )
    .bind(case.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                uuid(r, "request_id")?,
                r.try_get("name_th")?,
                EventRow::from_row(r)?,
            ))
        })
        .collect()
}

/// Takes `amount` of a programme's capacity if that much is free (`false`: full). A
/// programme without a capacity always has room.
pub async fn take_capacity(tx: &mut Tx, programme: Uuid, amount: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE programme SET in_use = in_use + $1 WHERE id = $2 AND (capacity IS NULL OR capacity - in_use >= $1)",
    )
    .bind(amount)
    .bind(programme.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Gives back capacity.
pub async fn free_capacity(tx: &mut Tx, programme: Uuid, amount: i64) -> Result<()> {
    sqlx::query("UPDATE programme SET in_use = in_use - $1 WHERE id = $2 AND in_use >= $1")
        .bind(amount)
        .bind(programme.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Counts a disbursement against a request's commitment if it fits (`false`: it would pay
/// more than was approved); a negative amount (a reversal) gives it back.
pub async fn add_disbursed(tx: &mut Tx, request: Uuid, amount: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE allocation_request SET disbursed = disbursed + $1, updated_at = $2 \
         WHERE id = $3 AND disbursed + $1 <= amount AND disbursed + $1 >= 0",
    )
    .bind(amount)
    .bind(now_db())
    .bind(request.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}
