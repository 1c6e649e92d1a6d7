//! The search page: a GET form (works without JavaScript) and its results, with the matched
//! words marked in each snippet (the text is escaped by the template; only `<mark>` is ours).

use super::cases::{choices, label};
use super::users::Choice;
use super::{render, Chrome, FormState};
use crate::api::search::request_from;
use crate::auth::PageUser;
use crate::error::{Surface, WebError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use karuna_app::search::{SearchResults, SnippetPart};
use karuna_app::AppError;
use karuna_domain::case::{Status, CASE_TYPES};
use uuid::Uuid;

struct ResultRow {
    kind: String,
    case_id: Uuid,
    case_number: String,
    client: String,
    status: String,
    date: String,
    snippet: Vec<SnippetPart>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    form: FormState,
    searched: bool,
    rows: Vec<ResultRow>,
    summary: String,
    truncated: bool,
    next: Option<String>,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    types: Vec<Choice>,
    units: Vec<Choice>,
}

fn kind_label(u: &PageUser, kind: &str) -> String {
    match kind {
        "contact" => u.tr.get("search-kind-contact"),
        "case" => u.tr.get("search-kind-case"),
        "assessment" => u.tr.get("search-kind-assessment"),
        "plan" => u.tr.get("search-kind-plan"),
        _ => u.tr.get("search-kind-person"),
    }
}

/// The form's fields, in the order the next-page link repeats them.
const FIELDS: [&str; 7] = ["q", "type", "status", "case_type", "unit", "from", "to"];

/// `GET /search`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let mut form = FormState::from_pairs(&pairs);
    let searched = pairs.iter().any(|(k, _)| k == "q");
    let mut status = StatusCode::OK;
    let mut results: Option<SearchResults> = None;
    if searched {
        match state
            .app
            .search(&u.user, &u.ctx, &request_from(&pairs))
            .await
        {
            Ok(r) => results = Some(r),
            Err(AppError::Invalid(errors)) => {
                let e = WebError::new(AppError::Invalid(errors), Surface::Page, u.tr.clone());
                form = form.errors(e.fields());
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(e) => return Err(u.err(e)),
        }
    } else {
        state
            .app
            .may_search(&u.user, &u.ctx)
            .await
            .map_err(|e| u.err(e))?;
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
    let (mut rows, mut summary, mut truncated, mut next) = (Vec::new(), String::new(), false, None);
    if let Some(r) = results {
        summary = if r.more {
            u.tr.get1("search-count-more", "count", &r.total.to_string())
        } else {
            u.tr.get1("search-count", "count", &r.total.to_string())
        };
        truncated = r.truncated;
        next = r.next.as_ref().map(|after| {
            let mut qs: Vec<(String, String)> = FIELDS
                .iter()
                .map(|k| (k.to_string(), form.value(k).to_string()))
                .filter(|(_, v)| !v.is_empty())
                .collect();
            qs.push(("after".into(), after.clone()));
            format!(
                "/search?{}",
                serde_urlencoded::to_string(&qs).unwrap_or_default()
            )
        });
        rows = r
            .items
            .into_iter()
            .map(|i| ResultRow {
                kind: kind_label(&u, &i.kind),
                case_id: i.case_id,
                case_number: i.case_number,
                client: i.client,
                status: label(&u, "status", &i.status),
                date: u.tr.datetime(&i.date),
                snippet: i.snippet,
            })
            .collect();
    }
    let page = SearchPage {
        c: Chrome::for_user(&u, "/search"),
        form,
        searched,
        rows,
        summary,
        truncated,
        next,
        kinds: karuna_app::search::KINDS
            .iter()
            .map(|k| Choice {
                value: k.to_string(),
                label: kind_label(&u, k),
            })
            .collect(),
        statuses: Status::ALL
            .iter()
            .map(|s| Choice {
                value: s.code().into(),
                label: label(&u, "status", s.code()),
            })
            .collect(),
        types: choices(&u, "case-type", &CASE_TYPES),
        units,
    };
    Ok(render(status, &page))
}
