//! The supervisor's merge history (`/persons/merges`): each merge of persons on the unit's
//! cases, newest first, with who merged, when, why and how many rows moved; a merge still in
//! force offers its undo (a reason is required), an undone one says who undid it and why.

use super::duplicates::refusal;
use super::{render, Chrome};
use crate::api::persons::paging;
use crate::auth::PageUser;
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::merge_history::MergeItem;
use karuna_app::person_merge::PersonBrief;
use karuna_app::AppError;

#[derive(Template)]
#[template(path = "merges.html")]
struct MergesPage {
    c: Chrome,
    merges: Vec<MergeItem>,
    summary: String,
    next: Option<String>,
    flash: Option<String>,
    error: Option<String>,
}

impl MergesPage {
    /// A person with their birth year, as the duplicates list names them.
    fn person(&self, p: &PersonBrief) -> String {
        match p.birth_year {
            Some(y) => format!("{} ({})", p.display_name, self.c.t.year(y)),
            None => p.display_name.clone(),
        }
    }

    fn when(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        self.c.t.datetime(t)
    }

    fn undone_line(&self, m: &MergeItem) -> String {
        let when = m
            .undone_at
            .as_ref()
            .map(|t| self.when(t))
            .unwrap_or_default();
        self.c.t.args(
            "merges-undone-by",
            &[
                ("when", when),
                ("who", m.undone_by.clone().unwrap_or_default()),
            ],
        )
    }
}

async fn page(
    state: &AppState,
    u: &PageUser,
    pairs: &[(String, String)],
    flash: Option<String>,
    error: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let (after, limit) = paging(pairs);
    let list = state
        .app
        .list_merges(&u.user, &u.ctx, &after, limit)
        .await
        .map_err(|e| u.err(e))?;
    let (status, error) = match error {
        Some((s, m)) => (s, Some(m)),
        None => (StatusCode::OK, None),
    };
    let p = MergesPage {
        c: Chrome::for_user(u, "/persons/merges"),
        summary: u.tr.get1("merges-count", "count", &list.total.to_string()),
        next: list.next.map(|n| format!("/persons/merges?after={n}")),
        merges: list.items,
        flash,
        error,
    };
    Ok(render(status, &p))
}

/// `GET /persons/merges`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let flash = q
        .iter()
        .any(|(k, _)| k == "undone")
        .then(|| u.tr.get("duplicates-undone"));
    page(&state, &u, &q, flash, None).await
}

/// After an undo sent from this page: back to it, or it again with the refusal (4xx).
pub(super) async fn finish(
    state: &AppState,
    u: &PageUser,
    r: Result<(), AppError>,
) -> Result<Response, WebError> {
    match r {
        Ok(()) => Ok(Redirect::to("/persons/merges?undone=1").into_response()),
        Err(e) => page(state, u, &[], None, Some(refusal(u, e)?)).await,
    }
}
