//! The directory's exchange in the browser (editors, on `/resources`): the HSDS JSON download,
//! the upload of an HSDS JSON file or the CSV files of the tabular form, and the national seed
//! set; a refused import is shown on the directory page with each record's errors.

use super::resources::directory_page;
use super::{refusal, FormState};
use crate::auth::{PageUser, WebForm};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::AppError;

/// `GET /resources/export.json`: the directory as an HSDS JSON download.
pub async fn export(State(state): State<AppState>, u: PageUser) -> Result<Response, WebError> {
    let dir = state
        .app
        .export_directory(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let body = serde_json::to_vec_pretty(&karuna_domain::resource_hsds::to_hsds_json(&dir))
        .map_err(|e| u.err(AppError::Internal(e.to_string())))?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/json"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"karuna-resources-hsds.json\"",
            ),
        ],
        body,
    )
        .into_response())
}

fn imported_flash(r: &karuna_app::resource_exchange::ImportReport) -> String {
    format!(
        "/resources?imported={}.{}.{}.{}",
        r.providers_added, r.providers_updated, r.services_added, r.services_updated
    )
}

/// A refused import on the directory page: each record's errors with where they are.
async fn import_refused(state: &AppState, u: &PageUser, e: AppError) -> Result<Response, WebError> {
    let (status, fields) = refusal(u, e);
    let lines: Vec<(String, String)> = fields
        .into_iter()
        .map(|(f, m)| ("import".to_string(), format!("{f}: {m}")))
        .collect();
    directory_page(state, u, &[], FormState::default().errors(lines), status).await
}

/// `POST /resources/import` (multipart: `csrf`, one or more `file`s): an HSDS JSON file, or the
/// CSV files of the HSDS tabular form.
pub async fn import(
    State(state): State<AppState>,
    u: PageUser,
    body: Result<axum::extract::multipart::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    let bad = || {
        WebError::adapter(
            StatusCode::BAD_REQUEST,
            "bad_form",
            crate::error::Surface::Page,
            u.tr.clone(),
        )
    };
    // Authorised before the body is read: a role that may not import is told so (and the
    // refusal audited) whatever it sent.
    state
        .app
        .authorize_edit(&u.user, &u.ctx, "resource.import", ("resource_org", None))
        .await
        .map_err(|e| u.err(e))?;
    let mut multipart = body.map_err(|_| bad())?;
    let mut csrf = String::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|_| bad())? {
        match field.name().unwrap_or("") {
            "file" => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field.bytes().await.map_err(|_| {
                    WebError::adapter(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "too_large",
                        crate::error::Surface::Page,
                        u.tr.clone(),
                    )
                })?;
                if !bytes.is_empty() {
                    files.push((name, bytes.to_vec()));
                }
            }
            "csrf" => csrf = field.text().await.map_err(|_| bad())?,
            _ => {}
        }
    }
    u.check_csrf(&csrf)?;
    let field =
        |code: &str| AppError::Invalid(vec![karuna_domain::error::FieldError::new("file", code)]);
    if files.is_empty() {
        return import_refused(&state, &u, field("required")).await;
    }
    let mut texts = Vec::new();
    for (name, bytes) in files {
        match String::from_utf8(bytes) {
            Ok(t) => texts.push((name, t)),
            Err(_) => return import_refused(&state, &u, field("import.not_utf8")).await,
        }
    }
    let parsed = if texts.len() == 1 && !texts[0].0.to_lowercase().ends_with(".csv") {
        karuna_domain::resource_hsds::from_hsds_json(&texts[0].1)
    } else {
        karuna_domain::resource_hsds::from_hsds_csv(&texts)
    };
    let dir = match parsed {
        Ok(d) => d,
        Err(errors) => {
            return import_refused(
                &state,
                &u,
                karuna_app::resource_exchange::record_errors(errors),
            )
            .await
        }
    };
    match state.app.import_directory(&u.user, &u.ctx, &dir).await {
        Ok(r) => Ok(Redirect::to(&imported_flash(&r)).into_response()),
        Err(e @ AppError::Invalid(_)) => import_refused(&state, &u, e).await,
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /resources/import-seed`: the national seed set.
pub async fn import_seed(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let form = FormState::from_pairs(&pairs);
    u.check_csrf(form.value("csrf"))?;
    let r = state
        .app
        .import_national_seed(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Redirect::to(&imported_flash(&r)).into_response())
}
