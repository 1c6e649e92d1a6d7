//! Reading portable column types (text ids, RFC 3339 instants, ISO dates, 0/1 flags) from rows.

use crate::error::{Result, StoreError};
use crate::time::from_db;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// `$from, $from+1, …` for `n` values (an `IN (…)` list).
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A required UUID column.
pub(crate) fn uuid(row: &AnyRow, col: &str) -> Result<Uuid> {
    let s: String = row.try_get(col)?;
    Uuid::parse_str(&s).map_err(|_| StoreError::Corrupt("uuid"))
}

/// An optional UUID column.
pub(crate) fn opt_uuid(row: &AnyRow, col: &str) -> Result<Option<Uuid>> {
    let s: Option<String> = row.try_get(col)?;
    s.map(|s| Uuid::parse_str(&s).map_err(|_| StoreError::Corrupt("uuid")))
        .transpose()
}

/// A required instant column.
pub(crate) fn instant(row: &AnyRow, col: &str) -> Result<DateTime<Utc>> {
    let s: String = row.try_get(col)?;
    from_db(&s).ok_or(StoreError::Corrupt("instant"))
}

/// An optional instant column.
pub(crate) fn opt_instant(row: &AnyRow, col: &str) -> Result<Option<DateTime<Utc>>> {
    let s: Option<String> = row.try_get(col)?;
    s.map(|s| from_db(&s).ok_or(StoreError::Corrupt("instant")))
        .transpose()
}

/// A required ISO date column.
pub(crate) fn date(row: &AnyRow, col: &str) -> Result<NaiveDate> {
    let s: String = row.try_get(col)?;
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| StoreError::Corrupt("date"))
}

/// An optional ISO date column.
pub(crate) fn opt_date(row: &AnyRow, col: &str) -> Result<Option<NaiveDate>> {
    let s: Option<String> = row.try_get(col)?;
    s.map(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| StoreError::Corrupt("date")))
        .transpose()
}

/// A 0/1 flag column.
pub(crate) fn flag(row: &AnyRow, col: &str) -> Result<bool> {
    Ok(row.try_get::<i64, _>(col)? != 0)
}

/// A comma-separated list column.
pub(crate) fn list(row: &AnyRow, col: &str) -> Result<Vec<String>> {
    let s: String = row.try_get(col)?;
    Ok(s.split(',')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect())
}

/// An ISO date for storage.
pub fn date_db(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}
