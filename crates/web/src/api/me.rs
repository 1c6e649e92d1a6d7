//! The caller's own account.

use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// Account id.
    pub id: Uuid,
    /// Login name.
    pub username: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// Profession code.
    pub profession: Option<String>,
    /// Unit id.
    pub unit_id: Option<Uuid>,
    /// Interface language (`th`, `en`).
    pub lang: String,
    /// Calendar era (`be`, `ce`).
    pub era: String,
    /// Version of the account record.
    pub version: i64,
}

fn me_of(u: &karuna_app::CurrentUser) -> Me {
    Me {
        id: u.actor.id,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: u.role().code().to_string(),
        profession: u.profession.clone(),
        unit_id: u.actor.unit_id,
        lang: u.lang.clone(),
        era: u.era.clone(),
        version: u.version,
    }
}

/// `GET /api/v1/me`.
#[utoipa::path(get, path = "/api/v1/me", operation_id = "getMe", tag = "account", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Me), (status = 401, description = "not signed in", content_type = "application/problem+json")))]
pub async fn me(u: ApiUser) -> Json<Me> {
    Json(me_of(&u.user))
}

/// New preferences.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesInput {
    /// `th` or `en`.
    pub lang: String,
    /// `be` or `ce`.
    pub era: String,
}

/// `PUT /api/v1/me/preferences`.
#[utoipa::path(put, path = "/api/v1/me/preferences", operation_id = "updateMyPreferences", tag = "account", request_body = PreferencesInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Me), (status = 422, description = "invalid", content_type = "application/problem+json")))]
pub async fn preferences(
    State(state): State<AppState>,
    u: ApiUser,
    ApiJson(p): ApiJson<PreferencesInput>,
) -> Result<Json<Me>, WebError> {
    let user = state
        .app
        .set_preferences(&u.user, &u.ctx, &p.lang, &p.era)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(me_of(&user)))
}

/// A password change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordInput {
    /// The current password.
    pub current_password: String,
    /// The new password (policy: at least 10 characters, not common, not containing the username).
    pub new_password: String,
}

/// `POST /api/v1/me/password`: every session and API token of the account is revoked
/// (including the token making the change: ask an admin for a new one).
#[utoipa::path(post, path = "/api/v1/me/password", operation_id = "changeMyPassword", tag = "account", request_body = PasswordInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "changed"), (status = 422, description = "invalid", content_type = "application/problem+json"),
        (status = 503, description = "every password-hashing slot stayed busy; retry after `Retry-After` seconds", content_type = "application/problem+json")))]
pub async fn password(
    State(state): State<AppState>,
    u: ApiUser,
    ApiJson(p): ApiJson<PasswordInput>,
) -> Result<axum::http::StatusCode, WebError> {
    state
        .app
        .change_password(&u.user, &u.ctx, &p.current_password, &p.new_password)
        .await
        .map_err(|e| u.err(e))?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// The caller's e-mail settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmailSettingsView {
    /// The address the daily digest goes to, if any.
    pub email: Option<String>,
    /// Whether the caller wants the daily digest.
    pub daily_digest: bool,
    /// Whether this server sends mail at all (SMTP configured); when false nothing is sent
    /// whatever `daily_digest` says.
    pub mail_enabled: bool,
}

fn email_view(state: &AppState, s: karuna_store::digest::EmailSettings) -> EmailSettingsView {
    EmailSettingsView {
        email: s.email,
        daily_digest: s.daily_digest,
        mail_enabled: state.web.mail_enabled,
    }
}

/// New e-mail settings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailSettingsInput {
    /// One plain address (`name@example.org`); null or blank for none.
    #[schema(max_length = 254)]
    pub email: Option<String>,
    /// A summary of the day's new notifications by e-mail (first names and case numbers
    /// only); needs an address.
    pub daily_digest: bool,
}

/// `GET /api/v1/me/email`.
#[utoipa::path(get, path = "/api/v1/me/email", operation_id = "getMyEmailSettings", tag = "account",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = EmailSettingsView)))]
pub async fn email(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<EmailSettingsView>, WebError> {
    let s = state
        .app
        .email_settings(&u.user)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(email_view(&state, s)))
}

/// `PUT /api/v1/me/email`.
#[utoipa::path(put, path = "/api/v1/me/email", operation_id = "updateMyEmailSettings", tag = "account", request_body = EmailSettingsInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = EmailSettingsView), (status = 422, description = "invalid: `email.invalid`, `too_long`, `email.required_for_digest`", content_type = "application/problem+json")))]
pub async fn set_email(
    State(state): State<AppState>,
    u: ApiUser,
    ApiJson(p): ApiJson<EmailSettingsInput>,
) -> Result<Json<EmailSettingsView>, WebError> {
    let s = state
        .app
        .set_email_settings(
            &u.user,
            &u.ctx,
            p.email.as_deref().unwrap_or_default(),
            p.daily_digest,
        )
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(email_view(&state, s)))
}
