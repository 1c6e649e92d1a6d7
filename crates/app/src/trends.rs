//! Trends and forecasts (`Action::ViewAggregates`): the cases opened month by month in a scope
//! (the organisation or one unit, every case type or one), the next three to six months
//! forecast with a prediction interval for staffing and budget planning, and beside it how the
//! same method would have done on the scope's own history against the seasonal-naive forecast
//! (`domain::report::forecast`). Aggregates only: each month's count is published through
//! `Figure` (1–4 read "<5"); the model learns from the counts as they are. A data analyst
//! chooses any unit; a supervisor sees her own unit's only.

use crate::dashboard::{midnight, DashboardQuery};
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{Datelike, Months, NaiveDate};
use karuna_domain::access::Action;
use karuna_domain::audit::Outcome;
use karuna_domain::report::forecast::{self, ForecastError, HORIZONS, LEVEL};
use karuna_domain::report::Figure;
use karuna_domain::FieldError;
use karuna_store::audit;
use karuna_store::dashboard::Scope;
use karuna_store::trends::Month;
use karuna_thai::calendar::bangkok_date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Months of history read at the most: five years.
pub const HISTORY_MONTHS: u32 = 60;

/// The forecast's filters as they come in a URL; empty means the default.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct TrendsQuery {
    /// One unit's cases (its id); analysts only, a supervisor always sees her own unit.
    pub unit: String,
    /// One case type's cases (its code); default: every type.
    pub case_type: String,
    /// Months to forecast, 3 to 6; default 6.
    pub horizon: String,
}

/// Cases opened in one month.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthCount {
    /// The month, `YYYY-MM` (CE, Bangkok time).
    pub month: String,
    /// Opened.
    pub cases: Figure,
}

/// One month forecast.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthForecast {
    /// The month, `YYYY-MM` (CE, Bangkok time).
    pub month: String,
    /// Expected new cases (one decimal).
    pub expected: f64,
    /// The prediction interval's lower bound.
    pub lower: f64,
    /// Its upper bound.
    pub upper: f64,
}

/// One month of the backtest's last origin: forecast from the history before it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BacktestMonth {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// What happened.
    pub actual: Figure,
    /// The model's forecast.
    pub forecast: f64,
    /// Its interval's lower bound.
    pub lower: f64,
    /// Its upper bound.
    pub upper: f64,
    /// The seasonal-naive forecast (the same month a year before).
    pub seasonal_naive: f64,
}

/// How the method would have done on the history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BacktestSummary {
    /// Origins the history was cut at (the latest months that leave two years to learn from).
    pub origins: i64,
    /// The model's mean absolute scaled error (under 1 beats a seasonal-naive forecast within
    /// the training months); none when the history repeats exactly every year.
    pub mase: Option<f64>,
    /// The seasonal-naive forecast's MASE on the same months.
    pub seasonal_naive_mase: Option<f64>,
    /// Share of the months inside the model's interval, in percent.
    pub coverage_percent: i64,
    /// The latest months, forecast from the history before them.
    pub months: Vec<BacktestMonth>,
}

/// Why a scope has no forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unavailable {
    /// Fewer months since the first case than the forecast and its backtest need.
    TooShort,
    /// The model could not be fitted to this history.
    NoFit,
}

/// New cases month by month, and the months ahead.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NewCaseForecast {
    /// The unit shown (none: the whole organisation).
    pub unit_id: Option<Uuid>,
    /// The case type shown (none: every type).
    pub case_type: Option<String>,
    /// Months forecast.
    pub horizon: i64,
    /// The prediction interval's level, in percent.
    pub level_percent: i64,
    /// Months of history the forecast needs.
    pub months_needed: i64,
    /// The months from the first case in scope (at most five years back) to the last complete
    /// month.
    pub history: Vec<MonthCount>,
    /// The months ahead (empty when unavailable).
    pub forecast: Vec<MonthForecast>,
    /// The backtest (none when unavailable).
    pub backtest: Option<BacktestSummary>,
    /// Why there is no forecast.
    pub unavailable: Option<Unavailable>,
}

fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The `n` Bangkok months from `first` (a month's first day), with their stored bounds.
fn months_from(first: NaiveDate, n: u32) -> Vec<Month> {
    (0..n)
        .filter_map(|i| {
            let start = first.checked_add_months(Months::new(i))?;
            let next = start.checked_add_months(Months::new(1))?;
            Some(Month {
                key: start.format("%Y-%m").to_string(),
                from: midnight(start),
                until: midnight(next),
            })
        })
        .collect()
}

/// The series without the months before the first opened case.
fn from_first_case(counts: Vec<(String, i64)>) -> Vec<(String, i64)> {
    counts.into_iter().skip_while(|(_, n)| *n == 0).collect()
}

impl App {
    /// Reads the filters: the unit as the dashboard reads it, a case type of the organisation
    /// and a horizon of 3–6 months. Every filter that does not read is named.
    async fn trends_filters(
        &self,
        user: &CurrentUser,
        q: &TrendsQuery,
    ) -> Result<(Option<Uuid>, Option<String>, usize), AppError> {
        let as_dashboard = DashboardQuery {
            unit: q.unit.clone(),
            ..DashboardQuery::default()
        };
        let mut errors = Vec::new();
        let unit = match self.report_filters(user, &as_dashboard, true).await {
            Ok((_, unit, _)) => unit,
            Err(AppError::Invalid(e)) => {
                errors.extend(e);
                None
            }
            Err(e) => return Err(e),
        };
        let case_type = match q.case_type.trim() {
            "" => None,
            code => {
                let types = self.case_types_of(user.actor.org_id).await?;
                if !types.iter().any(|t| t.code == code) {
                    errors.push(FieldError::new("case_type", "trends.case_type_unknown"));
                }
                Some(code.to_string())
            }
        };
        let horizon = match q.horizon.trim() {
            "" => Some(*HORIZONS.end()),
            text => text.parse::<usize>().ok().filter(|h| HORIZONS.contains(h)),
        };
        if horizon.is_none() {
            errors.push(FieldError::new("horizon", "trends.horizon_range"));
        }
        match (horizon, errors.is_empty()) {
            (Some(h), true) => Ok((unit, case_type, h)),
            _ => Err(AppError::Invalid(errors)),
        }
    }

    /// New cases month by month in the scope of `q`, forecast (see the module).
    #[tracing::instrument(skip_all)]
    pub async fn new_case_forecast(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        q: &TrendsQuery,
    ) -> Result<NewCaseForecast, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ViewAggregates,
            "report.trends",
            ("report", None),
        )
        .await?;
        let (unit, case_type, horizon) = self.trends_filters(user, q).await?;
        let today = bangkok_date(karuna_store::time::now());
        let this_month = today.with_day(1).unwrap_or(today);
        let first = this_month
            .checked_sub_months(Months::new(HISTORY_MONTHS))
            .unwrap_or(this_month);
        let scope = Scope {
            org_id: user.actor.org_id,
            unit_id: unit,
            province_code: None,
        };
        let series = from_first_case(
            karuna_store::trends::opened_by_month(
                &self.db,
                &scope,
                case_type.as_deref(),
                &months_from(first, HISTORY_MONTHS),
            )
            .await?,
        );
        let counts: Vec<f64> = series.iter().map(|(_, n)| *n as f64).collect();
        let mut out = NewCaseForecast {
            unit_id: unit,
            case_type,
            horizon: horizon as i64,
            level_percent: (LEVEL * 100.0).round() as i64,
            months_needed: forecast::months_needed(horizon) as i64,
            history: series
                .iter()
                .map(|(month, n)| MonthCount {
                    month: month.clone(),
                    cases: Figure::of(*n),
                })
                .collect(),
            forecast: Vec::new(),
            backtest: None,
            unavailable: None,
        };
        // About 20 ms of arithmetic (seven fits) in a release build: off the async workers.
        let fitted = tokio::task::spawn_blocking(move || forecast::forecast(&counts, horizon))
            .await
            .map_err(|e| AppError::Internal(format!("forecast task: {e}")))?;
        match fitted {
            Ok((band, bt)) => {
                let ahead = months_from(this_month, horizon as u32)
                    .into_iter()
                    .map(|m| m.key);
                out.forecast = ahead
                    .into_iter()
                    .enumerate()
                    .map(|(k, month)| MonthForecast {
                        month,
                        expected: one_decimal(band.point[k]),
                        lower: one_decimal(band.lower[k]),
                        upper: one_decimal(band.upper[k]),
                    })
                    .collect();
                let held_out = &series[series.len() - bt.last.len()..];
                out.backtest = Some(BacktestSummary {
                    origins: bt.origins as i64,
                    mase: bt.mase.map(|m| (m * 100.0).round() / 100.0),
                    seasonal_naive_mase: bt
                        .seasonal_naive_mase
                        .map(|m| (m * 100.0).round() / 100.0),
                    coverage_percent: (bt.coverage * 100.0).round() as i64,
                    months: held_out
                        .iter()
                        .zip(&bt.last)
                        .map(|((month, n), c)| BacktestMonth {
                            month: month.clone(),
                            actual: Figure::of(*n),
                            forecast: one_decimal(c.model),
                            lower: one_decimal(c.lower),
                            upper: one_decimal(c.upper),
                            seasonal_naive: one_decimal(c.seasonal_naive),
                        })
                        .collect(),
                });
            }
            Err(ForecastError::TooShort { .. }) => out.unavailable = Some(Unavailable::TooShort),
            Err(ForecastError::Fit(e)) => {
                tracing::warn!(error = %e, "new-case forecast could not be fitted");
                out.unavailable = Some(Unavailable::NoFit);
            }
            // The horizon was read within range above.
            Err(ForecastError::Horizon(_)) => out.unavailable = Some(Unavailable::NoFit),
        }
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "report.trends", Outcome::Success),
                "report",
                None,
            ),
        )
        .await?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_run_between_bangkok_midnights_and_start_with_the_first_case() {
        let first = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let months = months_from(first, 2);
        assert_eq!(months[0].key, "2026-01");
        // Bangkok's midnight is 17:00 UTC the day before.
        assert!(
            months[0].from.starts_with("2025-12-31T17:00"),
            "{:?}",
            months[0]
        );
        assert_eq!(months[0].until, months[1].from);
        assert_eq!(months[1].key, "2026-02");
        let counts = vec![
            ("2026-01".to_string(), 0),
            ("2026-02".to_string(), 3),
            ("2026-03".to_string(), 0),
        ];
        assert_eq!(
            from_first_case(counts),
            vec![("2026-02".to_string(), 3), ("2026-03".to_string(), 0)]
        );
    }
}
