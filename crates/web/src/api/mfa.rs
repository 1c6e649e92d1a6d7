//! Two-step verification over the API (app::mfa): the caller's own (status, set-up, recovery
//! codes, turning it off), the organisation's policy, and an administrator's reset of an
//! account's second factor. A login's second step is a browser flow (`/login/verify`).

use crate::api::cases::{parse_id, Versioned};
use crate::api::extract::Path;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_domain::access::Action;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The caller's two-step verification.
#[derive(Debug, Serialize, ToSchema)]
pub struct MfaStatus {
    /// Set up (a code is asked at every login).
    pub enrolled: bool,
    /// Since when.
    pub enrolled_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Unused recovery codes.
    pub recovery_codes_left: i64,
    /// The organisation requires it of the caller's role.
    pub required: bool,
}

/// A set-up begun: what an authenticator app needs.
#[derive(Debug, Serialize, ToSchema)]
pub struct MfaSetup {
    /// The secret, base32 in groups of four (for typing by hand).
    pub secret: String,
    /// The `otpauth://totp/…` URI (what the QR code holds).
    pub otpauth_uri: String,
}

/// A code from the authenticator app (six digits) or, where said, a recovery code.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MfaCode {
    /// The code.
    #[schema(max_length = 40)]
    pub code: String,
}

/// Recovery codes, shown this once (only their hashes are kept).
#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// Ten codes, each good once instead of an app code.
    pub recovery_codes: Vec<String>,
}

/// The roles that must use two-step verification.
#[derive(Debug, Serialize, ToSchema)]
pub struct MfaPolicy {
    /// Role codes.
    pub roles: Vec<String>,
    /// Version to send back with a change (0: never stored).
    pub version: i64,
}

/// A change of the policy.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MfaPolicyInput {
    /// Role codes (`admin`, `supervisor`, `case_manager`, `team_member`, `data_analyst`,
    /// `auditor`).
    #[schema(max_items = 6)]
    pub roles: Vec<String>,
    /// The version read.
    pub version: i64,
}

/// `GET /api/v1/me/mfa`.
#[utoipa::path(get, path = "/api/v1/me/mfa", operation_id = "getMyMfa", tag = "account",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = MfaStatus)))]
pub async fn status(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<MfaStatus>, WebError> {
    let s = state.app.my_mfa(&u.user).await.map_err(|e| u.err(e))?;
    Ok(Json(MfaStatus {
        enrolled: s.enrolled_at.is_some(),
        enrolled_at: s.enrolled_at,
        recovery_codes_left: s.recovery_codes_left,
        required: s.required,
    }))
}

/// `POST /api/v1/me/mfa/setup`: begin (again) setting up with a new secret.
#[utoipa::path(post, path = "/api/v1/me/mfa/setup", operation_id = "beginMyMfaSetup", tag = "account",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = MfaSetup),
        (status = 409, description = "two-step verification is set up already (`mfa_enrolled`)", content_type = "application/problem+json")))]
pub async fn begin_setup(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<MfaSetup>, WebError> {
    let s = state
        .app
        .begin_mfa_setup(&u.user)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(MfaSetup {
        secret: s.secret,
        otpauth_uri: s.uri,
    }))
}

/// `POST /api/v1/me/mfa/setup/confirm`: the app's first code finishes the set-up.
#[utoipa::path(post, path = "/api/v1/me/mfa/setup/confirm", operation_id = "confirmMyMfaSetup", tag = "account",
    request_body = MfaCode, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = RecoveryCodes),
        (status = 409, description = "no set-up begun (`mfa_no_setup`)", content_type = "application/problem+json"),
        (status = 422, description = "the code is wrong", content_type = "application/problem+json")))]
pub async fn confirm_setup(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<MfaCode>, WebError>,
) -> Result<Json<RecoveryCodes>, WebError> {
    let ApiJson(b) = body?;
    let codes = state
        .app
        .confirm_mfa_setup(&u.user, &u.ctx, &b.code)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(RecoveryCodes {
        recovery_codes: codes,
    }))
}

/// `POST /api/v1/me/mfa/recovery-codes`: new recovery codes for the old ones (an app code or
/// a recovery code).
#[utoipa::path(post, path = "/api/v1/me/mfa/recovery-codes", operation_id = "renewMyRecoveryCodes", tag = "account",
    request_body = MfaCode, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = RecoveryCodes),
        (status = 409, description = "two-step verification is not set up (`mfa_not_enrolled`)", content_type = "application/problem+json"),
        (status = 422, description = "the code is wrong", content_type = "application/problem+json")))]
pub async fn renew_codes(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<MfaCode>, WebError>,
) -> Result<Json<RecoveryCodes>, WebError> {
    let ApiJson(b) = body?;
    let codes = state
        .app
        .renew_recovery_codes(&u.user, &u.ctx, &b.code)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(RecoveryCodes {
        recovery_codes: codes,
    }))
}

/// `POST /api/v1/me/mfa/off`: turn two-step verification off (an app code or a recovery code).
#[utoipa::path(post, path = "/api/v1/me/mfa/off", operation_id = "turnOffMyMfa", tag = "account",
    request_body = MfaCode, security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "turned off"),
        (status = 409, description = "the organisation requires it of the caller's role (`mfa_required`), or it is not set up (`mfa_not_enrolled`)", content_type = "application/problem+json"),
        (status = 422, description = "the code is wrong", content_type = "application/problem+json")))]
pub async fn turn_off(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<MfaCode>, WebError>,
) -> Result<StatusCode, WebError> {
    let ApiJson(b) = body?;
    state
        .app
        .turn_off_mfa(&u.user, &u.ctx, &b.code)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/users/{id}/mfa/reset`: remove an account's second factor (administrators; a
/// lost phone and lost codes). Every session and token of the account ends.
#[utoipa::path(post, path = "/api/v1/users/{id}/mfa/reset", operation_id = "resetUserMfa", tag = "users",
    params(("id" = String, Path, description = "account id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "removed"),
        (status = 403, description = "not an administrator", content_type = "application/problem+json"),
        (status = 404, description = "no such account in the organisation", content_type = "application/problem+json"),
        (status = 409, description = "the account has no second factor (`mfa_not_enrolled`)", content_type = "application/problem+json")))]
pub async fn reset(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<StatusCode, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageAccounts,
            "mfa.reset",
            ("account", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let id = parse_id(&u, &id)?;
    state
        .app
        .reset_mfa(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/mfa-policy`: the roles that must use two-step verification (configuration,
/// readable by every account).
#[utoipa::path(get, path = "/api/v1/mfa-policy", operation_id = "getMfaPolicy", tag = "configuration",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = MfaPolicy)))]
pub async fn policy(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<MfaPolicy>, WebError> {
    let p = state
        .app
        .mfa_policy(u.user.actor.org_id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(MfaPolicy {
        roles: p.roles.iter().map(|r| r.code().to_string()).collect(),
        version: p.version,
    }))
}

/// `PUT /api/v1/mfa-policy` (administrators).
#[utoipa::path(put, path = "/api/v1/mfa-policy", operation_id = "putMfaPolicy", tag = "configuration",
    request_body = MfaPolicyInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 403, description = "not an administrator", content_type = "application/problem+json"),
        (status = 409, description = "stale `version`", content_type = "application/problem+json"),
        (status = 422, description = "an unknown role code", content_type = "application/problem+json")))]
pub async fn save_policy(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<MfaPolicyInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageConfiguration,
            "mfa.policy",
            ("mfa_policy", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(b) = body?;
    let version = state
        .app
        .put_mfa_policy(&u.user, &u.ctx, &b.roles, b.version)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}
