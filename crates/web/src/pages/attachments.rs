//! Files on a case: reading an upload, the box that lists a record's files with its upload
//! form (on a contact card and on an assessment), the two upload routes, and the download.

use super::case_file::{render_file, CaseForms};
use super::FormState;
use crate::auth::PageUser;
use crate::error::{Surface, WebError};
use crate::state::AppState;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::attachment::{AttachTarget, UploadedFile};
use karuna_app::AppError;
use karuna_store::attachment::AttachmentInfo;
use uuid::Uuid;

/// An upload form as read: its text fields and the file, if one was chosen.
pub struct Upload {
    /// The text fields, in order.
    pub pairs: Vec<(String, String)>,
    /// The file field's content.
    pub file: Option<UploadedFile>,
}

/// Reads a multipart form whose file field is `file_field`. A body that is not a well-formed
/// form is 400, a file over the body limit 413.
pub async fn read_upload(
    u: &PageUser,
    body: Result<Multipart, MultipartRejection>,
    file_field: &str,
) -> Result<Upload, WebError> {
    let bad = || {
        WebError::adapter(
            StatusCode::BAD_REQUEST,
            "bad_form",
            Surface::Page,
            u.tr.clone(),
        )
    };
    let mut multipart = body.map_err(|_| bad())?;
    let mut pairs = Vec::new();
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| bad())? {
        let name = field.name().unwrap_or("").to_string();
        if name == file_field {
            let filename = field.file_name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(|_| {
                WebError::adapter(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    Surface::Page,
                    u.tr.clone(),
                )
            })?;
            if !bytes.is_empty() || !filename.is_empty() {
                file = Some(UploadedFile {
                    filename,
                    bytes: bytes.to_vec(),
                });
            }
        } else {
            let value = field.text().await.map_err(|_| bad())?;
            pairs.push((name, value));
        }
    }
    Ok(Upload { pairs, file })
}

/// One listed file.
pub struct FileLine {
    /// Id (the download is `/attachments/{id}`).
    pub id: Uuid,
    /// File name.
    pub name: String,
    /// Its description, type, size, who and when, in the user's language.
    pub meta: String,
}

/// A record's files and the form that adds one (`attachments.html`).
pub struct FileBox {
    /// Where the form posts.
    pub action: String,
    /// A prefix that makes the form's element ids unique on the page.
    pub key: String,
    /// The files.
    pub files: Vec<FileLine>,
    /// The failed upload's input and messages, if this box's upload failed.
    pub form: FormState,
    /// The user may add files.
    pub can_add: bool,
}

fn size_text(u: &PageUser, bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        // Tenths of a megabyte, in integers.
        let tenths = bytes * 10 / (1024 * 1024);
        format!("{}.{} MB", tenths / 10, tenths % 10)
    } else {
        let kb = (bytes + 1023) / 1024;
        u.tr.get1("attach-kb", "kb", &kb.to_string())
    }
}

fn kind_text(content_type: &str) -> &'static str {
    match content_type {
        "application/pdf" => "PDF",
        "image/jpeg" => "JPEG",
        "image/png" => "PNG",
        _ => "",
    }
}

impl FileBox {
    /// The box for `files`, posting to `action`.
    pub fn new(
        u: &PageUser,
        action: String,
        key: String,
        files: &[&AttachmentInfo],
        can_add: bool,
    ) -> Self {
        let files = files
            .iter()
            .map(|f| {
                let mut meta = Vec::new();
                if let Some(d) = &f.description {
                    meta.push(d.clone());
                }
                meta.push(format!(
                    "{} {}",
                    kind_text(&f.content_type),
                    size_text(u, f.size)
                ));
                if let Some(by) = &f.created_by_name {
                    meta.push(by.clone());
                }
                meta.push(u.tr.datetime(&f.created_at));
                FileLine {
                    id: f.id,
                    name: f.filename.clone(),
                    meta: meta.join(" · "),
                }
            })
            .collect();
        FileBox {
            action,
            key,
            files,
            form: FormState::default(),
            can_add,
        }
    }
}

/// `POST /contacts/{id}/attachments` (multipart: `file`, `description`, `csrf`).
pub async fn attach_to_contact(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    body: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let contact = Uuid::parse_str(&id).map_err(|_| u.err(AppError::NotFound))?;
    let case = state
        .app
        .contact_case(contact)
        .await
        .map_err(|e| u.err(e))?;
    state
        .app
        .check_case(
            &u.user,
            &u.ctx,
            case,
            karuna_app::case::CaseAccess::Edit,
            "attachment.create",
        )
        .await
        .map_err(|e| u.err(e))?;
    let up = read_upload(&u, body, "file").await?;
    let p = super::intake::Pairs(up.pairs);
    u.check_csrf(&p.get("csrf"))?;
    let r = state
        .app
        .attach_file(
            &u.user,
            &u.ctx,
            AttachTarget::Contact(contact),
            &p.get("description"),
            up.file.as_ref(),
        )
        .await;
    match r {
        Ok(_) => Ok(Redirect::to(&format!(
            "/cases/{case}?tab=contacts&saved=attachment#contact-{contact}"
        ))
        .into_response()),
        Err(AppError::Invalid(errors)) => {
            let fields =
                WebError::new(AppError::Invalid(errors), Surface::Page, u.tr.clone()).fields();
            let forms = CaseForms {
                attach: Some((contact, FormState::from_pairs(&p.0).errors(fields))),
                ..CaseForms::default()
            };
            render_file(
                &state,
                &u,
                case,
                "contacts",
                forms,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /assessments/{id}/attachments` (multipart: `file`, `description`, `csrf`).
pub async fn attach_to_assessment(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    body: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let assessment = Uuid::parse_str(&id).map_err(|_| u.err(AppError::NotFound))?;
    let case = state
        .app
        .assessment_case(assessment)
        .await
        .map_err(|e| u.err(e))?;
    state
        .app
        .check_case(
            &u.user,
            &u.ctx,
            case,
            karuna_app::case::CaseAccess::Edit,
            "attachment.create",
        )
        .await
        .map_err(|e| u.err(e))?;
    let up = read_upload(&u, body, "file").await?;
    let p = super::intake::Pairs(up.pairs);
    u.check_csrf(&p.get("csrf"))?;
    let r = state
        .app
        .attach_file(
            &u.user,
            &u.ctx,
            AttachTarget::Assessment(assessment),
            &p.get("description"),
            up.file.as_ref(),
        )
        .await;
    match r {
        Ok(_) => Ok(
            Redirect::to(&format!("/assessments/{assessment}?attached=1#files")).into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let fields =
                WebError::new(AppError::Invalid(errors), Surface::Page, u.tr.clone()).fields();
            super::assessments::render_with_attach_error(
                &state,
                &u,
                assessment,
                FormState::from_pairs(&p.0).errors(fields),
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `GET /attachments/{id}`: a file, as a download (never rendered inline).
pub async fn download(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = Uuid::parse_str(&id).map_err(|_| u.err(AppError::NotFound))?;
    let (info, bytes) = state
        .app
        .attachment(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(file_response(&info, bytes))
}

/// A file as a download: its type, and its name encoded for `Content-Disposition` (RFC 6266).
pub fn file_response(info: &AttachmentInfo, bytes: Vec<u8>) -> Response {
    let encoded: String = info
        .filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"file\"; filename*=UTF-8''{encoded}");
    (
        [
            (axum::http::header::CONTENT_TYPE, info.content_type.clone()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}
