//! Case lists: the need-to-know rule of `domain::access::is_on_case` as SQL, applied before
//! ordering and paging, with filters and keyset paging.

use crate::case::{case_from, CaseRow, CASE_COLS};
use crate::db::Db;
use crate::error::Result;
use crate::row::date_db;
use chrono::NaiveDate;
use sqlx::Row;
use uuid::Uuid;

/// Whose cases a list may show: the rule of `domain::access::is_on_case` as SQL.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    /// The actor's organisation.
    pub org_id: Uuid,
    /// The actor.
    pub actor_id: Uuid,
    /// For supervisors: their unit (all its cases are in scope).
    pub supervisor_unit: Option<Uuid>,
}

/// Runs an export page's query: `$1`–`$3` are the scope (as `scope_set_sql(1)`), `$4` the
/// keyset cursor (the last id of the previous page, empty for the first).
pub(crate) async fn scoped_page(
    db: &crate::Db,
    sql: &str,
    scope: Scope,
    after: Option<Uuid>,
) -> crate::error::Result<Vec<sqlx::any::AnyRow>> {
    Ok(sqlx::query(sql)
        .bind(scope.org_id.to_string())
        .bind(scope.actor_id.to_string())
        .bind(
            scope
                .supervisor_unit
                .map(|u| u.to_string())
                .unwrap_or_default(),
        )
        .bind(after.map(|a| a.to_string()).unwrap_or_default())
        .fetch_all(db.read())
        .await?)
}

/// The scope predicate over `case_file c`, using parameters `$n`, `$n+1`, `$n+2`.
pub(crate) fn scope_sql(n: usize) -> String {
    format!(
        "(c.org_id = ${n} AND (c.manager_id = ${a} OR c.unit_id = ${u} OR EXISTS (SELECT 1 FROM case_member m \
         WHERE m.case_id = c.id AND m.account_id = ${a} AND m.removed_at IS NULL)))",
        a = n + 1,
        u = n + 2
    )
}

/// The same predicate as [`scope_sql`], written as the set of the user's case ids (her managed
/// cases, her unit's for a supervisor, her current teams), so the database starts from those
/// index entries instead of testing every case of the organisation: for lists and the home
/// page, which read all of a user's cases. `scope_sql` stays for checking a few candidates.
pub(crate) fn scope_set_sql(n: usize) -> String {
    format!(
        "(c.org_id = ${n} AND c.id IN (SELECT s.id FROM case_file s WHERE s.manager_id = ${a} \
         UNION SELECT s.id FROM case_file s WHERE s.unit_id = ${u} \
         UNION SELECT m.case_id FROM case_member m WHERE m.account_id = ${a} AND m.removed_at IS NULL))",
        a = n + 1,
        u = n + 2
    )
}

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Only cases managed by the actor.
    pub mine: bool,
    /// Status code.
    pub status: Option<String>,
    /// Case type code.
    pub case_type: Option<String>,
    /// Urgency code.
    pub urgency: Option<String>,
    /// Only cases with promises past due (as of this date).
    pub overdue_on: Option<NaiveDate>,
    /// Only cases with a plan or closure awaiting the actor's approval (a supervisor: her
    /// unit's, not written by her; nothing for anyone else).
    pub awaiting_approval: bool,
    /// Order: `updated` (newest first, default) or `number` (ascending).
    pub sort: String,
    /// Keyset cursor: the last row's sort key and id.
    pub after: Option<(String, String)>,
}

/// One row of a case list, with what the list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSummary {
    /// The case.
    pub case: CaseRow,
    /// Client's prefix, names and nickname.
    pub client: ClientName,
    /// Case manager's name.
    pub manager_name: String,
    /// Open promises past their date.
    pub overdue_promises: i64,
    /// Someone on the case is marked as alleged perpetrator.
    pub alleged_perpetrator: bool,
}

/// The parts of a client's name lists show.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientName {
    /// Prefix code.
    pub prefix: Option<String>,
    /// First name (Thai).
    pub first_th: Option<String>,
    /// Last name (Thai).
    pub last_th: Option<String>,
    /// First name (Latin).
    pub first_latin: Option<String>,
    /// Last name (Latin).
    pub last_latin: Option<String>,
    /// Nickname.
    pub nickname: Option<String>,
}

/// A page of cases in scope, filtered and ordered, `limit` rows.
pub async fn list_cases(
    db: &Db,
    scope: Scope,
    f: &CaseFilter,
    today: NaiveDate,
    limit: i64,
) -> Result<Vec<CaseSummary>> {
    let mut conds = vec![scope_set_sql(1)];
    let mut binds: Vec<String> = vec![
        scope.org_id.to_string(),
        scope.actor_id.to_string(),
        scope
            .supervisor_unit
            .map(|u| u.to_string())
            .unwrap_or_default(),
    ];
    let param = |v: String, binds: &mut Vec<String>| {
        binds.push(v);
        format!("${}", binds.len())
    };
    if f.mine {
        let p = param(scope.actor_id.to_string(), &mut binds);
        conds.push(format!("c.manager_id = {p}"));
    }
    if let Some(s) = &f.status {
        let p = param(s.clone(), &mut binds);
        conds.push(format!("c.status = {p}"));
    }
    if let Some(t) = &f.case_type {
        let p = param(format!("%,{t},%"), &mut binds);
        conds.push(format!("(',' || c.case_types || ',') LIKE {p}"));
    }
    if let Some(u) = &f.urgency {
        let p = param(u.clone(), &mut binds);
        conds.push(format!("c.urgency = {p}"));
    }
    if let Some(d) = f.overdue_on {
        let p = param(date_db(d), &mut binds);
        conds.push(format!("EXISTS (SELECT 1 FROM promise pr WHERE pr.case_id = c.id AND pr.status = 'open' AND pr.due_date < {p})"));
    }
    if f.awaiting_approval {
        match scope.supervisor_unit {
            Some(u) => {
                binds.push(u.to_string());
                let nu = binds.len();
                binds.push(scope.actor_id.to_string());
                let na = binds.len();
                conds.push(crate::worklist::awaiting_filter_sql(nu, na));
            }
            None => conds.push("1 = 0".into()),
        }
    }
    let by_number = f.sort == "number";
    if let Some((key, id)) = &f.after {
        let k = param(key.clone(), &mut binds);
        let i = param(id.clone(), &mut binds);
        conds.push(if by_number {
            format!("c.number > {k}")
        } else {
            format!("(c.updated_at < {k} OR (c.updated_at = {k} AND c.id < {i}))")
        });
    }
    let today_p = param(date_db(today), &mut binds);
    let order = if by_number {
        "c.number ASC"
    } else {
        "c.updated_at DESC, c.id DESC"
    };
    // The page's ids first (from the user's case ids, sorted, cut), then its rows' details:
    // the counts and joins are computed for the page only, not for all of the user's cases.
    let sql = format!(
        "SELECT {CASE_COLS}, p.prefix, p.first_name_th, p.last_name_th, p.first_name_latin, p.last_name_latin, \
         p.nickname, a.display_name AS manager_name, \
         (SELECT COUNT(*) FROM promise pr WHERE pr.case_id = c.id AND pr.status = 'open' AND pr.due_date < {today_p}) AS overdue, \
         (SELECT COUNT(*) FROM case_person cp WHERE cp.case_id = c.id AND cp.relationship = 'alleged_perpetrator') AS perpetrators \
         FROM (SELECT c.id FROM case_file c WHERE {} ORDER BY {order} LIMIT {}) page \
         JOIN case_file c ON c.id = page.id JOIN person p ON p.id = c.client_id JOIN account a ON a.id = c.manager_id \
         ORDER BY {order}",
        conds.join(" AND "),
        limit.clamp(1, 500)
    );
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(db.read()).await?;
    rows.iter()
        .map(|r| {
            Ok(CaseSummary {
                case: case_from(r)?,
                client: ClientName {
                    prefix: r.try_get("prefix")?,
                    first_th: r.try_get("first_name_th")?,
                    last_th: r.try_get("last_name_th")?,
                    first_latin: r.try_get("first_name_latin")?,
                    last_latin: r.try_get("last_name_latin")?,
                    nickname: r.try_get("nickname")?,
                },
                manager_name: r.try_get("manager_name")?,
                overdue_promises: r.try_get("overdue")?,
                alleged_perpetrator: r.try_get::<i64, _>("perpetrators")? > 0,
            })
        })
        .collect()
}
