//! The API's `Query` and `Path` extractors: drop-in replacements for axum's whose rejections
//! are RFC 9457 problem+json in the request's language (axum's answer text/plain). A query
//! string value of the wrong type is 400 `bad_query` with the field named in `errors`; a path
//! that cannot be read is 404 (no record has such an id). JSON bodies are `auth::ApiJson`.
//! Any other error answer under `/api/` that is not already a problem (405, 408, a panic's
//! 500 …) is rewritten by `problem_responses`.

use crate::auth::anon_tr;
use crate::error::{Surface, WebError};
use crate::state::AppState;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use karuna_app::AppError;
use karuna_domain::FieldError;
use serde::de::DeserializeOwned;

/// Query parameters; a rejection is a 400 problem naming the field.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts<AppState> for Query<T> {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        match parse_query(query) {
            Ok(v) => Ok(Query(v)),
            Err(field) => {
                let mut e = WebError::adapter(
                    StatusCode::BAD_REQUEST,
                    "bad_query",
                    Surface::Api,
                    anon_tr(state, parts),
                );
                e.error = AppError::Invalid(vec![field]);
                Err(e)
            }
        }
    }
}

/// Deserialises a query string; on failure, the field at fault and why.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, FieldError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.inner().to_string();
        // serde names a missing or repeated field in its message, at the parent's path.
        let named = |prefix: &str| {
            inner
                .strip_prefix(prefix)
                .and_then(|rest| rest.split('`').next())
                .map(str::to_string)
        };
        if let Some(field) = named("missing field `") {
            FieldError::new(&field, "required")
        } else if let Some(field) = named("duplicate field `") {
            FieldError::new(&field, "query.repeated")
        } else {
            let field = if path == "." {
                "query".to_string()
            } else {
                path
            };
            FieldError::new(&field, "query.value")
        }
    })
}

/// Path parameters; one that cannot be read names no record, so the answer is 404.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for Path<T> {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(_) => Err(WebError::new(
                AppError::NotFound,
                Surface::Api,
                anon_tr(state, parts),
            )),
        }
    }
}

/// The problem code for an error status that reached the client without a problem body.
fn code_for(status: StatusCode) -> &'static str {
    match status {
        StatusCode::UNAUTHORIZED => "unauthenticated",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "json_required",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    }
}

/// Middleware: under `/api/` (but not the HTML `/api/docs`), an error answer that is not
/// `application/problem+json` (axum's own 405, a timeout's 408, a caught panic's 500, a
/// rejection of an extractor not wrapped above) becomes a problem in the request's language.
pub async fn problem_responses(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if !path.starts_with("/api/") || path == "/api/docs" {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let tr = anon_tr(&state, &parts);
    let resp = next.run(Request::from_parts(parts, body)).await;
    let status = resp.status();
    let is_problem = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(crate::api::doc_statuses::PROBLEM_JSON));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return resp;
    }
    let allow = resp.headers().get(header::ALLOW).cloned();
    let mut out = WebError::adapter(status, code_for(status), Surface::Api, tr).into_response();
    if let Some(allow) = allow {
        out.headers_mut().insert(header::ALLOW, allow);
    }
    out
}
