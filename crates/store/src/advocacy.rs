//! Advocacy reports (`domain::advocacy`): the report as it stands, its versions (a full copy
//! per change), the raw figures of unmet needs a new report is pre-filled with, and the facts
//! a de-identified example is written from. The content is kept as the JSON the use case
//! gives; this module does not read it. The figures hold codes, names of providers and
//! programmes, counts and instants only; the examples' facts hold no name, number or free text
//! of a case.

use crate::case_list::scope_sql;
use crate::dashboard::{cases, Scope};
use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{instant, opt_instant, opt_uuid, uuid};
use crate::time::now_db;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// A report to create.
#[derive(Debug, Clone)]
pub struct NewReport<'a> {
    /// Organisation.
    pub org_id: Uuid,
    /// `advocacy` or `community_needs`.
    pub kind: &'a str,
    /// Title.
    pub title: &'a str,
    /// Audience code.
    pub audience: &'a str,
    /// Period code (`fy-2570` …).
    pub period: &'a str,
    /// The unit whose cases the figures cover.
    pub unit_id: Option<Uuid>,
    /// The province whose clients' cases the figures cover.
    pub province_code: Option<&'a str>,
    /// The content as JSON.
    pub content: &'a str,
    /// Who creates it.
    pub created_by: Uuid,
}

/// What a change writes: the report's new state, and why (for the version's record).
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// `edited`, or the step's code (`submit`, `approve`, `return`, `revise`).
    pub change: &'a str,
    /// Why (a return or a revision).
    pub reason: Option<&'a str>,
    /// Status code after the change.
    pub status: &'a str,
    /// Title.
    pub title: &'a str,
    /// Audience code.
    pub audience: &'a str,
    /// Content as JSON.
    pub content: &'a str,
    /// Who made it.
    pub by: Uuid,
    /// The change approves the report.
    pub approves: bool,
}

/// A report as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    /// Id.
    pub id: Uuid,
    /// Kind code.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Audience code.
    pub audience: String,
    /// Period code.
    pub period: String,
    /// The unit the figures cover.
    pub unit_id: Option<Uuid>,
    /// Its name.
    pub unit_name: Option<String>,
    /// The province the figures cover.
    pub province_code: Option<String>,
    /// Status code.
    pub status: String,
    /// Content (JSON).
    pub content: String,
    /// Creator.
    pub created_by: Uuid,
    /// Creator's name.
    pub created_by_name: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Who changed it last, by name.
    pub updated_by_name: String,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Approver's name.
    pub approved_by_name: Option<String>,
    /// Approved.
    pub approved_at: Option<DateTime<Utc>>,
    /// Optimistic-concurrency version; also the number of its latest version record.
    pub version: i64,
}

const REPORT_COLS: &str = "r.id, r.kind, r.title, r.audience, r.period, r.unit_id, \
     u.name AS unit_name, r.province_code, r.status, r.content, r.created_by, \
     cb.display_name AS created_by_name, r.created_at, ub.display_name AS updated_by_name, \
     r.updated_at, ab.display_name AS approved_by_name, r.approved_at, r.version \
     FROM advocacy_report r LEFT JOIN unit u ON u.id = r.unit_id \
     JOIN account cb ON cb.id = r.created_by JOIN account ub ON ub.id = r.updated_by \
     LEFT JOIN account ab ON ab.id = r.approved_by";

fn report_from(r: &AnyRow) -> Result<ReportRow> {
    Ok(ReportRow {
        id: uuid(r, "id")?,
        kind: r.try_get("kind")?,
        title: r.try_get("title")?,
        audience: r.try_get("audience")?,
        period: r.try_get("period")?,
        unit_id: opt_uuid(r, "unit_id")?,
        unit_name: r.try_get("unit_name")?,
        province_code: r.try_get("province_code")?,
        status: r.try_get("status")?,
        content: r.try_get("content")?,
        created_by: uuid(r, "created_by")?,
        created_by_name: r.try_get("created_by_name")?,
        created_at: instant(r, "created_at")?,
        updated_by_name: r.try_get("updated_by_name")?,
        updated_at: instant(r, "updated_at")?,
        approved_by_name: r.try_get("approved_by_name")?,
        approved_at: opt_instant(r, "approved_at")?,
        version: r.try_get("version")?,
    })
}

async fn insert_version(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    version: i64,
    c: &Change<'_>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO advocacy_report_version (org_id, report_id, version, change, reason, status, \
         title, audience, content, changed_by, changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(org.to_string())
    .bind(id.to_string())
    .bind(version)
    .bind(c.change)
    .bind(c.reason)
    .bind(c.status)
    .bind(c.title)
    .bind(c.audience)
    .bind(c.content)
    .bind(c.by.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(())
}

/// Creates a draft and its first version.
pub async fn insert(tx: &mut Tx, n: &NewReport<'_>) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let now = now_db();
    sqlx::query(
        "INSERT INTO advocacy_report (id, org_id, kind, title, audience, period, unit_id, \
         province_code, status, content, created_by, created_at, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $10, $11, $10, $11)",
    )
    .bind(id.to_string())
    .bind(n.org_id.to_string())
    .bind(n.kind)
    .bind(n.title)
    .bind(n.audience)
    .bind(n.period)
    .bind(n.unit_id.map(|u| u.to_string()))
    .bind(n.province_code)
    .bind(n.content)
    .bind(n.created_by.to_string())
    .bind(&now)
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    insert_version(
        tx,
        n.org_id,
        id,
        1,
        &Change {
            change: "created",
            reason: None,
            status: "draft",
            title: n.title,
            audience: n.audience,
            content: n.content,
            by: n.created_by,
            approves: false,
        },
    )
    .await?;
    Ok(id)
}

/// Writes a change to the report at `version` and keeps it as the next version; a report that
/// moved on since is [`StoreError::StaleVersion`]. Returns the new version.
pub async fn change(tx: &mut Tx, org: Uuid, id: Uuid, version: i64, c: &Change<'_>) -> Result<i64> {
    let now = now_db();
    let approved = c.approves.then(|| (c.by.to_string(), now.clone()));
    let r = sqlx::query(
        "UPDATE advocacy_report SET title = $1, audience = $2, status = $3, content = $4, \
         updated_by = $5, updated_at = $6, \
         approved_by = CASE WHEN $7 = '' THEN approved_by ELSE $7 END, \
         approved_at = CASE WHEN $8 = '' THEN approved_at ELSE $8 END, version = version + 1 \
         WHERE id = $9 AND org_id = $10 AND version = $11",
    )
    .bind(c.title)
    .bind(c.audience)
    .bind(c.status)
    .bind(c.content)
    .bind(c.by.to_string())
    .bind(&now)
    .bind(approved.as_ref().map(|a| a.0.clone()).unwrap_or_default())
    .bind(approved.map(|a| a.1).unwrap_or_default())
    .bind(id.to_string())
    .bind(org.to_string())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    insert_version(tx, org, id, version + 1, c).await?;
    Ok(version + 1)
}

/// One report of the organisation.
pub async fn get(db: &Db, org: Uuid, id: Uuid) -> Result<Option<ReportRow>> {
    let row = sqlx::query(&format!(
        "SELECT {REPORT_COLS} WHERE r.id = $1 AND r.org_id = $2"
    ))
    .bind(id.to_string())
    .bind(org.to_string())
    .fetch_optional(db.read())
    .await?;
    row.as_ref().map(report_from).transpose()
}

/// The organisation's reports, last changed first, at most `limit`.
pub async fn list(db: &Db, org: Uuid, limit: i64) -> Result<Vec<ReportRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {REPORT_COLS} WHERE r.org_id = $1 ORDER BY r.updated_at DESC, r.id DESC LIMIT $2"
    ))
    .bind(org.to_string())
    .bind(limit)
    .fetch_all(db.read())
    .await?;
    rows.iter().map(report_from).collect()
}

/// One version of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRow {
    /// Its number (1 is the creation).
    pub version: i64,
    /// `created`, `edited`, `submit`, `approve`, `return` or `revise`.
    pub change: String,
    /// Why.
    pub reason: Option<String>,
    /// Status after it.
    pub status: String,
    /// Title then.
    pub title: String,
    /// Audience then.
    pub audience: String,
    /// Content then (JSON).
    pub content: String,
    /// Who, by name.
    pub changed_by_name: String,
    /// When.
    pub changed_at: DateTime<Utc>,
}

/// A report's versions, newest first.
pub async fn versions(db: &Db, org: Uuid, id: Uuid) -> Result<Vec<VersionRow>> {
    let rows = sqlx::query(
        "SELECT v.version, v.change, v.reason, v.status, v.title, v.audience, v.content, \
         a.display_name AS changed_by_name, v.changed_at FROM advocacy_report_version v \
         JOIN account a ON a.id = v.changed_by WHERE v.report_id = $1 AND v.org_id = $2 \
         ORDER BY v.version DESC",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(VersionRow {
                version: r.try_get("version")?,
                change: r.try_get("change")?,
                reason: r.try_get("reason")?,
                status: r.try_get("status")?,
                title: r.try_get("title")?,
                audience: r.try_get("audience")?,
                content: r.try_get("content")?,
                changed_by_name: r.try_get("changed_by_name")?,
                changed_at: instant(r, "changed_at")?,
            })
        })
        .collect()
}

/// The raw figures of unmet needs in a scope and period, before suppression.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnmetRaw {
    /// The content (JSON) of the plan in force of each case in scope that was open during the
    /// period.
    pub plans: Vec<String>,
    /// (provider, service, count) of the referrals made in the period and declined for lack
    /// of capacity.
    pub declined_no_capacity: Vec<(String, Option<String>, i64)>,
    /// (provider, service, count) of the referrals whose service ended early in the period.
    pub ended_early: Vec<(String, Option<String>, i64)>,
    /// (programme, on the waiting list since, decided at) of the requests that waited during
    /// the period.
    pub waits: Vec<(String, String, Option<String>)>,
    /// (programme, allocated, committed + disbursed) of the fiscal year's budgets in scope.
    pub budgets: Vec<(String, i64, i64)>,
}

fn triples(rows: &[AnyRow]) -> Result<Vec<(String, Option<String>, i64)>> {
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
}

/// Reads the raw figures of unmet needs of `scope` between `from` and `until` (stored
/// instants, `until` exclusive), with the budgets of `fiscal_year` (BE).
pub async fn unmet_needs(
    db: &Db,
    scope: &Scope,
    from: &str,
    until: &str,
    fiscal_year: i64,
) -> Result<UnmetRaw> {
    let org = scope.org_id.to_string();
    let unit = scope.unit_id.map(|u| u.to_string()).unwrap_or_default();
    let province = scope.province_code.clone().unwrap_or_default();
    let in_scope = cases(!province.is_empty());
    let fetch = |sql: String| {
        let (org, unit, province) = (org.clone(), unit.clone(), province.clone());
        let (from, until) = (from.to_string(), until.to_string());
        async move {
            sqlx::query(&sql)
                .bind(org)
                .bind(unit)
                .bind(province)
                .bind(from)
                .bind(until)
                .fetch_all(db.read())
                .await
        }
    };
    let mut raw = UnmetRaw::default();
    for r in fetch(format!(
        "SELECT p.content FROM plan_version p JOIN case_file c ON c.id = p.case_id \
         WHERE p.org_id = $1 AND {in_scope} AND p.status = 'active' AND c.opened_at < $5 \
         AND (c.closed_at IS NULL OR c.closed_at >= $4)"
    ))
    .await?
    {
        raw.plans.push(r.try_get(0)?);
    }
    raw.declined_no_capacity = triples(
        &fetch(format!(
            "SELECT r.provider_name, r.service_name, CAST(COUNT(*) AS BIGINT) FROM referral r \
             JOIN case_file c ON c.id = r.case_id WHERE r.org_id = $1 AND {in_scope} \
             AND r.status = 'declined' AND r.reason_code = 'no_capacity' \
             AND r.created_at >= $4 AND r.created_at < $5 \
             GROUP BY r.provider_name, r.service_name ORDER BY 3 DESC, 1"
        ))
        .await?,
    )?;
    raw.ended_early = triples(
        &fetch(format!(
            "SELECT r.provider_name, r.service_name, CAST(COUNT(*) AS BIGINT) FROM referral r \
             JOIN case_file c ON c.id = r.case_id WHERE r.org_id = $1 AND {in_scope} \
             AND r.status = 'ended_early' AND r.closed_at >= $4 AND r.closed_at < $5 \
             GROUP BY r.provider_name, r.service_name ORDER BY 3 DESC, 1"
        ))
        .await?,
    )?;
    for r in fetch(format!(
        "SELECT p.name_th, r.waiting_since, r.decided_at FROM allocation_request r \
         JOIN case_file c ON c.id = r.case_id JOIN programme p ON p.id = r.programme_id \
         WHERE r.org_id = $1 AND {in_scope} AND r.waiting_since IS NOT NULL \
         AND r.waiting_since < $5 AND (r.decided_at IS NULL OR r.decided_at >= $4)"
    ))
    .await?
    {
        raw.waits
            .push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
    }
    let rows = sqlx::query(
        "SELECT p.name_th, CAST(SUM(b.allocated) AS BIGINT), \
         CAST(SUM(b.committed + b.disbursed) AS BIGINT) FROM budget b \
         JOIN programme p ON p.id = b.programme_id WHERE b.org_id = $1 AND b.fiscal_year = $2 \
         AND ($3 = '' OR b.unit_id IS NULL OR b.unit_id = $3) GROUP BY p.name_th ORDER BY p.name_th",
    )
    .bind(&org)
    .bind(fiscal_year)
    .bind(&unit)
    .fetch_all(db.read())
    .await?;
    for r in &rows {
        raw.budgets
            .push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
    }
    Ok(raw)
}

/// The facts an example is written from: no name, number or free text of the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFacts {
    /// `declined_no_capacity`, `ended_early` or `waiting`.
    pub kind: String,
    /// The case's types (stored list, comma-separated codes).
    pub case_types: String,
    /// The client's sex code.
    pub sex: String,
    /// The client's year of birth (CE), when known.
    pub birth_year: Option<i64>,
    /// The provider's name, or the programme's.
    pub provider: String,
    /// The service's name.
    pub service: Option<String>,
    /// From (sent, or on the waiting list since) …
    pub since: String,
    /// … until (closed, decided), or none: still waiting.
    pub until: Option<String>,
}

/// The facts of up to `limit` examples in the period from the cases `viewer` is on (the rule
/// of `access::is_on_case`, as in `case_list::scope_sql`), sensitive cases left out: referrals
/// declined for lack of capacity, services ended early, and requests that waited.
pub async fn example_facts(
    db: &Db,
    viewer: crate::case_list::Scope,
    scope: &Scope,
    from: &str,
    until: &str,
    limit: i64,
) -> Result<Vec<ExampleFacts>> {
    let on_case = scope_sql(1);
    let cols = "c.case_types, pe.sex, pe.birth_year";
    let filter =
        "($4 = '' OR c.unit_id = $4) AND ($5 = '' OR EXISTS (SELECT 1 FROM person_address pa \
                  WHERE pa.person_id = c.client_id AND pa.province_code = $5)) AND c.sensitive = 0";
    let sql = format!(
        "SELECT * FROM (SELECT 'declined_no_capacity' AS kind, {cols}, r.provider_name AS provider, \
         r.service_name AS service, COALESCE(r.sent_at, r.created_at) AS since, r.closed_at AS until_at \
         FROM referral r JOIN case_file c ON c.id = r.case_id JOIN person pe ON pe.id = c.client_id \
         WHERE {on_case} AND {filter} AND r.status = 'declined' AND r.reason_code = 'no_capacity' \
         AND r.created_at >= $6 AND r.created_at < $7 \
         UNION ALL SELECT 'ended_early', {cols}, r.provider_name, r.service_name, \
         COALESCE(r.service_started_on, r.created_at), r.closed_at \
         FROM referral r JOIN case_file c ON c.id = r.case_id JOIN person pe ON pe.id = c.client_id \
         WHERE {on_case} AND {filter} AND r.status = 'ended_early' \
         AND r.closed_at >= $6 AND r.closed_at < $7 \
         UNION ALL SELECT 'waiting', {cols}, p.name_th, CAST(NULL AS TEXT), r.waiting_since, r.decided_at \
         FROM allocation_request r JOIN case_file c ON c.id = r.case_id \
         JOIN person pe ON pe.id = c.client_id JOIN programme p ON p.id = r.programme_id \
         WHERE {on_case} AND {filter} AND r.waiting_since IS NOT NULL AND r.waiting_since < $7 \
         AND (r.decided_at IS NULL OR r.decided_at >= $6)) x ORDER BY since DESC LIMIT $8"
    );
    let rows = sqlx::query(&sql)
        .bind(viewer.org_id.to_string())
        .bind(viewer.actor_id.to_string())
        .bind(
            viewer
                .supervisor_unit
                .map(|u| u.to_string())
                .unwrap_or_default(),
        )
        .bind(scope.unit_id.map(|u| u.to_string()).unwrap_or_default())
        .bind(scope.province_code.clone().unwrap_or_default())
        .bind(from)
        .bind(until)
        .bind(limit)
        .fetch_all(db.read())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(ExampleFacts {
                kind: r.try_get("kind")?,
                case_types: r.try_get("case_types")?,
                sex: r.try_get("sex")?,
                birth_year: r.try_get("birth_year")?,
                provider: r.try_get("provider")?,
                service: r.try_get("service")?,
                since: r.try_get("since")?,
                until: r.try_get("until_at")?,
            })
        })
        .collect()
}
