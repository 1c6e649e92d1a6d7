//! The raw counts behind a dashboard (`app::dashboard`), for an organisation, one of its units
//! and/or the clients living in one province, over a period given as two stored instants
//! (`from` inclusive, `until` exclusive). Each figure is one grouped statement; the stage
//! durations read one row of instants per case opened in the period. No personal data leaves
//! this module: codes, counts and instants only.

use crate::db::Db;
use crate::error::Result;
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// Whose cases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// The organisation.
    pub org_id: Uuid,
    /// One unit's cases only.
    pub unit_id: Option<Uuid>,
    /// The cases of clients with an address in this province only.
    pub province_code: Option<String>,
}

/// The cases in scope, as a condition on `c` (binds `$1`–`$3`). Without a province the
/// condition names no column beyond the organisation, unit, status, urgency and types, so the
/// caseload's counts read the covering index `case_file_org_status` alone.
pub(crate) fn cases(province: bool) -> &'static str {
    if province {
        "c.org_id = $1 AND ($2 = '' OR c.unit_id = $2) AND ($3 = '' OR EXISTS \
         (SELECT 1 FROM person_address pa WHERE pa.person_id = c.client_id \
          AND pa.province_code = $3))"
    } else {
        "c.org_id = $1 AND ($2 = '' OR c.unit_id = $2) AND $3 = ''"
    }
}

/// One case's stage instants (stored text): opened, first completed assessment, first plan in
/// force (approved, or written where no approval is needed), closed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stages {
    /// Opened.
    pub opened: String,
    /// First assessment completed.
    pub assessed: Option<String>,
    /// First plan approved.
    pub planned: Option<String>,
    /// Closed.
    pub closed: Option<String>,
}

/// Raw counts, before suppression.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Raw {
    /// (status, urgency, count) of every case in scope now.
    pub by_status_urgency: Vec<(String, String, i64)>,
    /// (the stored case-type list, count) of the open cases in scope.
    pub open_by_type_list: Vec<(String, i64)>,
    /// (`YYYY-MM-DDTHH` of opening in UTC, count) in the period.
    pub opened_by_hour: Vec<(String, i64)>,
    /// (`YYYY-MM-DDTHH` of closing in UTC, count) in the period.
    pub closed_by_hour: Vec<(String, i64)>,
    /// The stages of each case opened in the period.
    pub stages_opened: Vec<Stages>,
    /// (opened, closed) of each case closed in the period.
    pub closed_spans: Vec<(String, String)>,
    /// (status, count) of the referrals made in the period.
    pub referrals: Vec<(String, i64)>,
    /// (status, count, baht in satang) of the allocation requests made in the period.
    pub allocations: Vec<(String, i64, i64)>,
    /// (on the waiting list since, decided at) of the requests made in the period that waited.
    pub waits: Vec<(String, Option<String>)>,
    /// (allocated, committed, disbursed) of the fiscal year's budgets in scope.
    pub budget: (i64, i64, i64),
    /// (status, settled by the end of its day in Bangkok, count) of the promises due in the
    /// period.
    pub promises: Vec<(String, bool, i64)>,
    /// (GAS level −2…+2, count): each goal's last measured level, of the cases closed in the
    /// period.
    pub gas_at_closure: Vec<(i64, i64)>,
    /// (the stored case-type list, the day reviews count from, count) of the cases in scope
    /// being implemented or reviewed with a plan in force now: the day is the last review's
    /// (`YYYY-MM-DD`), or else the plan's coming into force (`YYYY-MM-DDTHH`, UTC).
    pub review_anchors: Vec<(String, String, i64)>,
}

fn pairs(rows: &[AnyRow]) -> Result<Vec<(String, i64)>> {
    rows.iter()
        .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?)))
        .collect()
}

/// Reads the raw figures of `scope` between `from` and `until` (stored instants; the promises
/// by their days, `days` as `YYYY-MM-DD`, both inclusive), with the budgets of `fiscal_year`
/// (BE).
pub async fn figures(
    db: &Db,
    scope: &Scope,
    from: &str,
    until: &str,
    days: (&str, &str),
    fiscal_year: i64,
) -> Result<Raw> {
    let org = scope.org_id.to_string();
    let unit = scope.unit_id.map(|u| u.to_string()).unwrap_or_default();
    let province = scope.province_code.clone().unwrap_or_default();
    let in_scope = cases(!province.is_empty());
    // Every statement binds the scope ($1–$3); those over the period also `from` and `until`
    // ($4, $5).
    let fetch = |sql: String, period: bool| {
        let (org, unit, province) = (org.clone(), unit.clone(), province.clone());
        let (from, until) = (from.to_string(), until.to_string());
        async move {
            let mut q = sqlx::query(&sql).bind(org).bind(unit).bind(province);
            if period {
                q = q.bind(from).bind(until);
            }
            q.fetch_all(db.read()).await
        }
    };
    let mut raw = Raw::default();
    for r in fetch(
        format!(
            "SELECT c.status, c.urgency, CAST(COUNT(*) AS BIGINT) FROM case_file c WHERE {in_scope} \
         GROUP BY c.status, c.urgency ORDER BY c.status, c.urgency"
        ),
        false,
    )
    .await?
    {
        raw.by_status_urgency
            .push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
    }
    raw.open_by_type_list = pairs(
        &fetch(
            format!(
                "SELECT c.case_types, CAST(COUNT(*) AS BIGINT) FROM case_file c WHERE {in_scope} \
             AND c.status <> 'closed' GROUP BY c.case_types"
            ),
            false,
        )
        .await?,
    )?;
    for (column, into) in [
        ("opened_at", &mut raw.opened_by_hour),
        ("closed_at", &mut raw.closed_by_hour),
    ] {
        *into = pairs(
            &fetch(
                format!(
                    "SELECT substr(c.{column}, 1, 13), CAST(COUNT(*) AS BIGINT) FROM case_file c \
                     WHERE {in_scope} AND c.{column} >= $4 AND c.{column} < $5 \
                     GROUP BY substr(c.{column}, 1, 13)"
                ),
                true,
            )
            .await?,
        )?;
    }
    for r in fetch(
        format!(
            "SELECT c.opened_at, \
         (SELECT MIN(a.completed_at) FROM assessment a WHERE a.case_id = c.id \
          AND a.completed_at IS NOT NULL) AS assessed, \
         (SELECT MIN(COALESCE(p.decided_at, p.created_at)) FROM plan_version p \
          WHERE p.case_id = c.id AND p.status IN ('active', 'superseded')) AS planned, \
         c.closed_at FROM case_file c WHERE {in_scope} AND c.opened_at >= $4 AND c.opened_at < $5"
        ),
        true,
    )
    .await?
    {
        raw.stages_opened.push(Stages {
            opened: r.try_get(0)?,
            assessed: r.try_get(1)?,
            planned: r.try_get(2)?,
            closed: r.try_get(3)?,
        });
    }
    for r in fetch(
        format!(
            "SELECT c.opened_at, c.closed_at FROM case_file c WHERE {in_scope} \
         AND c.closed_at >= $4 AND c.closed_at < $5"
        ),
        true,
    )
    .await?
    {
        raw.closed_spans.push((r.try_get(0)?, r.try_get(1)?));
    }
    raw.referrals = pairs(
        &fetch(
            format!(
                "SELECT r.status, CAST(COUNT(*) AS BIGINT) FROM referral r \
             JOIN case_file c ON c.id = r.case_id WHERE r.org_id = $1 AND {in_scope} \
             AND r.created_at >= $4 AND r.created_at < $5 GROUP BY r.status ORDER BY r.status"
            ),
            true,
        )
        .await?,
    )?;
    for r in fetch(
        format!(
            "SELECT r.status, CAST(COUNT(*) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN p.unit = 'baht' THEN r.amount ELSE 0 END), 0) AS BIGINT) \
         FROM allocation_request r JOIN case_file c ON c.id = r.case_id \
         JOIN programme p ON p.id = r.programme_id WHERE r.org_id = $1 AND {in_scope} \
         AND r.created_at >= $4 AND r.created_at < $5 GROUP BY r.status ORDER BY r.status"
        ),
        true,
    )
    .await?
    {
        raw.allocations
            .push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
    }
    for r in fetch(
        format!(
            "SELECT r.waiting_since, r.decided_at FROM allocation_request r \
         JOIN case_file c ON c.id = r.case_id WHERE r.org_id = $1 AND {in_scope} \
         AND r.created_at >= $4 AND r.created_at < $5 AND r.waiting_since IS NOT NULL"
        ),
        true,
    )
    .await?
    {
        raw.waits.push((r.try_get(0)?, r.try_get(1)?));
    }
    for r in fetch(
        format!(
            "SELECT g.gas, CAST(COUNT(*) AS BIGINT) FROM goal_progress g \
             JOIN case_file c ON c.id = g.case_id WHERE {in_scope} \
             AND c.closed_at >= $4 AND c.closed_at < $5 AND g.gas IS NOT NULL \
             AND g.created_at = (SELECT MAX(x.created_at) FROM goal_progress x \
              WHERE x.case_id = g.case_id AND x.goal_id = g.goal_id AND x.gas IS NOT NULL) \
             GROUP BY g.gas ORDER BY g.gas"
        ),
        true,
    )
    .await?
    {
        raw.gas_at_closure.push((r.try_get(0)?, r.try_get(1)?));
    }
    // Promises by their due day: the same binds, with days for instants. Kept on time: settled
    // before the Bangkok midnight that ends its day (17:00 UTC).
    let rows = sqlx::query(&format!(
        "SELECT p.status, \
         CAST(CASE WHEN p.settled_at IS NOT NULL AND p.settled_at < p.due_date || 'T17:00:00' \
          THEN 1 ELSE 0 END AS BIGINT) AS on_time, CAST(COUNT(*) AS BIGINT) \
         FROM promise p JOIN case_file c ON c.id = p.case_id WHERE p.org_id = $1 AND {in_scope} \
         AND p.due_date >= $4 AND p.due_date <= $5 \
         GROUP BY p.status, CASE WHEN p.settled_at IS NOT NULL \
          AND p.settled_at < p.due_date || 'T17:00:00' THEN 1 ELSE 0 END"
    ))
    .bind(&org)
    .bind(&unit)
    .bind(&province)
    .bind(days.0)
    .bind(days.1)
    .fetch_all(db.read())
    .await?;
    for r in rows {
        raw.promises
            .push((r.try_get(0)?, r.try_get::<i64, _>(1)? == 1, r.try_get(2)?));
    }
    // Reviews are due a number of days (by case type) after the last review or the plan's
    // coming into force: grouped by types and that day, so the rows grow with the days, not
    // with the cases.
    for r in fetch(
        format!(
            "SELECT x.case_types, x.anchor, CAST(COUNT(*) AS BIGINT) FROM (SELECT c.case_types, \
              COALESCE((SELECT MAX(v.held_on) FROM case_review v WHERE v.case_id = c.id), \
              substr(COALESCE(p.decided_at, p.created_at), 1, 13)) AS anchor FROM case_file c \
             JOIN plan_version p ON p.case_id = c.id AND p.status = 'active' \
             WHERE {in_scope} AND c.status IN ('implementation', 'review')) x \
             GROUP BY x.case_types, x.anchor"
        ),
        false,
    )
    .await?
    {
        raw.review_anchors
            .push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
    }
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(b.allocated), 0) AS BIGINT), \
         CAST(COALESCE(SUM(b.committed), 0) AS BIGINT), \
         CAST(COALESCE(SUM(b.disbursed), 0) AS BIGINT) FROM budget b \
         WHERE b.org_id = $1 AND ($2 = '' OR b.unit_id = $2) AND b.fiscal_year = $3",
    )
    .bind(&org)
    .bind(&unit)
    .bind(fiscal_year)
    .fetch_one(db.read())
    .await?;
    raw.budget = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
    Ok(raw)
}
