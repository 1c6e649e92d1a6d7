//! The dashboard (`Action::ViewAggregates`): for a period (a month, a quarter or a Thai fiscal
//! year) and a scope (the organisation, one unit, the clients of one province), the caseload by
//! status, urgency and type; the cases opened and closed, month by month; the days each stage
//! took (median and 90th percentile); referrals by outcome and services ended early; resource
//! requests, their waiting time and the fiscal year's budget use; the promises due in the
//! period and how they were kept; the goals' last GAS level in the cases closed in it. Every count is published
//! through `Figure` (1–4 shown as "<5") and a duration only when at least five cases make it,
//! so that no figure points at a person. A data analyst chooses any unit; a supervisor sees her
//! own unit's only.

use crate::report::Count;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use karuna_domain::access::{Action, Role};
use karuna_domain::audit::Outcome;
use karuna_domain::case::Status;
use karuna_domain::report::period::{percentile, Period};
use karuna_domain::report::{Figure, SUPPRESS_BELOW};
use karuna_store::audit;
use karuna_store::dashboard::{self as store, Scope};
use karuna_store::time::{from_db, to_db};
use karuna_thai::calendar::bangkok_date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A dashboard's filters as they come in a URL; empty means the default.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct DashboardQuery {
    /// `fy-2570` (a fiscal year, BE), `q-2570-1` (its first quarter, October–December) or
    /// `m-2569-10` (a month, BE); default: this fiscal year.
    pub period: String,
    /// One unit's cases (its id); analysts only, a supervisor always sees her own unit.
    pub unit: String,
    /// The cases of clients with an address in this province (its code, e.g. `10`).
    pub province: String,
}

/// Cases opened and closed in one month.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthFlow {
    /// The month, `YYYY-MM` (CE, Bangkok time).
    pub month: String,
    /// Opened.
    pub opened: Figure,
    /// Closed.
    pub closed: Figure,
}

/// How long one stage took.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StageTime {
    /// `assessment` (opening to the first completed assessment), `plan` (that assessment to
    /// the first plan in force) or `closure` (opening to closure, of the cases closed in the
    /// period).
    pub stage: String,
    /// How many cases it is measured on.
    pub cases: Figure,
    /// Median days (none under five cases).
    pub median_days: Option<i64>,
    /// 90th percentile of days (none under five cases).
    pub p90_days: Option<i64>,
}

/// The fiscal year's budgets in scope, in baht (`1250.50`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BudgetUse {
    /// Fiscal year (BE).
    pub fiscal_year: i32,
    /// Allocated.
    pub allocated: String,
    /// Committed to approved requests, not yet paid.
    pub committed: String,
    /// Paid out.
    pub disbursed: String,
    /// Left: allocated − committed − paid.
    pub balance: String,
    /// Share of the allocation committed or paid, in percent (none without an allocation).
    pub used_percent: Option<i64>,
}

/// A dashboard's figures, aggregates only.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Dashboard {
    /// The period's code.
    pub period: String,
    /// Its first day.
    pub from: NaiveDate,
    /// Its last day.
    pub until: NaiveDate,
    /// The unit shown (none: the whole organisation).
    pub unit_id: Option<Uuid>,
    /// The province shown (none: every province).
    pub province_code: Option<String>,
    /// Every case in scope now, by status.
    pub by_status: Vec<Count>,
    /// The open cases by urgency.
    pub by_urgency: Vec<Count>,
    /// The open cases by type (a case of two types counts in both).
    pub by_type: Vec<Count>,
    /// Cases opened in the period.
    pub opened: Figure,
    /// Cases closed in the period.
    pub closed: Figure,
    /// Month by month.
    pub by_month: Vec<MonthFlow>,
    /// Days in each stage.
    pub stages: Vec<StageTime>,
    /// Referrals made in the period, by status.
    pub referrals: Vec<Count>,
    /// Resource requests made in the period, by status.
    pub allocations: Vec<Count>,
    /// Baht requested in the period and approved (approved or closed requests).
    pub approved_baht: String,
    /// Requests that went on a waiting list.
    pub waited: Figure,
    /// Median days on the waiting list (until decided, or until today).
    pub wait_median_days: Option<i64>,
    /// The fiscal year's budgets (every province's: a budget has no province).
    pub budget: BudgetUse,
    /// Promises due in the period, by status (`open`, `kept`, `missed`, `released`).
    pub promises: Vec<Count>,
    /// Of them, kept by the end of their day.
    pub promises_kept_on_time: Figure,
    /// Goals of the cases closed in the period by their last GAS level (`-2` … `2`).
    pub gas_at_closure: Vec<Count>,
    /// Cases in scope being implemented or reviewed with a plan in force, now.
    pub reviews_monitored: Figure,
    /// Of them, those whose plan review is overdue today (the case types' review interval
    /// after the last review, or after the plan came into force).
    pub reviews_overdue: Figure,
}

/// Days between two stored instants (none when either is missing or unreadable).
pub(crate) fn days(from: &str, to: Option<&str>) -> Option<i64> {
    let (a, b) = (from_db(from)?, from_db(to?)?);
    Some((b - a).num_days().max(0))
}

/// A stage's published figures.
fn stage(name: &str, mut v: Vec<i64>) -> StageTime {
    let enough = v.len() as i64 >= SUPPRESS_BELOW;
    StageTime {
        stage: name.to_string(),
        cases: Figure::of(v.len() as i64),
        median_days: if enough { percentile(&mut v, 50) } else { None },
        p90_days: if enough { percentile(&mut v, 90) } else { None },
    }
}

/// Bangkok's day of a `YYYY-MM-DDTHH` UTC hour.
fn bangkok_day(hour: &str) -> Option<NaiveDate> {
    let at = chrono::NaiveDateTime::parse_from_str(&format!("{hour}:00"), "%Y-%m-%dT%H:%M").ok()?;
    Some(bangkok_date(at.and_utc()))
}

/// Bangkok's month (`YYYY-MM`) of a `YYYY-MM-DDTHH` UTC hour.
fn bangkok_month(hour: &str) -> Option<String> {
    Some(bangkok_day(hour)?.format("%Y-%m").to_string())
}

/// Bangkok midnight of `d`, as stored.
pub(crate) fn midnight(d: NaiveDate) -> String {
    d.and_hms_opt(0, 0, 0)
        .map(|t| to_db(t.and_utc() - Duration::hours(7)))
        .unwrap_or_default()
}

fn today_bkk() -> NaiveDate {
    bangkok_date(karuna_store::time::now())
}

/// (monitored, overdue today) from the review anchors: a case's next review is its types'
/// interval after its anchor (`domain::closure::next_review`), the anchor a review's day or
/// the plan's coming into force (an UTC hour, read as its Bangkok day).
fn overdue_reviews(
    types: &[karuna_domain::case_type::CaseType],
    anchors: &[(String, String, i64)],
    today: NaiveDate,
) -> (i64, i64) {
    let mut monitored = 0;
    let mut overdue = 0;
    for (list, anchor, n) in anchors {
        monitored += n;
        let codes: Vec<String> = list
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        let days = karuna_domain::case_type::rules_for(types, &codes).review_days;
        let day = NaiveDate::parse_from_str(anchor, "%Y-%m-%d")
            .ok()
            .or_else(|| bangkok_day(anchor));
        let due = karuna_domain::closure::next_review(day, None, days);
        if due.is_some_and(|d| d < today) {
            overdue += n;
        }
    }
    (monitored, overdue)
}

fn counts(pairs: impl IntoIterator<Item = (String, i64)>) -> Vec<Count> {
    pairs
        .into_iter()
        .map(|(key, n)| Count {
            key,
            figure: Figure::of(n),
        })
        .collect()
}

impl App {
    /// Reads a report's filters: the period (default this fiscal year), a unit of the
    /// organisation and a province; with `own_unit_only`, a supervisor's unit is always her own
    /// (another is refused). Every filter that does not read is named.
    pub(crate) async fn report_filters(
        &self,
        user: &CurrentUser,
        q: &DashboardQuery,
        own_unit_only: bool,
    ) -> Result<(Period, Option<Uuid>, Option<String>), AppError> {
        let today = bangkok_date(karuna_store::time::now());
        let mut errors = Vec::new();
        let period = match q.period.trim() {
            "" => Some(Period::FiscalYear(karuna_thai::calendar::fiscal_year_be(
                today,
            ))),
            code => Period::parse(code),
        };
        if period.is_none() {
            errors.push(karuna_domain::FieldError::new(
                "period",
                "report.period_unknown",
            ));
        }
        let asked_unit = match q.unit.trim() {
            "" => None,
            text => {
                let units = self.units(user).await?;
                match Uuid::parse_str(text)
                    .ok()
                    .filter(|u| units.iter().any(|x| x.id == *u))
                {
                    Some(u) => Some(u),
                    None => {
                        errors.push(karuna_domain::FieldError::new(
                            "unit",
                            "report.unit_unknown",
                        ));
                        None
                    }
                }
            }
        };
        let unit = if own_unit_only && user.role() == Role::Supervisor {
            if asked_unit.is_some_and(|u| Some(u) != user.actor.unit_id) {
                errors.push(karuna_domain::FieldError::new(
                    "unit",
                    "report.unit_not_yours",
                ));
            }
            user.actor.unit_id
        } else {
            asked_unit
        };
        let province = match q.province.trim() {
            "" => None,
            code if karuna_thai::address::province(code).is_some() => Some(code.to_string()),
            _ => {
                errors.push(karuna_domain::FieldError::new(
                    "province",
                    "report.province_unknown",
                ));
                None
            }
        };
        let (Some(period), true) = (period, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        Ok((period, unit, province))
    }

    /// The dashboard for `q` (see the module).
    #[tracing::instrument(skip_all)]
    pub async fn dashboard(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        q: &DashboardQuery,
    ) -> Result<Dashboard, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ViewAggregates,
            "report.dashboard",
            ("report", None),
        )
        .await?;
        let now: DateTime<Utc> = karuna_store::time::now();
        let (period, unit, province) = self.report_filters(user, q, true).await?;
        let (first, last) = period.days();
        let scope = Scope {
            org_id: user.actor.org_id,
            unit_id: unit,
            province_code: province.clone(),
        };
        let raw = store::figures(
            &self.db,
            &scope,
            &midnight(first),
            &midnight(last + Duration::days(1)),
            (
                &first.format("%Y-%m-%d").to_string(),
                &last.format("%Y-%m-%d").to_string(),
            ),
            i64::from(period.fiscal_year()),
        )
        .await?;

        let by_status = Status::ALL
            .iter()
            .map(|s| Count {
                key: s.code().to_string(),
                figure: Figure::of(
                    raw.by_status_urgency
                        .iter()
                        .filter(|(st, _, _)| st == s.code())
                        .map(|(_, _, n)| n)
                        .sum(),
                ),
            })
            .collect();
        let mut urgency: BTreeMap<String, i64> = BTreeMap::new();
        for (st, u, n) in &raw.by_status_urgency {
            if st != Status::Closed.code() {
                *urgency.entry(u.clone()).or_default() += n;
            }
        }
        let mut types: BTreeMap<String, i64> = BTreeMap::new();
        for (list, n) in &raw.open_by_type_list {
            for t in list.split(',').filter(|t| !t.is_empty()) {
                *types.entry(t.to_string()).or_default() += n;
            }
        }
        let mut months: BTreeMap<String, (i64, i64)> = period
            .months()
            .into_iter()
            .map(|m| (m.format("%Y-%m").to_string(), (0, 0)))
            .collect();
        for (hour, n) in &raw.opened_by_hour {
            if let Some(m) = bangkok_month(hour).and_then(|k| months.get_mut(&k)) {
                m.0 += n;
            }
        }
        for (hour, n) in &raw.closed_by_hour {
            if let Some(m) = bangkok_month(hour).and_then(|k| months.get_mut(&k)) {
                m.1 += n;
            }
        }
        let opened: i64 = months.values().map(|m| m.0).sum();
        let closed: i64 = months.values().map(|m| m.1).sum();
        let stages = vec![
            stage(
                "assessment",
                raw.stages_opened
                    .iter()
                    .filter_map(|s| days(&s.opened, s.assessed.as_deref()))
                    .collect(),
            ),
            stage(
                "plan",
                raw.stages_opened
                    .iter()
                    .filter_map(|s| days(s.assessed.as_deref()?, s.planned.as_deref()))
                    .collect(),
            ),
            stage(
                "closure",
                raw.closed_spans
                    .iter()
                    .filter_map(|(o, c)| days(o, Some(c)))
                    .collect(),
            ),
        ];
        let approved: i64 = raw
            .allocations
            .iter()
            .filter(|(s, _, _)| s == "approved" || s == "closed")
            .map(|(_, _, baht)| baht)
            .sum();
        let now_db = to_db(now);
        let mut waits: Vec<i64> = raw
            .waits
            .iter()
            .filter_map(|(since, decided)| days(since, Some(decided.as_deref().unwrap_or(&now_db))))
            .collect();
        let waited = waits.len() as i64;
        let (allocated, committed, disbursed) = raw.budget;
        let baht = |n: i64| karuna_domain::gatekeeping::Unit::Baht.plain(n);
        let budget = BudgetUse {
            fiscal_year: period.fiscal_year(),
            allocated: baht(allocated),
            committed: baht(committed),
            disbursed: baht(disbursed),
            balance: baht(allocated - committed - disbursed),
            used_percent: (allocated > 0).then(|| (committed + disbursed) * 100 / allocated),
        };
        let promises: Vec<(String, i64)> = karuna_domain::promise::PromiseStatus::ALL
            .iter()
            .map(|s| {
                let n = raw
                    .promises
                    .iter()
                    .filter(|(status, _, _)| status == s.code())
                    .map(|(_, _, n)| n)
                    .sum();
                (s.code().to_string(), n)
            })
            .collect();
        let kept_on_time: i64 = raw
            .promises
            .iter()
            .filter(|(s, on_time, _)| s == "kept" && *on_time)
            .map(|(_, _, n)| n)
            .sum();
        let gas_at_closure = (-2..=2)
            .map(|level| Count {
                key: level.to_string(),
                figure: Figure::of(
                    raw.gas_at_closure
                        .iter()
                        .filter(|(l, _)| *l == level)
                        .map(|(_, n)| n)
                        .sum(),
                ),
            })
            .collect();
        let (reviews_monitored, reviews_overdue) = overdue_reviews(
            &self.case_types_of(user.actor.org_id).await?,
            &raw.review_anchors,
            today_bkk(),
        );
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "report.dashboard", Outcome::Success),
                "report",
                None,
            ),
        )
        .await?;
        Ok(Dashboard {
            period: period.code(),
            from: first,
            until: last,
            unit_id: unit,
            province_code: province,
            by_status,
            by_urgency: counts(urgency),
            by_type: counts(types),
            opened: Figure::of(opened),
            closed: Figure::of(closed),
            by_month: months
                .into_iter()
                .map(|(month, (o, c))| MonthFlow {
                    month,
                    opened: Figure::of(o),
                    closed: Figure::of(c),
                })
                .collect(),
            stages,
            referrals: counts(raw.referrals),
            allocations: counts(raw.allocations.iter().map(|(s, n, _)| (s.clone(), *n))),
            approved_baht: baht(approved),
            waited: Figure::of(waited),
            wait_median_days: if waited >= SUPPRESS_BELOW {
                percentile(&mut waits, 50)
            } else {
                None
            },
            budget,
            promises: counts(promises),
            promises_kept_on_time: Figure::of(kept_on_time),
            gas_at_closure,
            reviews_monitored: Figure::of(reviews_monitored),
            reviews_overdue: Figure::of(reviews_overdue),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_under_five_cases_gives_no_duration() {
        let s = stage("closure", vec![3, 9, 1, 4]);
        assert_eq!(
            (s.cases, s.median_days, s.p90_days),
            (Figure::Suppressed, None, None)
        );
        let s = stage("closure", vec![3, 9, 1, 4, 30]);
        assert_eq!((s.median_days, s.p90_days), (Some(4), Some(30)));
    }

    #[test]
    fn a_review_is_overdue_an_interval_after_its_anchor() {
        // No configured types: the default interval of 30 days; today is 6 December.
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let anchors: Vec<(String, String, i64)> = [
            ("2026-08-01", 3),    // a review in August: overdue
            ("2026-11-20", 4),    // due 20 December
            ("2026-11-05T17", 2), // in force 00:00 on 6 November in Bangkok: due today
            ("2026-11-05T16", 1), // 23:00 on 5 November in Bangkok: due yesterday
        ]
        .into_iter()
        .map(|(a, n)| ("other".to_string(), a.to_string(), n))
        .collect();
        assert_eq!(overdue_reviews(&[], &anchors, today), (10, 4));
    }

    #[test]
    fn an_hour_late_in_the_utc_month_is_the_next_bangkok_month() {
        assert_eq!(bangkok_month("2026-10-31T18").as_deref(), Some("2026-11"));
        assert_eq!(bangkok_month("2026-10-31T16").as_deref(), Some("2026-10"));
        assert_eq!(bangkok_month("nonsense"), None);
    }
}
