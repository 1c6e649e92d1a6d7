//! Similar closed cases in the browser (`/cases/{id}/similar`, linked from the case's
//! complexity screening): the aggregates of the closed cases most alike — how long they stayed
//! open, why they closed, and what each kind of intervention achieved — with every group of
//! fewer than five suppressed, and the features the likeness was judged on.

use super::case_header::CaseHeader;
use super::cases::{case_type_label, label};
use super::plan::case_id;
use super::screening_model::feature_label;
use super::{render, Chrome};
use crate::auth::PageUser;
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use karuna_domain::similar::{GROUP_MIN, NEAREST};
use uuid::Uuid;

/// One kind of intervention's line.
struct MethodLine {
    method: String,
    cases: usize,
    goals: usize,
    achieved: String,
    gas: String,
}

/// The summary as the page shows it.
struct View {
    intro: String,
    median: String,
    reasons: Vec<(String, String)>,
    methods: Vec<MethodLine>,
    suppressed: Option<String>,
    features: String,
}

#[derive(Template)]
#[template(path = "case_similar.html")]
struct Page {
    c: Chrome,
    id: Uuid,
    number: String,
    head: CaseHeader,
    case_type: String,
    view: Option<View>,
    off: bool,
}

fn count(u: &PageUser, c: Option<usize>) -> String {
    match c {
        Some(n) => n.to_string(),
        None => {
            u.tr.get1("similar-fewer-than", "min", &GROUP_MIN.to_string())
        }
    }
}

/// `GET /cases/{id}/similar`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let app = &state.app;
    let view = app
        .open_case(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    // Switched off by the organisation: the page says so (the case is still the viewer's).
    let (s, off) = match app.similar_cases(&u.user, &u.ctx, id).await {
        Ok(s) => (s, false),
        Err(karuna_app::AppError::Refused("similar_off")) => (
            karuna_app::similar::SimilarCases {
                case_type: None,
                summary: None,
            },
            true,
        ),
        Err(e) => return Err(u.err(e)),
    };
    let types = app
        .case_types(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let unknown = u.tr.get("similar-none");
    let page = Page {
        c: Chrome::for_user(&u, &format!("/cases/{id}/screening")),
        id,
        number: view.case.number.clone(),
        head: CaseHeader::new(&u, &view, "screening"),
        off,
        case_type: s
            .case_type
            .as_deref()
            .map(|t| case_type_label(&u, &types, t))
            .unwrap_or_default(),
        view: s.summary.map(|m| View {
            intro: u.tr.args(
                "similar-intro-figures",
                &[
                    ("cases", m.cases.to_string()),
                    ("candidates", m.candidates.to_string()),
                    ("nearest", NEAREST.to_string()),
                ],
            ),
            median: m
                .median_days_open
                .map(|d| u.tr.get1("similar-days", "days", &d.to_string()))
                .unwrap_or_else(|| unknown.clone()),
            reasons: m
                .reasons
                .iter()
                .map(|r| (label(&u, "closure-reason", &r.reason), count(&u, r.count)))
                .collect(),
            methods: m
                .methods
                .iter()
                .map(|x| MethodLine {
                    method: label(&u, "method", &x.method),
                    cases: x.cases,
                    goals: x.goals,
                    achieved: x
                        .achieved_percent
                        .map(|p| format!("{p}%"))
                        .unwrap_or_else(|| unknown.clone()),
                    gas: x
                        .mean_gas
                        .map(|g| format!("{g:+.1}"))
                        .unwrap_or_else(|| unknown.clone()),
                })
                .collect(),
            suppressed: (m.methods_suppressed > 0).then(|| {
                u.tr.args(
                    "similar-methods-suppressed",
                    &[
                        ("n", m.methods_suppressed.to_string()),
                        ("min", GROUP_MIN.to_string()),
                    ],
                )
            }),
            features: m
                .features
                .iter()
                .map(|k| feature_label(&u, &types, k))
                .collect::<Vec<_>>()
                .join(" · "),
        }),
    };
    Ok(render(StatusCode::OK, &page))
}
