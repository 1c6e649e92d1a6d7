//! Answering a typeset document as a download: Typst runs on a blocking thread, off the async
//! workers, and the PDF goes out as an attachment.

use crate::error::WebError;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use karuna_app::AppError;
use karuna_pdf::Document;

/// Typesets `doc` on a blocking thread and answers it as the download `filename`.
pub(crate) async fn respond(
    doc: Document,
    filename: &str,
    err: impl Fn(AppError) -> WebError,
) -> Result<Response, WebError> {
    let pdf = tokio::task::spawn_blocking(move || karuna_pdf::render(&doc))
        .await
        .map_err(|e| err(AppError::Internal(format!("pdf task: {e}"))))?
        .map_err(|e| err(AppError::Internal(format!("pdf: {e}"))))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        pdf,
    )
        .into_response())
}
