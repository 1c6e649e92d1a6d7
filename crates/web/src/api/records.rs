//! Contacts and promises of a case over the API.

use super::cases::{guard, parse_id, Created, Versioned};
use crate::api::extract::Path;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_app::case::CaseAccess;
use karuna_app::promise::PromiseUpdate;
use karuna_domain::contact::ContactInput;
use karuna_domain::promise::PromiseInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A contact of the case.
#[derive(Debug, Serialize, ToSchema)]
pub struct Contact {
    /// Id.
    pub id: Uuid,
    /// Kind code.
    pub kind: String,
    /// When (noon in Bangkok when only the date was recorded).
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    /// A time of day was recorded; when false only the date of `occurred_at` is meaningful.
    pub time_known: bool,
    /// Minutes.
    pub duration_minutes: Option<i64>,
    /// Place.
    pub place: Option<String>,
    /// Note.
    pub note: String,
    /// Sources.
    pub sources: Vec<String>,
    /// Follow-up needed.
    pub follow_up_needed: bool,
    /// Follow-up.
    pub follow_up_note: Option<String>,
    /// Version (above 1 when corrected; earlier versions are kept).
    pub version: i64,
    /// Recorded by.
    pub created_by: Option<String>,
    /// Persons of the case who took part.
    pub person_ids: Vec<Uuid>,
    /// Staff who took part.
    pub account_ids: Vec<Uuid>,
}

/// `GET /api/v1/cases/{id}/contacts`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/contacts", operation_id = "listCaseContacts", tag = "contacts", params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<Contact>)))]
pub async fn contacts(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<Contact>>, WebError> {
    let id = parse_id(&u, &id)?;
    let rows = state
        .app
        .case_contacts(&u.user, &u.ctx, id, 500)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(
        rows.into_iter()
            .map(|c| Contact {
                id: c.id,
                kind: c.kind,
                occurred_at: c.occurred_at,
                time_known: c.time_known,
                duration_minutes: c.duration_minutes,
                place: c.place,
                note: c.note,
                sources: c.sources,
                follow_up_needed: c.follow_up_needed,
                follow_up_note: c.follow_up_note,
                version: c.version,
                person_ids: c.participants.iter().filter_map(|p| p.person_id).collect(),
                account_ids: c.participants.iter().filter_map(|p| p.account_id).collect(),
                created_by: c.created_by_name,
            })
            .collect(),
    ))
}

/// `POST /api/v1/cases/{id}/contacts`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/contacts", operation_id = "addCaseContact", tag = "contacts", params(("id" = String, Path, description = "case id")),
    request_body = ContactInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created), (status = 422, description = "invalid", content_type = "application/problem+json")))]
pub async fn contact_add(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ContactInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Edit, "contact.create").await?;
    let ApiJson(c) = body?;
    let cid = state
        .app
        .add_contact(&u.user, &u.ctx, id, &c)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: cid })))
}

/// A correction of a contact.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ContactCorrection {
    /// The version read.
    pub version: i64,
    /// Why it is corrected.
    pub reason: String,
    /// The corrected contact.
    pub contact: ContactInput,
}

/// `PUT /api/v1/contacts/{id}`: a correction (the earlier version is kept).
#[utoipa::path(put, path = "/api/v1/contacts/{id}", operation_id = "correctContact", tag = "contacts", params(("id" = String, Path, description = "contact id")),
    request_body = ContactCorrection, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned), (status = 409, description = "stale version", content_type = "application/problem+json")))]
pub async fn contact_correct(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ContactCorrection>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    let case = state.app.contact_case(id).await.map_err(|e| u.err(e))?;
    guard(&state, &u, case, CaseAccess::Edit, "contact.correct").await?;
    let ApiJson(c) = body?;
    let version = state
        .app
        .correct_contact(&u.user, &u.ctx, id, c.version, &c.contact, &c.reason)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// A promise.
#[derive(Debug, Serialize, ToSchema)]
pub struct Promise {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Case number.
    pub case_number: String,
    /// What.
    pub what: String,
    /// By when.
    pub due_date: chrono::NaiveDate,
    /// `open`, `kept`, `missed`.
    pub status: String,
    /// Why missed.
    pub status_reason: Option<String>,
    /// Made by.
    pub made_by: String,
    /// To whom.
    pub to_person_id: Uuid,
    /// Version.
    pub version: i64,
}

impl From<karuna_store::promise::PromiseRow> for Promise {
    fn from(p: karuna_store::promise::PromiseRow) -> Self {
        Promise {
            id: p.id,
            case_id: p.case_id,
            case_number: p.case_number,
            what: p.what,
            due_date: p.due_date,
            status: p.status,
            status_reason: p.status_reason,
            made_by: p.made_by_name,
            to_person_id: p.to_person_id,
            version: p.version,
        }
    }
}

/// `GET /api/v1/cases/{id}/promises`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/promises", operation_id = "listCasePromises", tag = "promises", params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<Promise>)))]
pub async fn promises(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<Promise>>, WebError> {
    let id = parse_id(&u, &id)?;
    let (rows, _) = state
        .app
        .case_promises(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(rows.into_iter().map(Promise::from).collect()))
}

/// `POST /api/v1/cases/{id}/promises`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/promises", operation_id = "addCasePromise", tag = "promises", params(("id" = String, Path, description = "case id")),
    request_body = PromiseInput, security(("bearer" = []), ("session" = [])), responses((status = 201, body = Created)))]
pub async fn promise_add(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<PromiseInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Edit, "promise.create").await?;
    let ApiJson(p) = body?;
    let pid = state
        .app
        .add_promise(&u.user, &u.ctx, id, &p)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: pid })))
}

/// `POST /api/v1/promises/{id}`: keep, miss or renegotiate.
#[utoipa::path(post, path = "/api/v1/promises/{id}", operation_id = "changePromise", tag = "promises", params(("id" = String, Path, description = "promise id")),
    request_body = PromiseUpdate, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned), (status = 409, description = "stale version", content_type = "application/problem+json")))]
pub async fn promise_change(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<PromiseUpdate>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    let case = state.app.promise_case(id).await.map_err(|e| u.err(e))?;
    guard(&state, &u, case, CaseAccess::Edit, "promise.update").await?;
    let ApiJson(p) = body?;
    let version = state
        .app
        .change_promise(&u.user, &u.ctx, id, &p)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `GET /api/v1/me/promises`: my open promises due today or overdue.
#[utoipa::path(get, path = "/api/v1/me/promises", operation_id = "listMyPromises", tag = "promises", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<Promise>)))]
pub async fn my_promises(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<Vec<Promise>>, WebError> {
    let rows = state
        .app
        .my_due_promises(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(rows.into_iter().map(Promise::from).collect()))
}
