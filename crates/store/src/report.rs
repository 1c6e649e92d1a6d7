//! Counts of cases for aggregate figures: by status, by type combination, by hour of opening.
//! Each is one grouped statement over the organisation's (or a unit's) cases; no personal data
//! leaves this module.

use crate::db::Db;
use crate::error::Result;
use sqlx::Row;
use uuid::Uuid;

/// Raw counts, before suppression.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseCounts {
    /// (status code, count).
    pub by_status: Vec<(String, i64)>,
    /// (the stored case-type list, comma-separated, count): a case of two types is in one row.
    pub by_type_list: Vec<(String, i64)>,
    /// (`YYYY-MM-DDTHH` of opening in UTC, count), from `since` on.
    pub by_hour_opened: Vec<(String, i64)>,
}

/// Counts the cases of `org_id` (only `unit_id`'s when given); openings from `since` (an
/// RFC 3339 UTC instant as stored).
pub async fn case_counts(
    db: &Db,
    org_id: Uuid,
    unit_id: Option<Uuid>,
    since: &str,
) -> Result<CaseCounts> {
    let unit = unit_id.map(|u| u.to_string()).unwrap_or_default();
    let scope = "c.org_id = $1 AND ($2 = '' OR c.unit_id = $2)";
    let pairs = |rows: Vec<sqlx::any::AnyRow>| -> Result<Vec<(String, i64)>> {
        rows.iter()
            .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?)))
            .collect()
    };
    let by_status = sqlx::query(&format!(
        "SELECT c.status, COUNT(*) FROM case_file c WHERE {scope} GROUP BY c.status ORDER BY c.status"
    ))
    .bind(org_id.to_string())
    .bind(&unit)
    .fetch_all(db.read())
    .await?;
    let by_type = sqlx::query(&format!(
        "SELECT c.case_types, COUNT(*) FROM case_file c WHERE {scope} GROUP BY c.case_types"
    ))
    .bind(org_id.to_string())
    .bind(&unit)
    .fetch_all(db.read())
    .await?;
    let by_hour = sqlx::query(&format!(
        "SELECT substr(c.opened_at, 1, 13) AS h, COUNT(*) FROM case_file c \
         WHERE {scope} AND c.opened_at >= $3 GROUP BY substr(c.opened_at, 1, 13) ORDER BY h"
    ))
    .bind(org_id.to_string())
    .bind(&unit)
    .bind(since)
    .fetch_all(db.read())
    .await?;
    Ok(CaseCounts {
        by_status: pairs(by_status)?,
        by_type_list: pairs(by_type)?,
        by_hour_opened: pairs(by_hour)?,
    })
}
