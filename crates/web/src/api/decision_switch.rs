//! The decision-support switches over the API (administrators): resource matching and similar
//! closed cases, each on by default, read and changed over its version. (The complexity
//! screening's and the learned layer's settings carry more than a switch: see `screening` and
//! `screening_model`.)

use super::cases::Versioned;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use karuna_app::screening::Switch;
use karuna_domain::access::Action;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A kind of decision support switched on or off.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionSwitch {
    /// On (the default) or off.
    pub enabled: bool,
    /// The switch's version (0 before the first change); send it back with a change.
    #[serde(default)]
    pub version: i64,
}

async fn read(
    state: &AppState,
    u: &ApiUser,
    switch: Switch,
) -> Result<Json<DecisionSwitch>, WebError> {
    let (enabled, version) = state
        .app
        .switch_setting(&u.user, &u.ctx, switch)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(DecisionSwitch { enabled, version }))
}

/// Refuses a caller who may not change configuration before the body is read.
async fn write(
    state: &AppState,
    u: &ApiUser,
    switch: Switch,
    body: Result<ApiJson<DecisionSwitch>, WebError>,
    action: &str,
) -> Result<Json<Versioned>, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageConfiguration,
            action,
            ("decision_support_setting", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(b) = body?;
    let version = state
        .app
        .set_switch(&u.user, &u.ctx, switch, b.enabled, b.version)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `GET /api/v1/decision-support/service-match`.
#[utoipa::path(get, path = "/api/v1/decision-support/service-match", operation_id = "getServiceMatchSetting", tag = "configuration",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = DecisionSwitch),
        (status = 403, description = "not an administrator", content_type = "application/problem+json")))]
pub async fn service_match(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<DecisionSwitch>, WebError> {
    read(&state, &u, Switch::ServiceMatch).await
}

/// `PUT /api/v1/decision-support/service-match`.
#[utoipa::path(put, path = "/api/v1/decision-support/service-match", operation_id = "putServiceMatchSetting", tag = "configuration",
    request_body = DecisionSwitch, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 403, description = "not an administrator", content_type = "application/problem+json"),
        (status = 409, description = "stale `version`", content_type = "application/problem+json")))]
pub async fn put_service_match(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<DecisionSwitch>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    write(
        &state,
        &u,
        Switch::ServiceMatch,
        body,
        "match.settings.update",
    )
    .await
}

/// `GET /api/v1/decision-support/similar-cases`.
#[utoipa::path(get, path = "/api/v1/decision-support/similar-cases", operation_id = "getSimilarCasesSetting", tag = "configuration",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = DecisionSwitch),
        (status = 403, description = "not an administrator", content_type = "application/problem+json")))]
pub async fn similar_cases(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<DecisionSwitch>, WebError> {
    read(&state, &u, Switch::SimilarCases).await
}

/// `PUT /api/v1/decision-support/similar-cases`.
#[utoipa::path(put, path = "/api/v1/decision-support/similar-cases", operation_id = "putSimilarCasesSetting", tag = "configuration",
    request_body = DecisionSwitch, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 403, description = "not an administrator", content_type = "application/problem+json"),
        (status = 409, description = "stale `version`", content_type = "application/problem+json")))]
pub async fn put_similar_cases(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<DecisionSwitch>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    write(
        &state,
        &u,
        Switch::SimilarCases,
        body,
        "similar.settings.update",
    )
    .await
}
