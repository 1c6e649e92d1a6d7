//! The monthly series behind the forecasts (`app::trends`): the cases of a scope opened in each
//! of a list of months, optionally of one case type. One statement: each month (its key and its
//! two stored instants, given by the caller so that the months are Bangkok's) counts its cases
//! by a range over `case_file_opened_cover (org_id, opened_at, unit_id, case_types)`, which covers
//! the filters, so no case row is read and nothing is sorted. Codes and counts only.

use crate::dashboard::{cases, Scope};
use crate::db::Db;
use crate::error::Result;
use sqlx::Row;

/// A case-type code as a `LIKE` pattern over `,types,` (its `_` and `%` taken literally).
fn type_pattern(code: &str) -> String {
    let escaped = code
        .replace('\\', "\\\\")
        .replace('_', "\\_")
        .replace('%', "\\%");
    format!("%,{escaped},%")
}

/// A month: its key and the stored instants it runs from (inclusive) and until (exclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// `YYYY-MM`.
    pub key: String,
    /// Its first instant.
    pub from: String,
    /// The next month's first instant.
    pub until: String,
}

/// (month key, count) of the cases in `scope` opened in each of `months`, of `case_type` when
/// given, in the order of `months`.
pub async fn opened_by_month(
    db: &Db,
    scope: &Scope,
    case_type: Option<&str>,
    months: &[Month],
) -> Result<Vec<(String, i64)>> {
    if months.is_empty() {
        return Ok(Vec::new());
    }
    let province = scope.province_code.clone().unwrap_or_default();
    let in_scope = cases(!province.is_empty());
    // $1–$3 the scope, $4 the type pattern, then three binds a month.
    let list = (0..months.len())
        .map(|i| {
            let n = 5 + 3 * i;
            format!(
                "SELECT {i} AS i, CAST(${} AS TEXT) AS k, CAST(${} AS TEXT) AS f, \
                 CAST(${} AS TEXT) AS u",
                n,
                n + 1,
                n + 2
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let sql = format!(
        "SELECT m.k, (SELECT CAST(COUNT(*) AS BIGINT) FROM case_file c WHERE {in_scope} \
         AND c.opened_at >= m.f AND c.opened_at < m.u \
         AND ($4 = '' OR (',' || c.case_types || ',') LIKE $4 ESCAPE '\\')) \
         FROM ({list}) m ORDER BY m.i"
    );
    let mut q = sqlx::query(&sql)
        .bind(scope.org_id.to_string())
        .bind(scope.unit_id.map(|u| u.to_string()).unwrap_or_default())
        .bind(province)
        .bind(case_type.map(type_pattern).unwrap_or_default());
    for m in months {
        q = q
            .bind(m.key.clone())
            .bind(m.from.clone())
            .bind(m.until.clone());
    }
    let rows = q.fetch_all(db.read()).await?;
    rows.iter()
        .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_matches_itself_only() {
        assert_eq!(type_pattern("child_abuse"), "%,child\\_abuse,%");
        assert_eq!(type_pattern("a%b"), "%,a\\%b,%");
    }
}
