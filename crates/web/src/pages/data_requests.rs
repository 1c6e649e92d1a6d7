//! The register of data-subject requests (app::data_request): the list with due dates, a new
//! request from a person on the case page, one request with its answer form, and an access
//! request's export as PDF and JSON.

use super::data_request_export as export;
use super::{refusal, render, Chrome, ErrorLink, FormState, SavedQuery};
use crate::api::extract::Path;
use crate::auth::{PageUser, WebForm};
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::data_request::DataRequest;
use karuna_app::AppError;
use karuna_domain::data_request::{AnswerInput, Ground, Kind, RequestInput, Urgency};
use serde::Deserialize;
use uuid::Uuid;

/// One request as the pages show it.
struct Line {
    id: Uuid,
    person: String,
    kind: String,
    received: String,
    due: String,
    status: String,
    /// `overdue`, `due-soon` or empty.
    urgency: &'static str,
    urgency_label: String,
}

fn line(u: &PageUser, r: &DataRequest) -> Line {
    let (urgency, key) = match r.urgency {
        Some(Urgency::Overdue) => ("overdue", "dsr-overdue"),
        Some(Urgency::DueSoon) => ("due-soon", "dsr-due-soon"),
        _ => ("", ""),
    };
    Line {
        id: r.row.id,
        person: r.row.person_name.clone(),
        kind: u.tr.get(&format!("dsr-kind-{}", r.row.kind)),
        received: u.tr.date(&r.row.received_on),
        due: u.tr.date(&r.row.due_on),
        status: u.tr.get(&format!("dsr-status-{}", r.row.status)),
        urgency,
        urgency_label: if key.is_empty() {
            String::new()
        } else {
            u.tr.get(key)
        },
    }
}

#[derive(Template)]
#[template(path = "data_requests.html")]
struct ListPage {
    c: Chrome,
    lines: Vec<Line>,
}

/// `GET /data-requests`: the register.
pub async fn list(State(state): State<AppState>, u: PageUser) -> Result<Response, WebError> {
    let rows = state
        .app
        .data_requests(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let page = ListPage {
        c: Chrome::for_user(&u, "/data-requests"),
        lines: rows.iter().map(|r| line(&u, r)).collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "data_request_new.html")]
struct NewPage {
    c: Chrome,
    person_id: Uuid,
    kinds: Vec<(String, String)>,
    form: FormState,
    summary: Vec<ErrorLink>,
}

fn parse(u: &PageUser, id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id.trim()).map_err(|_| u.err(AppError::NotFound))
}

fn new_page(u: &PageUser, person_id: Uuid, form: FormState, status: StatusCode) -> Response {
    let summary = form.summary_by_name(
        &u.tr,
        &[
            ("kind", "dsr-kind"),
            ("received_on", "dsr-received-on"),
            ("details", "dsr-details"),
        ],
    );
    let page = NewPage {
        c: Chrome::for_user(u, &format!("/persons/{person_id}/data-requests/new")),
        person_id,
        kinds: Kind::ALL
            .iter()
            .map(|k| {
                (
                    k.code().to_string(),
                    u.tr.get(&format!("dsr-kind-{}", k.code())),
                )
            })
            .collect(),
        form,
        summary,
    };
    render(status, &page)
}

/// `GET /persons/{id}/data-requests/new`: record a request about a person on one's case.
pub async fn new_form(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    state
        .app
        .check_data_requests(&u.user, &u.ctx, "data_request.record")
        .await
        .map_err(|e| u.err(e))?;
    let person_id = parse(&u, &id)?;
    state
        .app
        .check_person(&u.user, &u.ctx, person_id)
        .await
        .map_err(|e| u.err(e))?;
    let today = karuna_thai::calendar::bangkok_date(chrono::Utc::now());
    let form = FormState::with(&[
        ("kind", "access".into()),
        ("received_on", today.to_string()),
    ]);
    Ok(new_page(&u, person_id, form, StatusCode::OK))
}

/// The new request form's fields.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct NewForm {
    csrf: String,
    kind: String,
    received_on: String,
    details: String,
}

/// `POST /persons/{id}/data-requests`.
pub async fn create(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(f): WebForm<NewForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    let person_id = parse(&u, &id)?;
    let input = RequestInput {
        kind: f.kind.clone(),
        received_on: f.received_on.clone(),
        details: f.details.clone(),
    };
    match state
        .app
        .record_data_request(&u.user, &u.ctx, person_id, &input)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/data-requests/{id}")).into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let (status, fields) = refusal(&u, e);
            let form = FormState::with(&[
                ("kind", f.kind),
                ("received_on", f.received_on),
                ("details", f.details),
            ])
            .errors(fields);
            Ok(new_page(&u, person_id, form, status))
        }
        Err(e) => Err(u.err(e)),
    }
}

#[derive(Template)]
#[template(path = "data_request.html")]
struct ShowPage {
    c: Chrome,
    r: Line,
    details: String,
    recorded: String,
    is_access: bool,
    is_erasure: bool,
    open: bool,
    answer: Option<(String, String)>,
    ground: Option<String>,
    version: i64,
    grounds: Vec<(String, String)>,
    form: FormState,
    summary: Vec<ErrorLink>,
    flash: Option<String>,
}

async fn show_page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    form: FormState,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let r = state
        .app
        .data_request(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let summary = form.summary_by_name(
        &u.tr,
        &[
            ("status", "dsr-answer"),
            ("ground", "dsr-ground"),
            ("note", "dsr-answer-note"),
        ],
    );
    let row = &r.row;
    let page = ShowPage {
        c: Chrome::for_user(u, &format!("/data-requests/{id}")),
        details: row.details.clone(),
        recorded: format!(
            "{} · {}",
            row.recorded_by_name,
            u.tr.datetime(&row.recorded_at)
        ),
        is_access: row.kind == Kind::Access.code(),
        is_erasure: row.kind == Kind::Erasure.code(),
        open: row.status == "open",
        answer: row.answered_at.map(|at| {
            (
                format!(
                    "{} · {}",
                    row.answered_by_name.clone().unwrap_or_default(),
                    u.tr.datetime(&at)
                ),
                row.answer_note.clone().unwrap_or_default(),
            )
        }),
        ground: row
            .ground
            .as_ref()
            .map(|g| u.tr.get(&format!("dsr-ground-{}", g.replace('_', "-")))),
        version: row.version,
        grounds: Ground::ALL
            .iter()
            .map(|g| {
                (
                    g.code().to_string(),
                    u.tr.get(&format!("dsr-ground-{}", g.code().replace('_', "-"))),
                )
            })
            .collect(),
        r: line(u, &r),
        form,
        summary,
        flash,
    };
    Ok(render(status, &page))
}

/// `GET /data-requests/{id}`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let id = parse(&u, &id)?;
    let flash = q.saved.map(|_| u.tr.get("dsr-answered"));
    show_page(&state, &u, id, FormState::default(), flash, StatusCode::OK).await
}

/// The answer form's fields.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    csrf: String,
    version: String,
    status: String,
    ground: String,
    note: String,
}

/// `POST /data-requests/{id}/answer`.
pub async fn answer(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(f): WebForm<AnswerForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    let id = parse(&u, &id)?;
    let input = AnswerInput {
        version: f.version.trim().parse().unwrap_or(-1),
        status: f.status.clone(),
        ground: f.ground.clone(),
        note: f.note.clone(),
    };
    match state
        .app
        .answer_data_request(&u.user, &u.ctx, id, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/data-requests/{id}?saved=1")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict | AppError::Refused(_))) => {
            let (status, fields) = refusal(&u, e);
            let form =
                FormState::with(&[("status", f.status), ("ground", f.ground), ("note", f.note)])
                    .errors(fields);
            show_page(&state, &u, id, form, None, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `GET /data-requests/{id}/export.pdf`: an access request's export to read.
pub async fn export_pdf(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse(&u, &id)?;
    let x = state
        .app
        .data_request_export(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let doc = export::document(&u.tr, &x, &u.user.display_name);
    super::pdf::respond(doc, &export::file_name(&x, "pdf"), |e| u.err(e)).await
}

/// `GET /data-requests/{id}/export.json`: the same, machine-readable.
pub async fn export_json(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse(&u, &id)?;
    let x = state
        .app
        .data_request_export(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let body = export::json(&u.tr, &x, &u.user.display_name);
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", export::file_name(&x, "json")),
            ),
        ],
        body.to_string(),
    )
        .into_response())
}
