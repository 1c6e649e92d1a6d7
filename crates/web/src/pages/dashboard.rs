//! The dashboard page (`/reports/dashboard`): filters in the URL (period, unit, province) so a
//! view can be bookmarked, and each figure as a bar chart drawn on the server in SVG with its
//! numbers in a table beside it (never a chart without its data). Small counts read "<5", in
//! the chart as in the table.

use super::cases::{case_type_label, label};
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
use karuna_app::dashboard::{Dashboard, DashboardQuery};
use karuna_app::report::Count;
use karuna_domain::report::period::Period;
use karuna_domain::report::Figure;
use karuna_thai::calendar;

/// The width of the longest bar, in SVG units.
const BAR_MAX: i64 = 240;

/// One bar: what it counts, the figure as shown, its length.
pub struct Bar {
    label: String,
    text: String,
    width: i64,
    suppressed: bool,
}

/// A figure as a chart and a table.
pub struct Chart {
    id: &'static str,
    title: String,
    column: String,
    bars: Vec<Bar>,
}

impl Chart {
    fn new(id: &'static str, title: String, column: String, rows: Vec<(String, Figure)>) -> Chart {
        let max = rows
            .iter()
            .map(|(_, f)| match f {
                Figure::Count(n) => *n,
                Figure::Suppressed => 4,
            })
            .max()
            .unwrap_or(0)
            .max(1);
        let bars = rows
            .into_iter()
            .map(|(label, f)| {
                let n = match f {
                    Figure::Count(n) => n,
                    // A suppressed count is drawn as the short bar of "<5", outlined only.
                    Figure::Suppressed => 4,
                };
                Bar {
                    label,
                    text: f.text(),
                    width: (n * BAR_MAX / max).max(if n > 0 { 2 } else { 0 }),
                    suppressed: f == Figure::Suppressed,
                }
            })
            .collect();
        Chart {
            id,
            title,
            column,
            bars,
        }
    }

    /// The SVG's height.
    fn height(&self) -> usize {
        self.bars.len() * 24 + 4
    }
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    c: Chrome,
    /// The filters shown, as a query string for the downloads.
    query: String,
    form: FormState,
    periods: Vec<Choice>,
    units: Vec<Choice>,
    provinces: Vec<Choice>,
    choose_unit: bool,
    view: Option<DashboardView>,
}

struct DashboardView {
    heading: String,
    opened: String,
    closed: String,
    charts: Vec<Chart>,
    flow: Vec<(String, String, String)>,
    stages: Vec<(String, String, String, String)>,
    approved: String,
    kept_on_time: String,
    /// Cases with a plan being followed now, and those whose review is overdue.
    reviews_monitored: String,
    reviews_overdue: String,
    waited: String,
    wait_median: String,
    budget_year: String,
    budget: Vec<(String, String)>,
}

/// A period's name in the reader's language and calendar.
pub(crate) fn period_name(u: &crate::i18n::Tr, p: Period) -> String {
    match p {
        Period::FiscalYear(y) => u.get1("gk-fiscal-year", "year", &y.to_string()),
        Period::Quarter(y, q) => u.args(
            "dash-period-quarter",
            &[("q", q.to_string()), ("year", y.to_string())],
        ),
        Period::Month(y, m) => format!(
            "{} {}",
            calendar::month_name(m, u.lang).unwrap_or(""),
            calendar::format_year(calendar::ce_year(y), u.era, u.lang)
        ),
    }
}

pub(crate) fn month_label(u: &PageUser, key: &str) -> String {
    let (y, m) = key.split_once('-').unwrap_or((key, ""));
    match (y.parse::<i32>(), m.parse::<u32>()) {
        (Ok(y), Ok(m)) => format!(
            "{} {}",
            calendar::month_name(m, u.tr.lang).unwrap_or(""),
            calendar::format_year(y, u.tr.era, u.tr.lang)
        ),
        _ => key.to_string(),
    }
}

fn days(u: &PageUser, d: Option<i64>) -> String {
    match d {
        Some(n) => u.tr.get1("dash-days", "n", &n.to_string()),
        None => u.tr.get("dash-too-few"),
    }
}

async fn view(state: &AppState, u: &PageUser, d: &Dashboard) -> Result<DashboardView, WebError> {
    let types = state
        .app
        .case_types(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let cases = u.tr.get("reports-cases");
    let rows = |list: &[Count], name: &dyn Fn(&str) -> String| {
        list.iter()
            .map(|c| (name(&c.key), c.figure))
            .collect::<Vec<_>>()
    };
    let period = Period::parse(&d.period)
        .map(|p| period_name(&u.tr, p))
        .unwrap_or_default();
    let heading = format!(
        "{period} · {} – {}",
        u.tr.date(&d.from),
        u.tr.date(&d.until)
    );
    let charts = vec![
        Chart::new(
            "by-status",
            u.tr.get("dash-by-status"),
            cases.clone(),
            rows(&d.by_status, &|k| label(u, "status", k)),
        ),
        Chart::new(
            "by-urgency",
            u.tr.get("dash-by-urgency"),
            cases.clone(),
            rows(&d.by_urgency, &|k| label(u, "urgency", k)),
        ),
        Chart::new(
            "by-type",
            u.tr.get("dash-by-type"),
            cases.clone(),
            rows(&d.by_type, &|k| case_type_label(u, &types, k)),
        ),
        Chart::new(
            "opened-by-month",
            u.tr.get("dash-opened-by-month"),
            cases.clone(),
            d.by_month
                .iter()
                .map(|m| (month_label(u, &m.month), m.opened))
                .collect(),
        ),
        Chart::new(
            "promises",
            u.tr.get("dash-promises"),
            u.tr.get("dash-promises-col"),
            rows(&d.promises, &|k| label(u, "promise-status", k)),
        ),
        Chart::new(
            "gas-at-closure",
            u.tr.get("dash-gas"),
            u.tr.get("dash-gas-col"),
            d.gas_at_closure
                .iter()
                .map(|c| {
                    let index = c.key.parse::<i64>().map(|l| l + 2).unwrap_or(2);
                    (
                        format!("{} ({})", u.tr.get(&format!("gas-level-{index}")), c.key),
                        c.figure,
                    )
                })
                .collect(),
        ),
        Chart::new(
            "referrals",
            u.tr.get("dash-referrals"),
            u.tr.get("dash-referrals-col"),
            rows(&d.referrals, &|k| label(u, "referral-status", k)),
        ),
        Chart::new(
            "allocations",
            u.tr.get("dash-allocations"),
            u.tr.get("dash-allocations-col"),
            rows(&d.allocations, &|k| label(u, "gk-request-status", k)),
        ),
    ];
    let baht = |s: &str| {
        u.tr.get1("gk-amount-baht", "n", &karuna_thai::number::group(s))
    };
    Ok(DashboardView {
        heading,
        opened: d.opened.text(),
        closed: d.closed.text(),
        charts,
        flow: d
            .by_month
            .iter()
            .map(|m| (month_label(u, &m.month), m.opened.text(), m.closed.text()))
            .collect(),
        stages: d
            .stages
            .iter()
            .map(|s| {
                (
                    label(u, "dash-stage", &s.stage),
                    s.cases.text(),
                    days(u, s.median_days),
                    days(u, s.p90_days),
                )
            })
            .collect(),
        approved: baht(&d.approved_baht),
        kept_on_time: d.promises_kept_on_time.text(),
        reviews_monitored: d.reviews_monitored.text(),
        reviews_overdue: d.reviews_overdue.text(),
        waited: d.waited.text(),
        wait_median: days(u, d.wait_median_days),
        budget_year: u
            .tr
            .get1("gk-fiscal-year", "year", &d.budget.fiscal_year.to_string()),
        budget: vec![
            (u.tr.get("gk-allocated"), baht(&d.budget.allocated)),
            (u.tr.get("gk-committed"), baht(&d.budget.committed)),
            (u.tr.get("gk-disbursed"), baht(&d.budget.disbursed)),
            (u.tr.get("gk-balance"), baht(&d.budget.balance)),
            (
                u.tr.get("dash-budget-used"),
                d.budget
                    .used_percent
                    .map(|p| format!("{p}%"))
                    .unwrap_or_else(|| "—".into()),
            ),
        ],
    })
}

/// Whether the reader chooses a unit for her figures (a supervisor sees her own unit's only),
/// and the units she may choose.
pub(crate) async fn unit_choices(
    state: &AppState,
    u: &PageUser,
) -> Result<(bool, Vec<Choice>), WebError> {
    if u.user.role() == karuna_domain::access::Role::Supervisor {
        return Ok((false, Vec::new()));
    }
    let units = state
        .app
        .units(&u.user)
        .await
        .map_err(|e| u.err(e))?
        .into_iter()
        .map(|x| Choice {
            value: x.id.to_string(),
            label: x.name,
        })
        .collect();
    Ok((true, units))
}

/// `GET /reports/dashboard?period=&unit=&province=`.
pub async fn dashboard(
    State(state): State<AppState>,
    u: PageUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    respond(&state, &u, raw, None).await
}

/// `GET /reports/dashboard.csv?…`: the same figures, with the same filters, as CSV.
pub async fn export_csv(
    State(state): State<AppState>,
    u: PageUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    respond(&state, &u, raw, Some(Download::Csv)).await
}

/// `GET /reports/dashboard.xlsx?…`: the same figures, with the same filters, as XLSX.
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
    // A query that does not read (a filter given twice) is refused like a wrong value, on the
    // page, but with 400.
    let parsed = crate::api::extract::parse_query::<DashboardQuery>(raw.as_deref().unwrap_or(""));
    let unreadable = parsed.is_err();
    let (q, result) = match parsed {
        Ok(q) => {
            let r = state.app.dashboard(&u.user, &u.ctx, &q).await;
            (q, r)
        }
        Err(field) => (
            DashboardQuery::default(),
            Err(karuna_app::AppError::Invalid(vec![field])),
        ),
    };
    let today = calendar::bangkok_date(karuna_store::time::now());
    let (choose_unit, units) = unit_choices(state, u).await?;
    let provinces = super::resources::province_choices(u);
    let (status, view, form) = match result {
        Ok(d) => {
            let form = FormState::from_pairs(&[
                ("period".into(), d.period.clone()),
                ("unit".into(), q.unit.trim().to_string()),
                (
                    "province".into(),
                    d.province_code.clone().unwrap_or_default(),
                ),
            ]);
            let v = view(state, u, &d).await?;
            if let Some(kind) = download {
                return file(u, &v, kind);
            }
            (StatusCode::OK, Some(v), form)
        }
        Err(e @ karuna_app::AppError::Invalid(_)) => {
            let (status, fields) = refusal(u, e);
            let form = FormState::from_pairs(&[
                ("period".into(), q.period.clone()),
                ("unit".into(), q.unit.clone()),
                ("province".into(), q.province.clone()),
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
        .append_pair("period", form.value("period"))
        .append_pair("unit", form.value("unit"))
        .append_pair("province", form.value("province"))
        .finish();
    let page = DashboardPage {
        c: Chrome::for_user(u, "/reports/dashboard"),
        query,
        form,
        periods: Period::choices(today)
            .into_iter()
            .map(|p| Choice {
                value: p.code(),
                label: period_name(&u.tr, p),
            })
            .collect(),
        units,
        provinces,
        choose_unit,
        view,
    };
    Ok(render(status, &page))
}

impl DashboardView {
    /// Its figures as rows of (section, item, figure as shown): what the downloads hold.
    fn rows(&self, u: &PageUser) -> Vec<[String; 3]> {
        let mut out = Vec::new();
        let mut push =
            |a: &str, b: &str, c: &str| out.push([a.to_string(), b.to_string(), c.to_string()]);
        push(&u.tr.get("dash-period"), &self.heading, "");
        push(&self.heading, &u.tr.get("dash-opened"), &self.opened);
        push(&self.heading, &u.tr.get("dash-closed"), &self.closed);
        for ch in &self.charts {
            for b in &ch.bars {
                push(&ch.title, &b.label, &b.text);
            }
        }
        let closed = u.tr.get("dash-closed");
        let flow = u.tr.get("dash-flow");
        for (month, _, c) in &self.flow {
            push(&flow, &format!("{month} · {closed}"), c);
        }
        let stages = u.tr.get("dash-stages");
        for (stage, n, med, p90) in &self.stages {
            push(
                &stages,
                &format!("{stage} · {}", u.tr.get("reports-cases")),
                n,
            );
            push(
                &stages,
                &format!("{stage} · {}", u.tr.get("dash-median")),
                med,
            );
            push(&stages, &format!("{stage} · {}", u.tr.get("dash-p90")), p90);
        }
        push(
            &u.tr.get("dash-promises"),
            &u.tr.get("dash-kept-on-time"),
            &self.kept_on_time,
        );
        let reviews = u.tr.get("dash-reviews");
        push(
            &reviews,
            &u.tr.get("dash-reviews-monitored"),
            &self.reviews_monitored,
        );
        push(
            &reviews,
            &u.tr.get("dash-reviews-overdue"),
            &self.reviews_overdue,
        );
        let res = u.tr.get("dash-resources");
        push(&res, &u.tr.get("dash-approved-baht"), &self.approved);
        push(&res, &u.tr.get("dash-waited"), &self.waited);
        push(&res, &u.tr.get("dash-wait-median"), &self.wait_median);
        let budget = format!("{} · {}", u.tr.get("dash-budget"), self.budget_year);
        for (k, v) in &self.budget {
            push(&budget, k, v);
        }
        out
    }
}

/// The dashboard's rows as a download.
fn file(u: &PageUser, v: &DashboardView, kind: Download) -> Result<Response, WebError> {
    let table = Table {
        file: "karuna-dashboard",
        sheet: u.tr.get("dash-title"),
        head: vec![
            (u.tr.get("dash-export-section"), 44.0),
            (u.tr.get("dash-export-item"), 44.0),
            (u.tr.get("dash-export-figure"), 16.0),
        ],
        rows: v
            .rows(u)
            .into_iter()
            .map(|[a, b, c]| vec![Cell::Text(a), Cell::Text(b), Cell::figure(&c)])
            .collect(),
    };
    super::table_export::respond(u, &table, kind)
}
