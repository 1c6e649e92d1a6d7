//! Supervision sessions over the API.

use super::cases::Created;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_domain::supervision::SupervisionInput;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A supervision session.
#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    /// Id.
    pub id: Uuid,
    /// Supervisor.
    pub supervisor: String,
    /// Worker (id).
    pub worker_id: Uuid,
    /// Worker.
    pub worker: String,
    /// When.
    pub held_on: chrono::NaiveDate,
    /// The caseload was reviewed.
    pub caseload_reviewed: bool,
    /// Cases discussed.
    pub cases_discussed: String,
    /// Actions agreed.
    pub agreed_actions: String,
    /// The worker's wellbeing.
    pub wellbeing: String,
    /// Training needs.
    pub training_needs: String,
}

/// `GET /api/v1/supervision`: the sessions the caller may read (her own, and for a supervisor
/// her unit's workers'), newest first, at most 200.
#[utoipa::path(get, path = "/api/v1/supervision", operation_id = "listSupervisionSessions", tag = "supervision",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<Session>)))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<Vec<Session>>, WebError> {
    let rows = state
        .app
        .supervision_sessions(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(
        rows.into_iter()
            .map(|s| Session {
                id: s.id,
                supervisor: s.supervisor_name,
                worker_id: s.worker_id,
                worker: s.worker_name,
                held_on: s.held_on,
                caseload_reviewed: s.caseload_reviewed,
                cases_discussed: s.cases_discussed,
                agreed_actions: s.agreed_actions,
                wellbeing: s.wellbeing,
                training_needs: s.training_needs,
            })
            .collect(),
    ))
}

/// `POST /api/v1/supervision`: a supervisor records a session with a worker of her unit.
#[utoipa::path(post, path = "/api/v1/supervision", operation_id = "recordSupervisionSession", tag = "supervision",
    request_body = SupervisionInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 403, description = "not a supervisor of a unit", content_type = "application/problem+json"),
        (status = 422, description = "invalid input; `worker_id`: `supervision.worker_not_in_unit` for anyone but an active worker of her unit", content_type = "application/problem+json")))]
pub async fn record(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<SupervisionInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let ApiJson(input) = body?;
    let id = state
        .app
        .record_supervision(&u.user, &u.ctx, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}
