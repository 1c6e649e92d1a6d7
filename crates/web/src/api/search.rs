//! `GET /api/v1/search`: the search use case as JSON.

use crate::api::extract::Query;
use crate::auth::ApiUser;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use karuna_app::search::{SearchRequest, SearchResults};
use serde::Deserialize;
use utoipa::IntoParams;

/// The query string (documented here; read leniently so that no input is a bare 400).
#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchQuery {
    /// The words to find; `"…"` for a phrase, a trailing `*` for a prefix. At most 256
    /// characters and 16 terms are used (`truncated` says so).
    pub q: String,
    /// Record kind: `contact`, `case` or `person`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// Case status code.
    pub status: Option<String>,
    /// Case type code.
    pub case_type: Option<String>,
    /// First day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Unit id.
    pub unit: Option<String>,
    /// Page size (1–100, default 20).
    pub limit: Option<i64>,
    /// Cursor from the previous page (`next`).
    pub after: Option<String>,
}

/// The request from query-string pairs (the last value of a repeated name wins; a limit that
/// is not a number becomes 0, which the use case refuses after it has authorised).
pub fn request_from(pairs: &[(String, String)]) -> SearchRequest {
    let mut r = SearchRequest::default();
    for (k, v) in pairs {
        match k.as_str() {
            "q" => r.q = v.clone(),
            "type" => r.kind = v.clone(),
            "status" => r.status = v.clone(),
            "case_type" => r.case_type = v.clone(),
            "from" => r.from = v.clone(),
            "to" => r.to = v.clone(),
            "unit" => r.unit = v.clone(),
            "after" => r.after = v.clone(),
            "limit" if v.trim().is_empty() => r.limit = None,
            "limit" => r.limit = Some(v.trim().parse().unwrap_or(0)),
            _ => {}
        }
    }
    r
}

/// `GET /api/v1/search`.
#[utoipa::path(get, path = "/api/v1/search", operation_id = "searchCases", tag = "search", params(SearchQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = SearchResults),
        (status = 422, description = "empty query (no word in it) or a bad filter; `errors` names the fields", content_type = "application/problem+json"),
        (status = 403, description = "role without case access", content_type = "application/problem+json")))]
pub async fn search(
    State(state): State<AppState>,
    u: ApiUser,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<SearchResults>, WebError> {
    let r = request_from(&pairs);
    let res = state
        .app
        .search(&u.user, &u.ctx, &r)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(res))
}
