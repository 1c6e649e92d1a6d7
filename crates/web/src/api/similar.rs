//! Similar closed cases over the API: aggregates only (`domain::similar`).

use super::cases::{parse_id, Versioned};
use crate::api::extract::Path;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use karuna_domain::access::Action;
use karuna_domain::similar::Summary;
use serde::{Deserialize, Serialize};
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

/// Whether the organisation shows similar closed cases.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SimilarSetting {
    /// Shown (the default) or switched off.
    pub enabled: bool,
    /// The switch's version (0 before the first change); send it back with a change.
    #[serde(default)]
    pub version: i64,
}

/// `GET /api/v1/decision-support/similar-cases`.
#[utoipa::path(get, path = "/api/v1/decision-support/similar-cases", operation_id = "getSimilarCasesSetting", tag = "configuration",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = SimilarSetting),
        (status = 403, description = "not an administrator", content_type = "application/problem+json")))]
pub async fn setting(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<SimilarSetting>, WebError> {
    let (enabled, version) = state
        .app
        .similar_setting(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(SimilarSetting { enabled, version }))
}

/// `PUT /api/v1/decision-support/similar-cases`: switch similar closed cases on or off.
#[utoipa::path(put, path = "/api/v1/decision-support/similar-cases", operation_id = "putSimilarCasesSetting", tag = "configuration",
    request_body = SimilarSetting, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 403, description = "not an administrator", content_type = "application/problem+json"),
        (status = 409, description = "stale `version`", content_type = "application/problem+json")))]
pub async fn put_setting(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<SimilarSetting>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageConfiguration,
            "similar.settings.update",
            ("decision_support_setting", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(b) = body?;
    let version = state
        .app
        .set_similar(&u.user, &u.ctx, b.enabled, b.version)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}
