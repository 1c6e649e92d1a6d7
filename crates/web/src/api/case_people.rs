//! The people of a case over the API: the team, related persons, person corrections and
//! consent.

use super::cases::{guard, parse_id, Created, Versioned};
use crate::api::extract::Path;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_app::case::CaseAccess;
use karuna_app::consent::ConsentChange;
use karuna_domain::person::PersonInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A colleague to add to the team.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TeamAdd {
    /// The colleague.
    pub account_id: Uuid,
    /// Their role in this case (default: their profession).
    #[serde(default)]
    pub role_in_case: String,
}

/// `POST /api/v1/cases/{id}/team`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/team", operation_id = "addCaseTeamMember", tag = "cases", params(("id" = String, Path, description = "case id")),
    request_body = TeamAdd, security(("bearer" = []), ("session" = [])), responses((status = 204, description = "added")))]
pub async fn team_add(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<TeamAdd>, WebError>,
) -> Result<StatusCode, WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Manage, "case.team").await?;
    let ApiJson(t) = body?;
    state
        .app
        .add_team_member(&u.user, &u.ctx, id, t.account_id, &t.role_in_case)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/v1/cases/{id}/team/{account_id}`.
#[utoipa::path(delete, path = "/api/v1/cases/{id}/team/{account_id}", operation_id = "removeCaseTeamMember", tag = "cases",
    params(("id" = String, Path, description = "case id"), ("account_id" = String, Path, description = "member")),
    security(("bearer" = []), ("session" = [])), responses((status = 204, description = "removed")))]
pub async fn team_remove(
    State(state): State<AppState>,
    u: ApiUser,
    Path((id, account)): Path<(String, String)>,
) -> Result<StatusCode, WebError> {
    let id = parse_id(&u, &id)?;
    let account = parse_id(&u, &account)?;
    state
        .app
        .remove_team_member(&u.user, &u.ctx, id, account)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A person to add to the case.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PersonAdd {
    /// The person.
    pub person: PersonInput,
    /// Relationship to the client (`household_member`, `parent`, `alleged_perpetrator` …).
    pub relationship: String,
}

/// `POST /api/v1/cases/{id}/persons`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/persons", operation_id = "addCasePerson", tag = "cases", params(("id" = String, Path, description = "case id")),
    request_body = PersonAdd, security(("bearer" = []), ("session" = [])), responses((status = 201, body = Created)))]
pub async fn person_add(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<PersonAdd>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Edit, "case.person.add").await?;
    let ApiJson(p) = body?;
    let pid = state
        .app
        .add_case_person(&u.user, &u.ctx, id, &p.person, &p.relationship)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: pid })))
}

/// A consent record on the case file.
#[derive(Debug, Serialize, ToSchema)]
pub struct Consent {
    /// Whose.
    pub person_id: Uuid,
    /// Purpose.
    pub purpose: String,
    /// Agency (sharing).
    pub agency: Option<String>,
    /// `granted`, `refused`, `withdrawn` or `basis`.
    pub status: String,
    /// Lawful basis.
    pub lawful_basis: Option<String>,
    /// Evidence.
    pub evidence_note: Option<String>,
    /// When.
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    /// By whom.
    pub recorded_by: Option<String>,
}

/// `GET /api/v1/cases/{id}/consents`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/consents", operation_id = "listCaseConsents", tag = "cases", params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<Consent>)))]
pub async fn consents(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<Consent>>, WebError> {
    let id = parse_id(&u, &id)?;
    let rows = state
        .app
        .case_consents(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(
        rows.into_iter()
            .map(|c| Consent {
                person_id: c.person_id,
                purpose: c.purpose,
                agency: c.agency,
                status: c.status,
                lawful_basis: c.lawful_basis,
                evidence_note: c.evidence_note,
                recorded_at: c.recorded_at,
                recorded_by: c.recorded_by,
            })
            .collect(),
    ))
}

/// `POST /api/v1/cases/{id}/consents`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/consents", operation_id = "recordCaseConsent", tag = "cases", params(("id" = String, Path, description = "case id")),
    request_body = ConsentChange, security(("bearer" = []), ("session" = [])), responses((status = 204, description = "recorded")))]
pub async fn consent_add(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ConsentChange>, WebError>,
) -> Result<StatusCode, WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Edit, "consent.record").await?;
    let ApiJson(c) = body?;
    state
        .app
        .record_consent(&u.user, &u.ctx, id, &c)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A change to a person's details.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PersonUpdate {
    /// The version read (from the case file).
    pub version: i64,
    /// The person's details, all of them.
    pub person: PersonInput,
}

/// `PATCH /api/v1/persons/{id}`.
#[utoipa::path(patch, path = "/api/v1/persons/{id}", operation_id = "updatePerson", tag = "cases", params(("id" = String, Path, description = "person id")),
    request_body = PersonUpdate, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned), (status = 409, description = "stale version", content_type = "application/problem+json")))]
pub async fn person_update(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<PersonUpdate>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    state
        .app
        .check_person(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(p) = body?;
    let version = state
        .app
        .update_person(&u.user, &u.ctx, id, p.version, &p.person)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}
