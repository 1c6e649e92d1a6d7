//! Files on a case over the API: the list, an upload to a contact or an assessment
//! (`multipart/form-data`), and the download.

use super::cases::{guard, parse_id};
use crate::api::extract::Path;
use crate::auth::ApiUser;
use crate::error::{Surface, WebError};
use crate::state::AppState;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use karuna_app::attachment::{AttachTarget, UploadedFile};
use karuna_app::case::CaseAccess;
use karuna_store::attachment::{AttachedTo, AttachmentInfo};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A file kept on a case (its description; the bytes are downloaded separately).
#[derive(Debug, Serialize, ToSchema)]
pub struct Attachment {
    /// Id (`GET /api/v1/attachments/{id}` downloads it).
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// What it is attached to: `case`, `consent`, `contact`, `assessment` or `payment` (a
    /// receipt).
    pub attached_to: String,
    /// The consent record, contact, assessment or ledger entry (none for the case itself).
    pub record_id: Option<Uuid>,
    /// File name.
    pub filename: String,
    /// What it is.
    pub description: Option<String>,
    /// `application/pdf`, `image/jpeg` or `image/png` (checked against the content).
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// Uploaded.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Uploaded by.
    pub created_by: Option<String>,
}

impl From<AttachmentInfo> for Attachment {
    fn from(a: AttachmentInfo) -> Self {
        let (attached_to, record_id) = match a.to {
            AttachedTo::Case => ("case", None),
            AttachedTo::Consent(c) => ("consent", Some(c)),
            AttachedTo::Contact(c) => ("contact", Some(c)),
            AttachedTo::Assessment(x) => ("assessment", Some(x)),
            AttachedTo::Payment(e) => ("payment", Some(e)),
        };
        Attachment {
            id: a.id,
            case_id: a.case_id,
            attached_to: attached_to.into(),
            record_id,
            filename: a.filename,
            description: a.description,
            content_type: a.content_type,
            size: a.size,
            created_at: a.created_at,
            created_by: a.created_by_name,
        }
    }
}

/// An upload: the file and an optional description.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // Describes the multipart body for the OpenAPI document.
pub struct Upload {
    /// The file: PDF, JPEG or PNG, at most 5 MiB.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// What it is (at most 200 characters).
    pub description: Option<String>,
}

/// A file's bytes.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)] // Describes the download for the OpenAPI document.
pub struct FileBytes(Vec<u8>);

/// `GET /api/v1/cases/{id}/attachments`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/attachments", operation_id = "listCaseAttachments", tag = "contacts", params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<Attachment>)))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<Attachment>>, WebError> {
    let id = parse_id(&u, &id)?;
    let rows = state
        .app
        .case_attachments(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(rows.into_iter().map(Attachment::from).collect()))
}

/// Reads the upload: 415 when the body is not `multipart/form-data`, 400 when it is malformed,
/// 413 when the file is over the limit.
async fn read(
    u: &ApiUser,
    headers: &HeaderMap,
    body: Result<Multipart, MultipartRejection>,
) -> Result<(Option<UploadedFile>, String), WebError> {
    let adapter = |status, code| WebError::adapter(status, code, Surface::Api, u.tr.clone());
    let is_multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(adapter(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "bad_media_type",
        ));
    }
    let mut multipart = body.map_err(|_| adapter(StatusCode::BAD_REQUEST, "bad_form"))?;
    let mut file = None;
    let mut description = String::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| adapter(StatusCode::BAD_REQUEST, "bad_form"))?
    {
        match field.name().unwrap_or("") {
            "file" => {
                let filename = field.file_name().unwrap_or("").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| adapter(StatusCode::PAYLOAD_TOO_LARGE, "too_large"))?;
                file = Some(UploadedFile {
                    filename,
                    bytes: bytes.to_vec(),
                });
            }
            "description" => {
                description = field
                    .text()
                    .await
                    .map_err(|_| adapter(StatusCode::BAD_REQUEST, "bad_form"))?;
            }
            _ => {}
        }
    }
    Ok((file, description))
}

async fn attach(
    state: &AppState,
    u: &ApiUser,
    target: AttachTarget,
    headers: &HeaderMap,
    body: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Attachment>), WebError> {
    let case = state
        .app
        .attachment_case(target)
        .await
        .map_err(|e| u.err(e))?;
    guard(state, u, case, CaseAccess::Edit, "attachment.create").await?;
    let (file, description) = read(u, headers, body).await?;
    let info = state
        .app
        .attach_file(&u.user, &u.ctx, target, &description, file.as_ref())
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(info.into())))
}

/// `POST /api/v1/contacts/{id}/attachments`: attaches a file to a contact.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/attachments", operation_id = "attachToContact", tag = "contacts", params(("id" = String, Path, description = "contact id")),
    request_body(content = Upload, content_type = "multipart/form-data"), security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Attachment),
        (status = 400, description = "a malformed multipart body"),
        (status = 415, description = "the body must be `multipart/form-data`"),
        (status = 422, description = "no file, an empty or too large file, not a PDF, JPEG or PNG, or a description over 200 characters")))]
pub async fn attach_to_contact(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Attachment>), WebError> {
    let id = parse_id(&u, &id)?;
    attach(&state, &u, AttachTarget::Contact(id), &headers, body).await
}

/// `POST /api/v1/assessments/{id}/attachments`: attaches a file to an assessment.
#[utoipa::path(post, path = "/api/v1/assessments/{id}/attachments", operation_id = "attachToAssessment", tag = "assessments", params(("id" = String, Path, description = "assessment id")),
    request_body(content = Upload, content_type = "multipart/form-data"), security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Attachment),
        (status = 400, description = "a malformed multipart body"),
        (status = 415, description = "the body must be `multipart/form-data`"),
        (status = 422, description = "no file, an empty or too large file, not a PDF, JPEG or PNG, or a description over 200 characters")))]
pub async fn attach_to_assessment(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Attachment>), WebError> {
    let id = parse_id(&u, &id)?;
    attach(&state, &u, AttachTarget::Assessment(id), &headers, body).await
}

/// `POST /api/v1/budget-entries/{id}/receipts`: keeps the receipt of a payment (a ledger entry
/// of kind `disbursement`) on its case.
#[utoipa::path(post, path = "/api/v1/budget-entries/{id}/receipts", operation_id = "attachPaymentReceipt", tag = "gatekeeping", params(("id" = String, Path, description = "ledger entry id (a payment)")),
    request_body(content = Upload, content_type = "multipart/form-data"), security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Attachment),
        (status = 400, description = "a malformed multipart body"),
        (status = 409, description = "the entry is not a payment (`receipt_not_payment`)"),
        (status = 415, description = "the body must be `multipart/form-data`"),
        (status = 422, description = "no file, an empty or too large file, not a PDF, JPEG or PNG, or a description over 200 characters")))]
pub async fn attach_receipt(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Attachment>), WebError> {
    let id = parse_id(&u, &id)?;
    attach(&state, &u, AttachTarget::Payment(id), &headers, body).await
}

/// `GET /api/v1/attachments/{id}`: the file's bytes (for those who may see the client's
/// identity; audited).
#[utoipa::path(get, path = "/api/v1/attachments/{id}", operation_id = "downloadAttachment", tag = "contacts", params(("id" = String, Path, description = "attachment id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "the file", content(
        (FileBytes = "application/pdf"), (FileBytes = "image/jpeg"), (FileBytes = "image/png")))))]
pub async fn download(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&u, &id)?;
    let (info, bytes) = state
        .app
        .attachment(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(crate::pages::attachments::file_response(&info, bytes))
}
