//! Caseloads: how many open cases each worker manages, by stage and urgency, with the tasks
//! and promises falling behind, against a limit — the organisation's default, or the one a
//! supervisor set for the worker. Above it, the worker and her supervisor are warned.

use crate::error::FieldError;
use serde::Serialize;

/// The caseload limit of a worker whose supervisor set none.
pub const DEFAULT_LIMIT: i64 = 25;
/// The highest limit that can be set.
pub const MAX_LIMIT: i64 = 500;

/// Checks a limit a supervisor sets: a whole number from 1 to [`MAX_LIMIT`], or none (the
/// default).
pub fn validate_limit(limit: Option<i64>) -> Result<Option<i64>, FieldError> {
    match limit {
        Some(n) if !(1..=MAX_LIMIT).contains(&n) => {
            Err(FieldError::new("limit", "caseload.limit_range").arg("max", MAX_LIMIT))
        }
        other => Ok(other),
    }
}

/// Open cases in one status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StatusCount {
    /// Status code.
    pub status: String,
    /// Cases.
    pub count: i64,
}

/// One worker's load.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Load {
    /// Open cases managed (every status but closed).
    pub open_cases: i64,
    /// Open cases by status, in the lifecycle's order.
    pub by_status: Vec<StatusCount>,
    /// Open cases marked urgent or emergency.
    pub urgent_cases: i64,
    /// Tasks still to be done (assigned, or of outside people on cases managed).
    pub open_tasks: i64,
    /// Of them, past due.
    pub overdue_tasks: i64,
    /// Open promises past due.
    pub overdue_promises: i64,
    /// The limit that applies.
    pub limit: i64,
    /// The limit was set for this worker (else the default).
    pub limit_set: bool,
}

impl Load {
    /// More open cases than the limit.
    pub fn over_limit(&self) -> bool {
        self.open_cases > self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_is_a_sensible_whole_number_or_the_default() {
        assert_eq!(validate_limit(None).unwrap(), None);
        assert_eq!(validate_limit(Some(30)).unwrap(), Some(30));
        assert_eq!(
            validate_limit(Some(0)).unwrap_err().code,
            "caseload.limit_range"
        );
        assert!(validate_limit(Some(MAX_LIMIT + 1)).is_err());
        let load = Load {
            open_cases: 26,
            limit: DEFAULT_LIMIT,
            ..Load::default()
        };
        assert!(load.over_limit());
    }
}
