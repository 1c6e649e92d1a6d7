//! The supervisor's "possible duplicates" page: pairs with score and reasons, a merge form
//! (choose the record that stays) and a "not the same person" form per pair; after a merge the
//! page offers its undo. Forms post with the CSRF token and redirect (post/redirect/get).

use super::intake::Pairs;
use super::{render, Chrome};
use crate::api::persons::paging;
use crate::auth::{PageUser, WebForm};
use crate::error::{Surface, WebError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::person_merge::{DismissRequest, DuplicatePair, MergeRequest};
use karuna_app::AppError;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "duplicates.html")]
struct DuplicatesPage {
    c: Chrome,
    pairs: Vec<DuplicatePair>,
    summary: String,
    next: Option<String>,
    flash: Option<String>,
    error: Option<String>,
    merged: Option<String>,
    /// The score from which pairs are listed.
    min_score: u8,
}

impl DuplicatesPage {
    /// The reasons of a pair in the user's language, one per line.
    fn reason_labels(&self, p: &DuplicatePair) -> Vec<String> {
        p.reasons
            .iter()
            .map(|r| self.c.get(&format!("match-{}", r.replace(['.', '_'], "-"))))
            .collect()
    }

    fn year(&self, y: &Option<i64>) -> String {
        y.map(|y| self.c.t.year(y)).unwrap_or_default()
    }
}

async fn page(
    state: &AppState,
    u: &PageUser,
    pairs_in: &[(String, String)],
    flash: Option<String>,
    error: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let (after, limit) = paging(pairs_in);
    let merged = pairs_in
        .iter()
        .find(|(k, _)| k == "merged")
        .and_then(|(_, v)| Uuid::parse_str(v).ok())
        .map(|m| m.to_string());
    let list = state
        .app
        .list_duplicates(&u.user, &u.ctx, &after, limit)
        .await
        .map_err(|e| u.err(e))?;
    let (status, error) = match error {
        Some((s, m)) => (s, Some(m)),
        None => (StatusCode::OK, None),
    };
    let p = DuplicatesPage {
        c: Chrome::for_user(u, "/persons/duplicates"),
        summary: u
            .tr
            .get1("duplicates-count", "count", &list.total.to_string()),
        next: list.next.map(|n| format!("/persons/duplicates?after={n}")),
        pairs: list.items,
        flash,
        error,
        merged,
        min_score: karuna_app::person_merge::DUPLICATE_LIST_THRESHOLD,
    };
    Ok(render(status, &p))
}

/// `GET /persons/duplicates`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let flash = if q.iter().any(|(k, _)| k == "merged") {
        Some(u.tr.get("duplicates-merged"))
    } else if q.iter().any(|(k, _)| k == "undone") {
        Some(u.tr.get("duplicates-undone"))
    } else if q.iter().any(|(k, _)| k == "dismissed") {
        Some(u.tr.get("duplicates-dismissed"))
    } else {
        None
    };
    page(&state, &u, &q, flash, None).await
}

/// Reads a form: the role is checked (audited) before the CSRF token and the fields.
async fn read(
    state: &AppState,
    u: &PageUser,
    pairs: Vec<(String, String)>,
    action: &str,
) -> Result<Pairs, WebError> {
    let p = Pairs(pairs);
    state
        .app
        .merge_gate(&u.user, &u.ctx, action)
        .await
        .map_err(|e| u.err(e))?;
    u.check_csrf(&p.get("csrf"))?;
    Ok(p)
}

/// A refusal a page shows above its list (status and message), or the error to answer with.
pub(super) fn refusal(u: &PageUser, e: AppError) -> Result<(StatusCode, String), WebError> {
    match e {
        e @ (AppError::Invalid(_)
        | AppError::Conflict
        | AppError::Refused(_)
        | AppError::Merged(_)
        | AppError::NotFound) => {
            let w = WebError::new(e, Surface::Page, u.tr.clone());
            let (status, _) = w.status_code();
            let mut msg = w.detail();
            let fields = w.fields();
            if !fields.is_empty() {
                msg = fields
                    .into_iter()
                    .map(|(_, m)| m)
                    .collect::<Vec<_>>()
                    .join(" ");
            }
            Ok((status, msg))
        }
        e => Err(u.err(e)),
    }
}

/// Redirects on success; otherwise the list again with the refusal's message (4xx).
async fn finish(
    state: &AppState,
    u: &PageUser,
    r: Result<String, AppError>,
) -> Result<Response, WebError> {
    match r {
        Ok(to) => Ok(Redirect::to(&to).into_response()),
        Err(e) => page(state, u, &[], None, Some(refusal(u, e)?)).await,
    }
}

/// `POST /persons/merges`: `keep` names the survivor (`a` or `b` of the pair).
pub async fn merge(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = read(&state, &u, pairs, "person.merge").await?;
    let (a, b) = (p.get("person_a"), p.get("person_b"));
    let (va, vb) = (p.get("version_a"), p.get("version_b"));
    // Which record stays is chosen, never assumed.
    let keep_b = match p.get("keep").as_str() {
        "a" => false,
        "b" => true,
        _ => {
            let e = karuna_domain::FieldError::new("keep", "person.merge.keep_required");
            return finish(&state, &u, Err(AppError::Invalid(vec![e]))).await;
        }
    };
    let version = |v: &str| v.trim().parse::<i64>().unwrap_or(0);
    let r = if keep_b {
        MergeRequest {
            survivor_id: b,
            loser_id: a,
            survivor_version: version(&vb),
            loser_version: version(&va),
            reason: p.get("reason"),
        }
    } else {
        MergeRequest {
            survivor_id: a,
            loser_id: b,
            survivor_version: version(&va),
            loser_version: version(&vb),
            reason: p.get("reason"),
        }
    };
    let done = state
        .app
        .merge_persons(&u.user, &u.ctx, &r)
        .await
        .map(|d| format!("/persons/duplicates?merged={}", d.merge_id));
    finish(&state, &u, done).await
}

/// `POST /persons/merges/{id}/undo` (`back=history` when sent from the merge history, which
/// it then shows again).
pub async fn undo(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = read(&state, &u, pairs, "person.merge_undo").await?;
    let id = Uuid::parse_str(&id).map_err(|_| u.err(AppError::NotFound))?;
    let r = state
        .app
        .undo_merge(&u.user, &u.ctx, id, &p.get("reason"))
        .await;
    if p.get("back") == "history" {
        return super::merges::finish(&state, &u, r.map(|_| ())).await;
    }
    finish(
        &state,
        &u,
        r.map(|_| "/persons/duplicates?undone=1".to_string()),
    )
    .await
}

/// `POST /persons/duplicates/dismissals`.
pub async fn dismiss(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = read(&state, &u, pairs, "person.not_duplicate").await?;
    let r = DismissRequest {
        person_a: p.get("person_a"),
        person_b: p.get("person_b"),
        reason: p.get("reason"),
    };
    let r = state
        .app
        .dismiss_duplicate(&u.user, &u.ctx, &r)
        .await
        .map(|_| "/persons/duplicates?dismissed=1".to_string());
    finish(&state, &u, r).await
}
