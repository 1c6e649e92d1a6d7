//! Account administration over the API (admins).

use crate::api::extract::{Path, Query};
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_app::account::{NewUserInput, UpdateUserInput, UserView};
use karuna_app::AppError;
use karuna_domain::access::Action;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// An account (never its password hash).
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    /// Id.
    pub id: Uuid,
    /// Login name.
    pub username: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Role code: admin, supervisor, case_manager, team_member, data_analyst, auditor.
    pub role: String,
    /// Profession code for team members.
    pub profession: Option<String>,
    /// Unit id.
    pub unit_id: Option<Uuid>,
    /// May log in.
    pub active: bool,
    /// Locked by failed logins until then.
    pub locked_until: Option<chrono::DateTime<chrono::Utc>>,
    /// Version; send it back to update.
    pub version: i64,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Designated to maintain the resource directory.
    pub resource_editor: bool,
}

impl From<UserView> for User {
    fn from(v: UserView) -> Self {
        User {
            id: v.id,
            username: v.username,
            display_name: v.display_name,
            role: v.role,
            profession: v.profession,
            unit_id: v.unit_id,
            active: v.active,
            locked_until: v.locked_until,
            version: v.version,
            created_at: v.created_at,
            resource_editor: v.resource_editor,
        }
    }
}

/// A page of accounts.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserPage {
    /// The accounts.
    pub items: Vec<User>,
    /// Cursor for the next page, when there is one.
    pub next_after: Option<String>,
}

/// Keyset paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Return accounts after this cursor.
    pub after: Option<String>,
    /// Page size (1–200, default 50).
    pub limit: Option<i64>,
}

/// `GET /api/v1/users`.
#[utoipa::path(get, path = "/api/v1/users", operation_id = "listUsers", tag = "users", params(Paging), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = UserPage), (status = 401, description = "not signed in", content_type = "application/problem+json"),
        (status = 403, description = "not an administrator", content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
    Query(p): Query<Paging>,
) -> Result<Json<UserPage>, WebError> {
    let limit = p.limit.unwrap_or(50).clamp(1, 200);
    let mut items = state
        .app
        .list_users(&u.user, &u.ctx, p.after.as_deref(), limit + 1)
        .await
        .map_err(|e| u.err(e))?;
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next_after = if more {
        items.last().map(|x| x.username.clone())
    } else {
        None
    };
    Ok(Json(UserPage {
        items: items.into_iter().map(User::from).collect(),
        next_after,
    }))
}

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// Login name: 3–40 of a–z, 0–9, `.`, `_`, `-`.
    pub username: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// Profession code (required for team members).
    pub profession: Option<String>,
    /// Unit id.
    pub unit_id: Option<String>,
    /// Initial password; generated and returned once when omitted.
    pub password: Option<String>,
}

/// A created account and, if generated, its password (shown only here).
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUser {
    /// The account.
    pub user: User,
    /// The generated password.
    pub generated_password: Option<String>,
}

/// `POST /api/v1/users`.
#[utoipa::path(post, path = "/api/v1/users", operation_id = "createUser", tag = "users", request_body = NewUser, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CreatedUser), (status = 422, description = "invalid", content_type = "application/problem+json"),
        (status = 403, description = "not an administrator", content_type = "application/problem+json"),
        (status = 503, description = "every password-hashing slot stayed busy; retry after `Retry-After` seconds", content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<NewUser>, WebError>,
) -> Result<(StatusCode, Json<CreatedUser>), WebError> {
    // Authorise before looking at the body: a refusal never depends on what was sent.
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageAccounts,
            "account.create",
            ("account", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(n) = body?;
    let input = NewUserInput {
        username: n.username,
        display_name: n.display_name,
        role: n.role,
        profession: n.profession,
        unit_id: n.unit_id,
        password: n.password,
    };
    let c = state
        .app
        .create_user(&u.user, &u.ctx, input)
        .await
        .map_err(|e| u.err(e))?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedUser {
            user: c.user.into(),
            generated_password: c.generated_password,
        }),
    ))
}

fn parse_id(u: &ApiUser, id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| u.err(AppError::NotFound))
}

/// `GET /api/v1/users/{id}`.
#[utoipa::path(get, path = "/api/v1/users/{id}", operation_id = "getUser", tag = "users", params(("id" = String, Path, description = "account id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = User), (status = 404, description = "no such account", content_type = "application/problem+json")))]
pub async fn get_one(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<User>, WebError> {
    let id = parse_id(&u, &id)?;
    Ok(Json(
        state
            .app
            .get_user(&u.user, &u.ctx, id)
            .await
            .map_err(|e| u.err(e))?
            .into(),
    ))
}

/// A change to an account; `version` must be the one last read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    /// The version the change is based on.
    pub version: i64,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// Profession code.
    pub profession: Option<String>,
    /// Unit id.
    pub unit_id: Option<String>,
    /// May log in.
    pub active: bool,
    /// Designate the account to maintain the resource directory (omitted: unchanged).
    #[serde(default)]
    pub resource_editor: Option<bool>,
}

/// `PATCH /api/v1/users/{id}`: 409 when `version` is stale.
#[utoipa::path(patch, path = "/api/v1/users/{id}", operation_id = "updateUser", tag = "users", request_body = UserUpdate,
    params(("id" = String, Path, description = "account id")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = User), (status = 409, description = "stale version", content_type = "application/problem+json"),
        (status = 422, description = "invalid", content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<UserUpdate>, WebError>,
) -> Result<Json<User>, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageAccounts,
            "account.update",
            ("account", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let id = parse_id(&u, &id)?;
    let ApiJson(x) = body?;
    let input = UpdateUserInput {
        version: x.version,
        display_name: x.display_name,
        role: x.role,
        profession: x.profession,
        unit_id: x.unit_id,
        active: x.active,
        resource_editor: x.resource_editor,
    };
    Ok(Json(
        state
            .app
            .update_user(&u.user, &u.ctx, id, input)
            .await
            .map_err(|e| u.err(e))?
            .into(),
    ))
}
