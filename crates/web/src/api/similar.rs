//! Similar closed cases over the API: aggregates only (`domain::similar`).

use super::cases::parse_id;
use crate::api::extract::Path;
use crate::auth::ApiUser;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use karuna_domain::similar::Summary;
use serde::Serialize;
use utoipa::ToSchema;

/// The closed cases most like a case, as totals.
#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarOut {
    /// The case type compared within (the case's first).
    pub case_type: Option<String>,
    /// The totals; none when fewer than five closed cases of the type could be compared.
    pub summary: Option<Summary>,
}

/// `GET /api/v1/cases/{id}/similar-cases`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/similar-cases", operation_id = "getSimilarCases", tag = "decision-support",
    params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = SimilarOut),
        (status = 409, description = "the organisation switched similar cases off (`similar_off`)", content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<SimilarOut>, WebError> {
    let id = parse_id(&u, &id)?;
    let s = state
        .app
        .similar_cases(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(SimilarOut {
        case_type: s.case_type,
        summary: s.summary,
    }))
}
