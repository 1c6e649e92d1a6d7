//! Completed assessments of one template key on a case side by side, with an inline SVG bar
//! chart of the domain scores (classes for colours: the CSP allows no inline styles).

use super::case_header::CaseHeader;
use super::{render, Chrome};
use crate::auth::PageUser;
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use karuna_app::assessment::ComparedDomain;
use karuna_app::AppError;
use serde::Deserialize;
use uuid::Uuid;

/// Which template key to compare.
#[derive(Debug, Deserialize, Default)]
pub struct CompareQuery {
    /// Template key.
    #[serde(default)]
    pub template_key: String,
}

/// One bar of the chart.
struct Bar {
    x: i64,
    y: i64,
    width: i64,
    class: String,
    label: String,
}

#[derive(Template)]
#[template(path = "assessment_compare.html")]
struct ComparePage {
    c: Chrome,
    head: CaseHeader,
    case_id: Uuid,
    title: String,
    columns: Vec<String>,
    rows: Vec<(String, Vec<String>)>,
    bars: Vec<Bar>,
    labels: Vec<(i64, String)>,
    height: i64,
}

/// `GET /cases/{id}/assessments/compare?template_key=`: side by side, with a bar chart.
pub async fn compare(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<CompareQuery>,
) -> Result<Response, WebError> {
    let id = Uuid::parse_str(&id).map_err(|_| u.err(AppError::NotFound))?;
    let cmp = state
        .app
        .compare_assessments(&u.user, &u.ctx, id, &q.template_key)
        .await
        .map_err(|e| u.err(e))?;
    let lang = u.tr.lang_code();
    let columns: Vec<String> = cmp
        .assessments
        .iter()
        .map(|a| {
            a.completed_at
                .map(|t| u.tr.date(&karuna_thai::calendar::bangkok_date(t)))
                .unwrap_or_default()
        })
        .collect();
    let (mut rows, mut bars, mut labels) = (Vec::new(), Vec::new(), Vec::new());
    let per = cmp.assessments.len() as i64;
    let mut y = 0;
    for ComparedDomain { code, title } in &cmp.domains {
        labels.push((y + 12, title.get(lang).to_string()));
        let mut cells = Vec::new();
        for (i, a) in cmp.assessments.iter().enumerate() {
            let d = a.scores.domains.iter().find(|d| &d.code == code);
            cells.push(
                d.map(|d| format!("{} / {}", d.score, d.max))
                    .unwrap_or_default(),
            );
            let (score, max) = d.map(|d| (d.score, d.max.max(1))).unwrap_or((0, 1));
            bars.push(Bar {
                x: 200,
                y: y + 18 + 10 * i as i64,
                width: (score.max(0) * 300 / max).max(1),
                class: format!("bar bar-{}", i % 6),
                label: format!("{} {}", columns[i], score),
            });
        }
        rows.push((title.get(lang).to_string(), cells));
        y += 24 + 10 * per;
    }
    let case = state
        .app
        .open_case(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let page = ComparePage {
        c: Chrome::for_user(&u, &format!("/cases/{id}/assessments")),
        head: CaseHeader::new(&u, &case, "assessments"),
        case_id: id,
        title: cmp.title.get(lang).to_string(),
        columns,
        rows,
        bars,
        labels,
        height: y.max(20),
    };
    Ok(render(StatusCode::OK, &page))
}
