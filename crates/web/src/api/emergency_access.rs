//! Break-the-glass over the API: opening a case one has no part in, read-only, in an
//! emergency; one's own openings and a supervisor's review list; one opening with the reads
//! made in its window; its review; ending one's own window early; and the organisation's
//! settings (hours, case types that forbid it).

use super::cases::{parse_id, Versioned};
use crate::api::extract::{Path, Query};
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_domain::access::Action;
use karuna_domain::emergency_access::{EmergencyInput, ReviewInput, Settings, SettingsInput};
use karuna_store::emergency_access::EmergencyRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// One opening of a case in an emergency.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmergencyAccess {
    /// Id.
    pub id: Uuid,
    /// The case opened.
    pub case_id: Uuid,
    /// Its number.
    pub case_number: String,
    /// Who opened it.
    pub account_id: Uuid,
    /// Their name.
    pub reader: String,
    /// Why, in their words.
    pub reason: String,
    /// When.
    pub opened_at: chrono::DateTime<chrono::Utc>,
    /// When the window closes (or closed) by itself.
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// When its reader closed it early.
    pub ended_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The window is open now.
    pub open: bool,
    /// `justified` or `unjustified`; absent while awaiting review.
    pub review: Option<String>,
    /// The reviewer's note.
    pub review_note: Option<String>,
    /// The reviewer.
    pub reviewed_by: Option<String>,
    /// When it was reviewed.
    pub reviewed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Version: send it back with the review.
    pub version: i64,
}

impl From<EmergencyRow> for EmergencyAccess {
    fn from(r: EmergencyRow) -> Self {
        EmergencyAccess {
            open: r.is_open(chrono::Utc::now()),
            id: r.id,
            case_id: r.case_id,
            case_number: r.case_number,
            account_id: r.account_id,
            reader: r.account_name,
            reason: r.reason,
            opened_at: r.opened_at,
            expires_at: r.expires_at,
            ended_at: r.ended_at,
            review: r.review,
            review_note: r.review_note,
            reviewed_by: r.reviewed_by_name,
            reviewed_at: r.reviewed_at,
            version: r.version,
        }
    }
}

/// One's own openings and, for a supervisor, those of her unit's cases.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmergencyLists {
    /// One's own, newest first.
    pub mine: Vec<EmergencyAccess>,
    /// Openings of the unit's cases by others (supervisors; empty for others).
    pub to_review: Vec<EmergencyAccess>,
}

/// An audited event in an opening's window.
#[derive(Debug, Serialize, ToSchema)]
pub struct WindowEvent {
    /// When.
    pub occurred_at: String,
    /// What (an audit action code, e.g. `case.read`).
    pub action: String,
    /// `success`, `denied` or `failure`.
    pub outcome: String,
}

/// One opening with what was done in it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmergencyDetail {
    /// The opening.
    pub access: EmergencyAccess,
    /// The reader's audited events on the case in the window, oldest first.
    pub events: Vec<WindowEvent>,
    /// The caller may review it now.
    pub can_review: bool,
}

/// The organisation's settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmergencySettings {
    /// The settings in force.
    #[serde(flatten)]
    pub settings: Settings,
    /// Their version (0: the defaults, never written); send it back with a change.
    pub version: i64,
}

/// Filters of `GET /api/v1/emergency-access`.
#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ListQuery {
    /// A supervisor's list holds every opening of her unit's cases, not only those awaiting
    /// review.
    pub all: bool,
}

/// `POST /api/v1/cases/{id}/emergency-access`: open a case read-only in an emergency.
#[utoipa::path(post, path = "/api/v1/cases/{id}/emergency-access", operation_id = "openEmergencyAccess", tag = "cases",
    params(("id" = String, Path, description = "case id")), request_body = EmergencyInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = EmergencyAccess, description = "the window opened (or the one already open)"),
        (status = 403, description = "only case managers and supervisors open a case in an emergency", content_type = "application/problem+json"),
        (status = 409, description = "the caller has a part in the case already (`emergency_not_needed`), or a type of the case forbids emergency access (`emergency_forbidden`)", content_type = "application/problem+json")))]
pub async fn open(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<EmergencyInput>, WebError>,
) -> Result<(StatusCode, Json<EmergencyAccess>), WebError> {
    let id = parse_id(&u, &id)?;
    state
        .app
        .check_break_glass(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(input) = body?;
    let row = state
        .app
        .break_glass(&u.user, &u.ctx, id, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// `GET /api/v1/emergency-access`: one's own openings and a supervisor's review list.
#[utoipa::path(get, path = "/api/v1/emergency-access", operation_id = "listEmergencyAccess", tag = "cases", params(ListQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = EmergencyLists),
        (status = 403, description = "a role without cases", content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
    Query(q): Query<ListQuery>,
) -> Result<Json<EmergencyLists>, WebError> {
    let l = state
        .app
        .emergency_accesses(&u.user, &u.ctx, !q.all)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(EmergencyLists {
        mine: l.mine.into_iter().map(Into::into).collect(),
        to_review: l.to_review.into_iter().map(Into::into).collect(),
    }))
}

/// `GET /api/v1/emergency-access/{id}`: one opening with the reads made in its window (its
/// reader, and the supervisors of the case's unit).
#[utoipa::path(get, path = "/api/v1/emergency-access/{id}", operation_id = "getEmergencyAccess", tag = "cases",
    params(("id" = String, Path, description = "opening id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = EmergencyDetail)))]
pub async fn get(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<EmergencyDetail>, WebError> {
    let id = parse_id(&u, &id)?;
    let d = state
        .app
        .emergency_access(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(EmergencyDetail {
        events: d
            .reads
            .into_iter()
            .map(|r| WindowEvent {
                occurred_at: r.record.occurred_at,
                action: r.record.action,
                outcome: r.record.outcome,
            })
            .collect(),
        access: d.row.into(),
        can_review: d.can_review,
    }))
}

/// `POST /api/v1/emergency-access/{id}/review`: mark an opening justified or not.
#[utoipa::path(post, path = "/api/v1/emergency-access/{id}/review", operation_id = "reviewEmergencyAccess", tag = "cases",
    params(("id" = String, Path, description = "opening id")), request_body = ReviewInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 403, description = "only a supervisor of the case's unit reviews, never her own opening", content_type = "application/problem+json"),
        (status = 409, description = "stale version, or reviewed already", content_type = "application/problem+json")))]
pub async fn review(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ReviewInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    state
        .app
        .check_emergency_review(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(input) = body?;
    let version = state
        .app
        .review_emergency_access(&u.user, &u.ctx, id, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `POST /api/v1/emergency-access/{id}/end`: close one's own window now.
#[utoipa::path(post, path = "/api/v1/emergency-access/{id}/end", operation_id = "endEmergencyAccess", tag = "cases",
    params(("id" = String, Path, description = "opening id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "closed"),
        (status = 409, description = "the window is closed already (`emergency_closed`)", content_type = "application/problem+json")))]
pub async fn end(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<StatusCode, WebError> {
    let id = parse_id(&u, &id)?;
    state
        .app
        .end_emergency_access(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/emergency-access-settings`: how long an opening lasts and which case types
/// forbid it (configuration, readable by every account).
#[utoipa::path(get, path = "/api/v1/emergency-access-settings", operation_id = "getEmergencyAccessSettings", tag = "configuration",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = EmergencySettings)))]
pub async fn settings(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<EmergencySettings>, WebError> {
    let s = state
        .app
        .emergency_settings(u.user.actor.org_id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(EmergencySettings {
        settings: s.settings,
        version: s.version,
    }))
}

/// `PUT /api/v1/emergency-access-settings` (administrators).
#[utoipa::path(put, path = "/api/v1/emergency-access-settings", operation_id = "putEmergencyAccessSettings", tag = "configuration",
    request_body = SettingsInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 403, description = "not an administrator", content_type = "application/problem+json"),
        (status = 409, description = "stale `version`", content_type = "application/problem+json")))]
pub async fn save_settings(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<SettingsInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageConfiguration,
            "emergency_access.configure",
            ("emergency_access_setting", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(input) = body?;
    let version = state
        .app
        .put_emergency_settings(&u.user, &u.ctx, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}
