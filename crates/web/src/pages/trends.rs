//! The trends page (`/reports/trends`): new cases month by month with the months ahead
//! forecast, filters in the URL (unit, case type, horizon). The chart is drawn on the server in
//! SVG — the history as a line, the forecast dashed inside its prediction interval — with every
//! number in the tables beside it; the backtest says in words whether the forecast beat the
//! seasonal-naive one on this history. Small counts read "<5" and are drawn at 4.

use super::cases::{case_type_choices, case_type_label};
use super::dashboard::{month_label, unit_choices};
use super::table_export::{Cell, Download, Table};
use super::users::Choice;
use super::{refusal, render, Chrome, FormState};
use crate::auth::PageUser;
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use karuna_app::trends::{NewCaseForecast, TrendsQuery, Unavailable};
use karuna_domain::report::forecast::HORIZONS;
use karuna_domain::report::Figure;

/// The chart's drawing area, in SVG units.
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 44.0;
const TOP: f64 = 12.0;
/// Percentage points of backtest coverage under the interval's level that earn a warning.
const NARROW_BY: i64 = 15;
/// History months drawn at the most (the tables hold them all).
const DRAWN_HISTORY: usize = 36;

/// A tick on an axis: where, and what it reads.
pub struct Tick {
    at: f64,
    text: String,
    /// `start`, `middle` or `end`: the first and last labels stay inside the chart.
    anchor: &'static str,
}

/// The chart, its coordinates computed here.
pub struct LineChart {
    history: String,
    forecast: String,
    band: String,
    /// The x of the first forecast month (the dividing line).
    split: f64,
    y_ticks: Vec<Tick>,
    x_ticks: Vec<Tick>,
    /// Suppressed months' points, drawn hollow.
    hollow: Vec<(f64, f64)>,
}

impl LineChart {
    fn new(u: &PageUser, f: &NewCaseForecast) -> LineChart {
        let start = f.history.len().saturating_sub(DRAWN_HISTORY);
        let history: Vec<(&str, f64, bool)> = f.history[start..]
            .iter()
            .map(|m| match m.cases {
                Figure::Count(n) => (m.month.as_str(), n as f64, false),
                Figure::Suppressed => (m.month.as_str(), 4.0, true),
            })
            .collect();
        let months = history.len() + f.forecast.len();
        let top = history
            .iter()
            .map(|h| h.1)
            .chain(f.forecast.iter().map(|m| m.upper))
            .fold(1.0_f64, f64::max);
        let top = nice_ceiling(top);
        let x = |i: usize| LEFT + i as f64 * (WIDTH - LEFT - 8.0) / (months.max(2) - 1) as f64;
        let y = |v: f64| TOP + (HEIGHT - TOP) * (1.0 - v / top);
        let points = |pts: &mut dyn Iterator<Item = (f64, f64)>| {
            pts.map(|(a, b)| format!("{a:.1},{b:.1}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let last = history.len().saturating_sub(1);
        let joined = history.last().map(|h| (x(last), y(h.1)));
        let ahead = |k: usize| x(history.len() + k);
        let forecast = points(
            &mut joined.into_iter().chain(
                f.forecast
                    .iter()
                    .enumerate()
                    .map(|(k, m)| (ahead(k), y(m.expected))),
            ),
        );
        let band = points(
            &mut f
                .forecast
                .iter()
                .enumerate()
                .map(|(k, m)| (ahead(k), y(m.upper)))
                .chain(
                    f.forecast
                        .iter()
                        .enumerate()
                        .rev()
                        .map(|(k, m)| (ahead(k), y(m.lower))),
                ),
        );
        let mut x_ticks = Vec::new();
        if let Some(h) = history.first() {
            x_ticks.push(Tick {
                at: x(0),
                text: month_label(u, h.0),
                anchor: "start",
            });
        }
        if let (Some(first), Some(end)) = (f.forecast.first(), f.forecast.last()) {
            x_ticks.push(Tick {
                at: ahead(0),
                text: month_label(u, &first.month),
                anchor: "middle",
            });
            // The last month's label only where it does not run into the first forecast's.
            let at = ahead(f.forecast.len() - 1);
            if at - ahead(0) > 150.0 {
                x_ticks.push(Tick {
                    at,
                    text: month_label(u, &end.month),
                    anchor: "end",
                });
            }
        } else if let Some(h) = history.last() {
            x_ticks.push(Tick {
                at: x(last),
                text: month_label(u, h.0),
                anchor: "end",
            });
        }
        LineChart {
            history: points(&mut history.iter().enumerate().map(|(i, h)| (x(i), y(h.1)))),
            forecast,
            band,
            split: ahead(0),
            y_ticks: [0.0, top / 2.0, top]
                .into_iter()
                .map(|v| Tick {
                    at: y(v),
                    text: number(v),
                    anchor: "end",
                })
                .collect(),
            x_ticks,
            hollow: history
                .iter()
                .enumerate()
                .filter(|(_, h)| h.2)
                .map(|(i, h)| (x(i), y(h.1)))
                .collect(),
        }
    }
}

/// The smallest of 1, 2 or 5 times a power of ten that is at least `v`.
fn nice_ceiling(v: f64) -> f64 {
    let mut step = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if m * step >= v {
                return m * step;
            }
        }
        step *= 10.0;
    }
}

/// A forecast figure as shown: one decimal, thousands grouped.
fn number(v: f64) -> String {
    let text = format!("{v:.1}");
    karuna_thai::number::group(text.strip_suffix(".0").unwrap_or(&text))
}

#[derive(Template)]
#[template(path = "trends.html")]
struct TrendsPage {
    c: Chrome,
    query: String,
    form: FormState,
    units: Vec<Choice>,
    types: Vec<Choice>,
    horizons: Vec<Choice>,
    choose_unit: bool,
    view: Option<TrendsView>,
}

struct TrendsView {
    heading: String,
    /// Why there is no forecast, in words.
    unavailable: Option<String>,
    chart: Option<LineChart>,
    /// (month, expected, interval).
    ahead: Vec<(String, String, String)>,
    level: String,
    backtest: Option<BacktestView>,
    history: Vec<(String, String)>,
}

struct BacktestView {
    verdict: String,
    /// A warning when the interval held the real counts much less often than its level says.
    narrow: Option<String>,
    figures: Vec<(String, String)>,
    /// (month, actual, forecast with interval, seasonal naive).
    months: Vec<(String, String, String, String)>,
}

fn mase(v: Option<f64>) -> String {
    v.map(|m| format!("{m:.2}")).unwrap_or_else(|| "—".into())
}

async fn view(state: &AppState, u: &PageUser, f: &NewCaseForecast) -> Result<TrendsView, WebError> {
    let types = state
        .app
        .case_types(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let scope = match f.unit_id {
        Some(id) => state
            .app
            .units(&u.user)
            .await
            .map_err(|e| u.err(e))?
            .into_iter()
            .find(|x| x.id == id)
            .map(|x| x.name)
            .unwrap_or_default(),
        None => u.tr.get("dash-all-units"),
    };
    let kind = match &f.case_type {
        Some(code) => case_type_label(u, &types, code),
        None => u.tr.get("trends-all-types"),
    };
    let interval = |lo: f64, hi: f64| format!("{} – {}", number(lo), number(hi));
    let unavailable = f.unavailable.map(|why| match why {
        Unavailable::TooShort => u.tr.args(
            "trends-too-short",
            &[
                ("have", f.history.len().to_string()),
                ("need", f.months_needed.to_string()),
            ],
        ),
        Unavailable::NoFit => u.tr.get("trends-no-fit"),
    });
    let backtest = f.backtest.as_ref().map(|b| {
        let verdict = match (b.mase, b.seasonal_naive_mase) {
            (Some(m), Some(s)) if m < s => "trends-verdict-better",
            (Some(_), Some(_)) => "trends-verdict-not-better",
            _ => "trends-verdict-none",
        };
        BacktestView {
            verdict: u.tr.get(verdict),
            narrow: (b.coverage_percent + NARROW_BY < f.level_percent).then(|| {
                u.tr.args(
                    "trends-coverage-low",
                    &[
                        ("coverage", b.coverage_percent.to_string()),
                        ("level", f.level_percent.to_string()),
                    ],
                )
            }),
            figures: vec![
                (u.tr.get("trends-mase-model"), mase(b.mase)),
                (u.tr.get("trends-mase-naive"), mase(b.seasonal_naive_mase)),
                (
                    u.tr.get("trends-coverage"),
                    format!("{}%", b.coverage_percent),
                ),
                (u.tr.get("trends-origins"), b.origins.to_string()),
            ],
            months: b
                .months
                .iter()
                .map(|m| {
                    (
                        month_label(u, &m.month),
                        m.actual.text(),
                        format!("{} ({})", number(m.forecast), interval(m.lower, m.upper)),
                        number(m.seasonal_naive),
                    )
                })
                .collect(),
        }
    });
    Ok(TrendsView {
        heading: format!("{scope} · {kind}"),
        unavailable,
        chart: (!f.history.is_empty()).then(|| LineChart::new(u, f)),
        ahead: f
            .forecast
            .iter()
            .map(|m| {
                (
                    month_label(u, &m.month),
                    number(m.expected),
                    interval(m.lower, m.upper),
                )
            })
            .collect(),
        level: u
            .tr
            .get1("trends-interval", "level", &f.level_percent.to_string()),
        backtest,
        history: f
            .history
            .iter()
            .rev()
            .map(|m| (month_label(u, &m.month), m.cases.text()))
            .collect(),
    })
}

/// `GET /reports/trends?unit=&case_type=&horizon=`.
pub async fn trends(
    State(state): State<AppState>,
    u: PageUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    respond(&state, &u, raw, None).await
}

/// `GET /reports/trends.csv?…`: the same figures as CSV.
pub async fn export_csv(
    State(state): State<AppState>,
    u: PageUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    respond(&state, &u, raw, Some(Download::Csv)).await
}

/// `GET /reports/trends.xlsx?…`: the same figures as XLSX.
pub async fn export_xlsx(
    State(state): State<AppState>,
    u: PageUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    respond(&state, &u, raw, Some(Download::Xlsx)).await
}

/// The page, or the file when its filters read; a filter that does not read gives the page
/// with its message either way.
async fn respond(
    state: &AppState,
    u: &PageUser,
    raw: Option<String>,
    download: Option<Download>,
) -> Result<Response, WebError> {
    let parsed = crate::api::extract::parse_query::<TrendsQuery>(raw.as_deref().unwrap_or(""));
    let unreadable = parsed.is_err();
    let (q, result) = match parsed {
        Ok(q) => {
            let r = state.app.new_case_forecast(&u.user, &u.ctx, &q).await;
            (q, r)
        }
        Err(field) => (
            TrendsQuery::default(),
            Err(karuna_app::AppError::Invalid(vec![field])),
        ),
    };
    let (choose_unit, units) = unit_choices(state, u).await?;
    let types = state
        .app
        .case_types(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let (status, view, form) = match result {
        Ok(f) => {
            let form = FormState::from_pairs(&[
                ("unit".into(), q.unit.trim().to_string()),
                ("case_type".into(), f.case_type.clone().unwrap_or_default()),
                ("horizon".into(), f.horizon.to_string()),
            ]);
            let v = view(state, u, &f).await?;
            if let Some(kind) = download {
                return file(u, &v, kind);
            }
            (StatusCode::OK, Some(v), form)
        }
        Err(e @ karuna_app::AppError::Invalid(_)) => {
            let (status, fields) = refusal(u, e);
            let form = FormState::from_pairs(&[
                ("unit".into(), q.unit.clone()),
                ("case_type".into(), q.case_type.clone()),
                ("horizon".into(), q.horizon.clone()),
            ])
            .errors(fields);
            let status = if unreadable {
                StatusCode::BAD_REQUEST
            } else {
                status
            };
            (status, None, form)
        }
        Err(e) => return Err(u.err(e)),
    };
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("unit", form.value("unit"))
        .append_pair("case_type", form.value("case_type"))
        .append_pair("horizon", form.value("horizon"))
        .finish();
    let page = TrendsPage {
        c: Chrome::for_user(u, "/reports/trends"),
        query,
        form,
        units,
        types: case_type_choices(u, &types, false),
        horizons: HORIZONS
            .map(|h| Choice {
                value: h.to_string(),
                label: u.tr.get1("trends-months", "n", &h.to_string()),
            })
            .collect(),
        choose_unit,
        view,
    };
    Ok(render(status, &page))
}

/// The page's figures as (section, month, value, interval) rows.
fn file(u: &PageUser, v: &TrendsView, kind: Download) -> Result<Response, WebError> {
    let mut rows = Vec::new();
    let history = u.tr.get("trends-history");
    for (month, n) in v.history.iter().rev() {
        rows.push(vec![
            Cell::Text(history.clone()),
            Cell::Text(month.clone()),
            Cell::figure(n),
            Cell::Text(String::new()),
        ]);
    }
    let ahead = u.tr.get("trends-ahead");
    for (month, expected, interval) in &v.ahead {
        rows.push(vec![
            Cell::Text(ahead.clone()),
            Cell::Text(month.clone()),
            Cell::Text(expected.clone()),
            Cell::Text(interval.clone()),
        ]);
    }
    if let Some(b) = &v.backtest {
        let section = u.tr.get("trends-backtest");
        for (name, value) in &b.figures {
            rows.push(vec![
                Cell::Text(section.clone()),
                Cell::Text(name.clone()),
                Cell::Text(value.clone()),
                Cell::Text(String::new()),
            ]);
        }
    }
    let table = Table {
        file: "karuna-trends",
        sheet: u.tr.get("trends-title"),
        head: vec![
            (u.tr.get("dash-export-section"), 30.0),
            (u.tr.get("gk-month"), 24.0),
            (u.tr.get("trends-col-cases"), 16.0),
            (v.level.clone(), 20.0),
        ],
        rows,
    };
    super::table_export::respond(u, &table, kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_ends_at_a_round_number() {
        assert_eq!(nice_ceiling(0.4), 1.0);
        assert_eq!(nice_ceiling(7.0), 10.0);
        assert_eq!(nice_ceiling(13.0), 20.0);
        assert_eq!(nice_ceiling(420.0), 500.0);
    }

    #[test]
    fn a_figure_drops_a_trailing_zero_decimal() {
        assert_eq!(number(12.0), "12");
        assert_eq!(number(1234.5), "1,234.5");
    }
}
