//! The figures page (`/reports/cases`): case counts by status, type and month for data
//! analysts (the organisation) and supervisors (their unit), small counts shown as "<5". No
//! names, numbers or links to cases.

use super::cases::{case_type_label, label};
use super::{render, Chrome};
use crate::auth::PageUser;
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use karuna_thai::calendar;

/// One table: its heading id, the catalogue key of its heading and first column, and its rows
/// (what is counted, the published figure).
type FigureTable = (&'static str, &'static str, Vec<(String, String)>);

#[derive(Template)]
#[template(path = "reports_cases.html")]
struct FiguresPage {
    c: Chrome,
    unit: bool,
    tables: Vec<FigureTable>,
}

/// `GET /reports/cases`.
pub async fn cases(State(state): State<AppState>, u: PageUser) -> Result<Response, WebError> {
    let f = state
        .app
        .case_figures(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let types = state
        .app
        .case_types(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let month = |key: &str| {
        let (y, m) = key.split_once('-').unwrap_or((key, ""));
        match (y.parse::<i32>(), m.parse::<u32>()) {
            (Ok(y), Ok(m)) => format!(
                "{} {}",
                calendar::month_name(m, u.tr.lang).unwrap_or(""),
                calendar::format_year(y, u.tr.era, u.tr.lang)
            ),
            _ => key.to_string(),
        }
    };
    let rows = |list: &[karuna_app::report::Count], name: &dyn Fn(&str) -> String| {
        list.iter()
            .map(|c| (name(&c.key), c.figure.text()))
            .collect::<Vec<_>>()
    };
    let page = FiguresPage {
        c: Chrome::for_user(&u, "/reports/cases"),
        unit: f.scope == "unit",
        tables: vec![
            (
                "by-status",
                "reports-by-status",
                rows(&f.by_status, &|k| label(&u, "status", k)),
            ),
            (
                "by-type",
                "reports-by-type",
                rows(&f.by_type, &|k| case_type_label(&u, &types, k)),
            ),
            ("by-month", "reports-by-month", rows(&f.by_month, &month)),
        ],
    };
    Ok(render(StatusCode::OK, &page))
}
