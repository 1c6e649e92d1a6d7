//! Data-subject requests over the API (app::data_request): the register, recording a request
//! about a person, one request, its answer, and an access request's export as JSON or PDF.

use crate::api::cases::{parse_id, Versioned};
use crate::api::extract::Path;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::pages::data_request_export as export;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_app::data_request::DataRequest as AppRequest;
use karuna_domain::data_request::{AnswerInput, RequestInput, Urgency};
use serde::Serialize;
use utoipa::ToSchema;

/// A data-subject request.
#[derive(Debug, Serialize, ToSchema)]
pub struct DataRequest {
    /// Id.
    pub id: uuid::Uuid,
    /// Whose data.
    pub person_id: uuid::Uuid,
    /// Her name.
    pub person_name: String,
    /// `access`, `rectification`, `objection`, `restriction` or `erasure`.
    pub kind: String,
    /// Received.
    pub received_on: chrono::NaiveDate,
    /// The answer is due (30 days after receipt).
    pub due_on: chrono::NaiveDate,
    /// For an open request: `on_time`, `due_soon` (within 7 days) or `overdue`.
    pub urgency: Option<String>,
    /// What was asked.
    pub details: String,
    /// `open`, `completed` or `refused`.
    pub status: String,
    /// A refusal's legal ground.
    pub ground: Option<String>,
    /// What the person was told.
    pub answer_note: Option<String>,
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    /// Who answered it.
    pub answered_by: Option<String>,
    /// When.
    pub answered_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Version to send back with the answer.
    pub version: i64,
}

impl From<AppRequest> for DataRequest {
    fn from(r: AppRequest) -> Self {
        let urgency = r.urgency.map(|u| {
            match u {
                Urgency::OnTime => "on_time",
                Urgency::DueSoon => "due_soon",
                Urgency::Overdue => "overdue",
            }
            .to_string()
        });
        let r = r.row;
        DataRequest {
            id: r.id,
            person_id: r.person_id,
            person_name: r.person_name,
            kind: r.kind,
            received_on: r.received_on,
            due_on: r.due_on,
            urgency,
            details: r.details,
            status: r.status,
            ground: r.ground,
            answer_note: r.answer_note,
            recorded_by: r.recorded_by_name,
            recorded_at: r.recorded_at,
            answered_by: r.answered_by_name,
            answered_at: r.answered_at,
            version: r.version,
        }
    }
}

/// A request's id.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    /// Id.
    pub id: uuid::Uuid,
}

/// `GET /api/v1/data-requests`: the register (a supervisor's unit's, a case manager's own).
#[utoipa::path(get, path = "/api/v1/data-requests", operation_id = "listDataRequests", tag = "persons",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<DataRequest>)))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<Vec<DataRequest>>, WebError> {
    let rows = state
        .app
        .data_requests(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(rows.into_iter().map(DataRequest::from).collect()))
}

/// `POST /api/v1/persons/{id}/data-requests`: record a request about a person on a case the
/// caller may edit.
#[utoipa::path(post, path = "/api/v1/persons/{id}/data-requests", operation_id = "recordDataRequest", tag = "persons",
    params(("id" = String, Path, description = "person id")),
    request_body = RequestInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Recorded)))]
pub async fn record(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<RequestInput>, WebError>,
) -> Result<(StatusCode, Json<Recorded>), WebError> {
    state
        .app
        .check_data_requests(&u.user, &u.ctx, "data_request.record")
        .await
        .map_err(|e| u.err(e))?;
    let person = parse_id(&u, &id)?;
    let ApiJson(input) = body?;
    let id = state
        .app
        .record_data_request(&u.user, &u.ctx, person, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Recorded { id })))
}

/// `GET /api/v1/data-requests/{id}`.
#[utoipa::path(get, path = "/api/v1/data-requests/{id}", operation_id = "getDataRequest", tag = "persons",
    params(("id" = String, Path, description = "request id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = DataRequest)))]
pub async fn get(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<DataRequest>, WebError> {
    let id = parse_id(&u, &id)?;
    let r = state
        .app
        .data_request(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(r.into()))
}

/// `POST /api/v1/data-requests/{id}/answer`: completed, or refused naming the legal ground.
#[utoipa::path(post, path = "/api/v1/data-requests/{id}/answer", operation_id = "answerDataRequest", tag = "persons",
    params(("id" = String, Path, description = "request id")),
    request_body = AnswerInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 409, description = "stale `version`, answered already (`data_request_answered`), or an erasure marked completed (`erasure_not_available`: Karuna does not anonymise records yet)", content_type = "application/problem+json")))]
pub async fn answer(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<AnswerInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    let ApiJson(input) = body?;
    let version = state
        .app
        .answer_data_request(&u.user, &u.ctx, id, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `GET /api/v1/data-requests/{id}/export`: an access request's export, machine-readable: the
/// request, the person's record, each of her cases the caller may open as sections of labelled
/// fields and tables, and the units holding her other cases.
#[utoipa::path(get, path = "/api/v1/data-requests/{id}/export", operation_id = "exportDataRequest", tag = "persons",
    params(("id" = String, Path, description = "request id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "the export", body = Object),
        (status = 409, description = "not an access request (`data_request_not_access`)", content_type = "application/problem+json")))]
pub async fn export_json(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, WebError> {
    let id = parse_id(&u, &id)?;
    let x = state
        .app
        .data_request_export(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(export::json(&u.tr, &x, &u.user.display_name)))
}

/// `GET /api/v1/data-requests/{id}/pdf`: the same export typeset as a PDF.
#[utoipa::path(get, path = "/api/v1/data-requests/{id}/pdf", operation_id = "exportDataRequestPdf", tag = "persons",
    params(("id" = String, Path, description = "request id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "the PDF", content_type = "application/pdf", body = crate::api::advocacy::PdfFile),
        (status = 409, description = "not an access request (`data_request_not_access`)", content_type = "application/problem+json")))]
pub async fn export_pdf(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<axum::response::Response, WebError> {
    let id = parse_id(&u, &id)?;
    let x = state
        .app
        .data_request_export(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let doc = export::document(&u.tr, &x, &u.user.display_name);
    crate::pages::pdf::respond(doc, &export::file_name(&x, "pdf"), |e| u.err(e)).await
}
