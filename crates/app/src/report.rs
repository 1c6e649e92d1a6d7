//! Aggregate figures (`Action::ViewAggregates`): case counts by status, by type and by month
//! of opening over the last 12 months, each count published through `domain::report::Figure`
//! (1–4 shown as "<5"). No names, no numbers, no links to cases. A data analyst sees the
//! organisation's; a supervisor her unit's.

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use karuna_domain::access::{Action, Role};
use karuna_domain::audit::Outcome;
use karuna_domain::case::Status;
use karuna_domain::report::Figure;
use karuna_store::audit;
use karuna_store::report as store;
use karuna_thai::calendar::bangkok_date;
use serde::Serialize;
use std::collections::BTreeMap;

/// How many months back the monthly counts go (this month included).
pub const MONTHS: u32 = 12;

/// One published count and what it counts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Count {
    /// A status or case-type code, or a month as `YYYY-MM` (Bangkok time, CE).
    pub key: String,
    /// The count, or suppressed.
    pub figure: Figure,
}

/// Case counts, aggregates only.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseFigures {
    /// Whose cases: `organisation` or `unit`.
    pub scope: String,
    /// Every status, in process order.
    pub by_status: Vec<Count>,
    /// Every case type on record (a case of two types counts in both).
    pub by_type: Vec<Count>,
    /// Cases opened per month, the last 12 months, oldest first.
    pub by_month: Vec<Count>,
}

/// The first day of the month `back` months before `d`'s.
fn month_start(d: NaiveDate, back: u32) -> NaiveDate {
    let months = d.year() * 12 + d.month0() as i32 - back as i32;
    NaiveDate::from_ymd_opt(months.div_euclid(12), months.rem_euclid(12) as u32 + 1, 1).unwrap_or(d)
}

impl App {
    /// The case counts for the analyst's (or a supervisor's) figures page and API.
    #[tracing::instrument(skip_all)]
    pub async fn case_figures(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<CaseFigures, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ViewAggregates,
            "report.case_counts",
            ("report", None),
        )
        .await?;
        let unit = match user.role() {
            Role::Supervisor => user.actor.unit_id,
            _ => None,
        };
        let today = bangkok_date(Utc::now());
        let first = month_start(today, MONTHS - 1);
        // Bangkok midnight of the first day, in UTC, as stored.
        let since = first
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc() - Duration::hours(7))
            .map(karuna_store::time::to_db)
            .unwrap_or_default();
        let raw = store::case_counts(&self.db, user.actor.org_id, unit, &since).await?;
        let by_status = Status::ALL
            .iter()
            .map(|s| Count {
                key: s.code().to_string(),
                figure: Figure::of(
                    raw.by_status
                        .iter()
                        .filter(|(k, _)| k == s.code())
                        .map(|(_, n)| n)
                        .sum(),
                ),
            })
            .collect();
        let mut types: BTreeMap<String, i64> = BTreeMap::new();
        for (list, n) in &raw.by_type_list {
            for t in list.split(',').filter(|t| !t.is_empty()) {
                *types.entry(t.to_string()).or_default() += n;
            }
        }
        let by_type = types
            .into_iter()
            .map(|(key, n)| Count {
                key,
                figure: Figure::of(n),
            })
            .collect();
        let mut months: BTreeMap<String, i64> = (0..MONTHS)
            .rev()
            .map(|b| (month_start(today, b).format("%Y-%m").to_string(), 0))
            .collect();
        for (hour, n) in &raw.by_hour_opened {
            let at = chrono::NaiveDateTime::parse_from_str(&format!("{hour}:00"), "%Y-%m-%dT%H:%M");
            if let Ok(at) = at {
                let key = bangkok_date(at.and_utc()).format("%Y-%m").to_string();
                if let Some(m) = months.get_mut(&key) {
                    *m += n;
                }
            }
        }
        let by_month = months
            .into_iter()
            .map(|(key, n)| Count {
                key,
                figure: Figure::of(n),
            })
            .collect();
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "report.case_counts", Outcome::Success),
                "report",
                None,
            ),
        )
        .await?;
        Ok(CaseFigures {
            scope: if unit.is_some() {
                "unit"
            } else {
                "organisation"
            }
            .to_string(),
            by_status,
            by_type,
            by_month,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_go_back_across_the_year() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 14).unwrap();
        assert_eq!(
            month_start(d, 0),
            NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()
        );
        assert_eq!(
            month_start(d, 11),
            NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
        );
        assert_eq!(
            month_start(d, 2),
            NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()
        );
    }
}
