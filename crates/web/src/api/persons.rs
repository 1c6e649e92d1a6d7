//! Duplicate persons over the API: the supervisor's list, merges, undo, and "not the same
//! person".

use super::cases::parse_id;
use crate::api::extract::{Path, Query};
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_app::merge_history::MergePage;
use karuna_app::person_merge::{DismissRequest, DuplicatePage, MergeDone, MergeRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The query string of the list (read leniently: a bad limit or cursor is a 422 after the
/// access check).
#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct DuplicatesQuery {
    /// Page size (1–100, default 20).
    pub limit: Option<i64>,
    /// Cursor from the previous page (`next`).
    pub after: Option<String>,
}

/// `after` and `limit` from query-string pairs (a limit that is not a number becomes 0, which
/// the use case refuses).
pub fn paging(pairs: &[(String, String)]) -> (String, Option<i64>) {
    let (mut after, mut limit) = (String::new(), None);
    for (k, v) in pairs {
        match k.as_str() {
            "after" => after = v.clone(),
            "limit" if v.trim().is_empty() => limit = None,
            "limit" => limit = Some(v.trim().parse().unwrap_or(0)),
            _ => {}
        }
    }
    (after, limit)
}

/// The role check of the merge use cases, before the body is read.
async fn gate(state: &AppState, u: &ApiUser, action: &str) -> Result<(), WebError> {
    state
        .app
        .merge_gate(&u.user, &u.ctx, action)
        .await
        .map_err(|e| u.err(e))
}

/// `GET /api/v1/persons/duplicates`.
#[utoipa::path(get, path = "/api/v1/persons/duplicates", operation_id = "listPossibleDuplicates", tag = "persons", params(DuplicatesQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = DuplicatePage),
        (status = 403, description = "not a supervisor of a unit", content_type = "application/problem+json"),
        (status = 422, description = "bad limit or cursor", content_type = "application/problem+json")))]
pub async fn duplicates(
    State(state): State<AppState>,
    u: ApiUser,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<DuplicatePage>, WebError> {
    let (after, limit) = paging(&pairs);
    let page = state
        .app
        .list_duplicates(&u.user, &u.ctx, &after, limit)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(page))
}

/// `GET /api/v1/persons/merges`: the merge history of the supervisor's unit, newest first.
#[utoipa::path(get, path = "/api/v1/persons/merges", operation_id = "listPersonMerges", tag = "persons", params(DuplicatesQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = MergePage),
        (status = 403, description = "not a supervisor of a unit", content_type = "application/problem+json"),
        (status = 422, description = "bad limit or cursor", content_type = "application/problem+json")))]
pub async fn merges(
    State(state): State<AppState>,
    u: ApiUser,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<MergePage>, WebError> {
    let (after, limit) = paging(&pairs);
    let page = state
        .app
        .list_merges(&u.user, &u.ctx, &after, limit)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(page))
}

/// `POST /api/v1/persons/merges`: merges the loser into the survivor.
#[utoipa::path(post, path = "/api/v1/persons/merges", operation_id = "mergePersons", tag = "persons", request_body = MergeRequest,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = MergeDone),
        (status = 403, description = "not a supervisor of a unit both persons are on", content_type = "application/problem+json"),
        (status = 404, description = "no such person", content_type = "application/problem+json"),
        (status = 409, description = "a version changed (`conflict`), a person is already merged (`person_merged`), or one is the client of a case the other is on (`same_case_client`)", content_type = "application/problem+json"),
        (status = 422, description = "missing ids or reason; `errors` names the fields", content_type = "application/problem+json")))]
pub async fn merge(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<MergeRequest>, WebError>,
) -> Result<(StatusCode, Json<MergeDone>), WebError> {
    gate(&state, &u, "person.merge").await?;
    let ApiJson(r) = body?;
    let done = state
        .app
        .merge_persons(&u.user, &u.ctx, &r)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(done)))
}

/// Why a merge is undone.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UndoRequest {
    /// Required, at most 1000 characters.
    #[serde(default)]
    pub reason: String,
}

/// An undone merge.
#[derive(Debug, Serialize, ToSchema)]
pub struct Undone {
    /// Rows moved back to the restored person.
    pub rows: usize,
}

/// `POST /api/v1/persons/merges/{id}/undo`.
#[utoipa::path(post, path = "/api/v1/persons/merges/{id}/undo", operation_id = "undoPersonMerge", tag = "persons",
    params(("id" = String, Path, description = "merge id")), request_body = UndoRequest,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Undone),
        (status = 404, description = "no such merge", content_type = "application/problem+json"),
        (status = 409, description = "no longer exactly undoable: `merge_undone`, `survivor_merged` or `merge_changed`", content_type = "application/problem+json"),
        (status = 422, description = "reason missing", content_type = "application/problem+json")))]
pub async fn undo(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<UndoRequest>, WebError>,
) -> Result<Json<Undone>, WebError> {
    gate(&state, &u, "person.merge_undo").await?;
    let id = parse_id(&u, &id)?;
    let ApiJson(r) = body?;
    let rows = state
        .app
        .undo_merge(&u.user, &u.ctx, id, &r.reason)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Undone { rows }))
}

/// `POST /api/v1/persons/duplicates/dismissals`: the pair is not one person.
#[utoipa::path(post, path = "/api/v1/persons/duplicates/dismissals", operation_id = "dismissDuplicatePair", tag = "persons", request_body = DismissRequest,
    security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "recorded (or recorded already)"),
        (status = 403, description = "not a supervisor of a unit both persons are on", content_type = "application/problem+json"),
        (status = 404, description = "no such person", content_type = "application/problem+json"),
        (status = 422, description = "missing ids; `errors` names the fields", content_type = "application/problem+json")))]
pub async fn dismiss(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<DismissRequest>, WebError>,
) -> Result<StatusCode, WebError> {
    gate(&state, &u, "person.not_duplicate").await?;
    let ApiJson(r) = body?;
    state
        .app
        .dismiss_duplicate(&u.user, &u.ctx, &r)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}
