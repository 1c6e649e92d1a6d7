//! Single sign-on settings over the API (administrators; the secret is never returned).

use crate::api::cases::Versioned;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use karuna_app::oidc::{SsoInput, SsoSettings};
use karuna_domain::access::Action;

/// `GET /api/v1/sso-settings`: the organisation's identity provider.
#[utoipa::path(get, path = "/api/v1/sso-settings", operation_id = "getSsoSettings", tag = "configuration",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = SsoSettings)))]
pub async fn settings(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<SsoSettings>, WebError> {
    let s = state
        .app
        .sso_settings(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(s))
}

/// `PUT /api/v1/sso-settings` (administrators).
#[utoipa::path(put, path = "/api/v1/sso-settings", operation_id = "putSsoSettings", tag = "configuration",
    request_body = SsoInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 409, description = "stale `version`", content_type = "application/problem+json")))]
pub async fn save_settings(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<SsoInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageConfiguration,
            "sso.configure",
            ("oidc_provider", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(input) = body?;
    let version = state
        .app
        .put_sso_settings(&u.user, &u.ctx, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}
