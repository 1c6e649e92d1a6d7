//! The caller's own sessions over the API: where she is signed in, signing one out, and
//! signing out everywhere else (from an API token: every session).

use crate::api::extract::Path;
use crate::auth::ApiUser;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// One of the caller's sessions.
#[derive(Debug, Serialize, ToSchema)]
pub struct MySession {
    /// Its name in addresses (16 hexadecimal characters; never the cookie).
    pub id: String,
    /// Browser and system in words (`Chrome 142 · Linux`), when known.
    pub device: Option<String>,
    /// Signed in.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last used (to the minute).
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    /// When it ends at the latest.
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// The session making this request.
    pub current: bool,
}

/// How many sessions were signed out.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignedOut {
    /// Sessions signed out.
    pub signed_out: u64,
}

/// `GET /api/v1/me/sessions`: the caller's sessions still usable, most recently used first.
#[utoipa::path(get, path = "/api/v1/me/sessions", operation_id = "listMySessions", tag = "account",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<MySession>)))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<Vec<MySession>>, WebError> {
    let sessions = state.app.my_sessions(&u.user).await.map_err(|e| u.err(e))?;
    Ok(Json(
        sessions
            .into_iter()
            .map(|s| MySession {
                id: s.handle,
                device: s.device,
                created_at: s.created_at,
                last_seen_at: s.last_seen_at,
                expires_at: s.expires_at,
                current: s.current,
            })
            .collect(),
    ))
}

/// `POST /api/v1/me/sessions/{id}/sign-out`: sign out one of the caller's sessions.
#[utoipa::path(post, path = "/api/v1/me/sessions/{id}/sign-out", operation_id = "signOutMySession", tag = "account",
    params(("id" = String, Path, description = "session id (from the list)")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "signed out")))]
pub async fn sign_out(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<StatusCode, WebError> {
    state
        .app
        .sign_out_session(&u.user, &u.ctx, &id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/me/sessions/sign-out-others`: sign out every session of the caller but the
/// one making the request (all of them from an API token; tokens stay valid).
#[utoipa::path(post, path = "/api/v1/me/sessions/sign-out-others", operation_id = "signOutMyOtherSessions", tag = "account",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = SignedOut)))]
pub async fn sign_out_others(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<SignedOut>, WebError> {
    let n = state
        .app
        .sign_out_everywhere_else(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(SignedOut { signed_out: n }))
}
