//! Caseloads over the API.

use crate::api::extract::{Path, Query};
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_app::caseload::Caseloads;
use karuna_domain::caseload::Load;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A worker's caseload.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkerCaseload {
    /// Account.
    pub account_id: Uuid,
    /// Name.
    pub name: String,
    /// Role code.
    pub role: String,
    /// The load.
    #[serde(flatten)]
    pub load: Load,
    /// More open cases than the limit.
    pub over_limit: bool,
}

/// Whose caseloads.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseloadList {
    /// Mine.
    #[default]
    Mine,
    /// My unit's case managers and supervisors (supervisors).
    Unit,
}

/// Filters of `GET /api/v1/caseload`.
#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CaseloadQuery {
    /// `mine` (default) or `unit`.
    #[param(inline)]
    pub list: CaseloadList,
}

/// `GET /api/v1/caseload`.
#[utoipa::path(get, path = "/api/v1/caseload", operation_id = "listCaseloads", tag = "caseload", params(CaseloadQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<WorkerCaseload>),
        (status = 403, description = "a role without cases, or `list=unit` by anyone but a supervisor of a unit", content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
    Query(q): Query<CaseloadQuery>,
) -> Result<Json<Vec<WorkerCaseload>>, WebError> {
    let which = match q.list {
        CaseloadList::Mine => Caseloads::Mine,
        CaseloadList::Unit => Caseloads::Unit,
    };
    let rows = state
        .app
        .caseloads(&u.user, &u.ctx, which)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(
        rows.into_iter()
            .map(|w| WorkerCaseload {
                over_limit: w.load.over_limit(),
                account_id: w.account_id,
                name: w.name,
                role: w.role,
                load: w.load,
            })
            .collect(),
    ))
}

/// A caseload limit.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct LimitInput {
    /// Open cases above which the worker and her supervisor are warned (1–500); null sets the
    /// organisation's default back.
    pub limit: Option<i64>,
}

/// `PUT /api/v1/caseload/{id}/limit`: a supervisor sets the limit of a worker of her unit.
#[utoipa::path(put, path = "/api/v1/caseload/{id}/limit", operation_id = "setCaseloadLimit", tag = "caseload",
    params(("id" = String, Path, description = "the worker's account id")), request_body = LimitInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "set"),
        (status = 403, description = "not a supervisor, or the worker is not a case manager or supervisor of her unit", content_type = "application/problem+json")))]
pub async fn set_limit(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<LimitInput>, WebError>,
) -> Result<StatusCode, WebError> {
    let id = super::cases::parse_id(&u, &id)?;
    let ApiJson(input) = body?;
    state
        .app
        .set_caseload_limit(&u.user, &u.ctx, id, input.limit)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}
