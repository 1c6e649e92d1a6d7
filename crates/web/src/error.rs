//! One error type for the HTTP adapter, mapped to a response in one place: RFC 9457
//! `application/problem+json` for the API, a friendly page (or a redirect to login) for pages.

use crate::i18n::Tr;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::AppError;
use karuna_domain::FieldError;
use serde::Serialize;
use utoipa::ToSchema;

/// Every problem code the adapter can answer with (each has a title and a detail message).
pub const PROBLEM_CODES: &[&str] = &[
    "unauthenticated",
    "forbidden",
    "not_found",
    "conflict",
    "invalid",
    "login_failed",
    "locked",
    "throttled",
    "busy",
    "internal",
    "person_merged",
    "merge_undone",
    "merge_changed",
    "survivor_merged",
    "same_case_client",
    "csrf",
    "bad_form",
    "too_large",
    "bad_json",
    "bad_json_shape",
    "json_required",
    "bad_query",
    "method_not_allowed",
    "timeout",
    "bad_request",
];

/// The `Retry-After` of a "busy" answer (password-hashing slots all taken).
pub const BUSY_RETRY_SECS: u64 = 2;

/// Where an error is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// JSON API: problem+json.
    Api,
    /// HTML page.
    Page,
}

/// An error on its way out, with the translator for its language.
#[derive(Debug)]
pub struct WebError {
    /// The use case's error (or an adapter-level one mapped to it).
    pub error: AppError,
    /// Where it is shown.
    pub surface: Surface,
    /// Language of the message.
    pub tr: Tr,
    /// An adapter-level problem code overriding the default (bad JSON, CSRF, body size …).
    pub code: Option<&'static str>,
    /// Status for adapter-level problems.
    pub status: Option<StatusCode>,
}

/// One field at fault in a problem.
#[derive(Serialize, ToSchema)]
pub struct ProblemField {
    /// The field's path in the body or the query string (`person.birth_date`, `limit`).
    field: String,
    /// A stable code for the error (`required`, `date.format` …).
    code: String,
    /// The message in the request's language.
    message: String,
}

/// An RFC 9457 problem (`application/problem+json`).
#[derive(Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem (`https://karuna.invalid/problems/invalid`).
    #[serde(rename = "type")]
    kind: String,
    /// A short summary in the request's language.
    title: String,
    /// The HTTP status.
    status: u16,
    /// What went wrong, in the request's language.
    detail: String,
    /// Every field at fault (validation problems only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    errors: Vec<ProblemField>,
}

impl WebError {
    /// Wraps a use-case error.
    pub fn new(error: AppError, surface: Surface, tr: Tr) -> WebError {
        WebError {
            error,
            surface,
            tr,
            code: None,
            status: None,
        }
    }

    /// An adapter-level problem (malformed body, missing CSRF token …) with its status.
    pub fn adapter(status: StatusCode, code: &'static str, surface: Surface, tr: Tr) -> WebError {
        WebError {
            error: AppError::Invalid(Vec::new()),
            surface,
            tr,
            code: Some(code),
            status: Some(status),
        }
    }

    /// The status and problem code.
    pub fn status_code(&self) -> (StatusCode, &'static str) {
        if let (Some(s), Some(c)) = (self.status, self.code) {
            return (s, c);
        }
        match &self.error {
            AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            AppError::Forbidden(karuna_domain::access::DenyReason::Authority) => {
                (StatusCode::FORBIDDEN, "authority")
            }
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Conflict => (StatusCode::CONFLICT, "conflict"),
            AppError::Refused(code) => (StatusCode::CONFLICT, code),
            AppError::Merged(_) => (StatusCode::CONFLICT, "person_merged"),
            AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            AppError::LoginFailed => (StatusCode::UNAUTHORIZED, "login_failed"),
            AppError::Locked(_) => (StatusCode::TOO_MANY_REQUESTS, "locked"),
            AppError::Throttled(_) => (StatusCode::TOO_MANY_REQUESTS, "throttled"),
            AppError::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            AppError::Store(_) | AppError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        }
    }

    /// Field errors with their messages in the user's language.
    pub fn fields(&self) -> Vec<(String, String)> {
        match &self.error {
            AppError::Invalid(list) => list
                .iter()
                .map(|f| (f.field.clone(), field_message(&self.tr, f)))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The human message.
    pub fn detail(&self) -> String {
        let (_, code) = self.status_code();
        match &self.error {
            AppError::Merged(survivor) if self.code.is_none() => self.tr.get1(
                "problem-person-merged-detail",
                "survivor",
                &survivor.to_string(),
            ),
            AppError::Locked(until) if self.code.is_none() => {
                self.tr
                    .get1("problem-locked-detail", "until", &self.tr.datetime(until))
            }
            AppError::Throttled(wait) if self.code.is_none() => self.tr.get1(
                "problem-throttled-detail",
                "seconds",
                &wait.as_secs().to_string(),
            ),
            _ => self
                .tr
                .get(&format!("problem-{}-detail", code.replace('_', "-"))),
        }
    }

    /// Seconds a client should wait before retrying (`Retry-After`), for throttled and busy
    /// answers.
    pub fn retry_after(&self) -> Option<u64> {
        match (&self.error, self.code) {
            (AppError::Throttled(wait), None) => Some(wait.as_secs().max(1)),
            (AppError::Busy, None) => Some(BUSY_RETRY_SECS),
            _ => None,
        }
    }
}

/// The message for one field error.
pub fn field_message(tr: &Tr, f: &FieldError) -> String {
    tr.error(&f.code, &f.args)
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let retry_after = self.retry_after();
        let mut resp = self.response();
        if let Some(secs) = retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        }
        resp
    }
}

impl WebError {
    fn response(self) -> Response {
        let (status, code) = self.status_code();
        if status.is_server_error() {
            // The error's text may carry driver details: log it, never send it.
            tracing::error!(error = %self.error, "request failed");
        }
        match self.surface {
            Surface::Api => {
                let errors = match &self.error {
                    AppError::Invalid(list) => list
                        .iter()
                        .map(|f| ProblemField {
                            field: f.field.clone(),
                            code: f.code.clone(),
                            message: field_message(&self.tr, f),
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let body = Problem {
                    kind: format!("https://karuna.invalid/problems/{code}"),
                    title: self
                        .tr
                        .get(&format!("problem-{}-title", code.replace('_', "-"))),
                    status: status.as_u16(),
                    detail: self.detail(),
                    errors,
                };
                let json = serde_json::to_string(&body).unwrap_or_else(|_| "{}".into());
                let mut resp = (
                    status,
                    [(header::CONTENT_TYPE, "application/problem+json")],
                    json,
                )
                    .into_response();
                if status == StatusCode::UNAUTHORIZED {
                    resp.headers_mut().insert(
                        header::WWW_AUTHENTICATE,
                        header::HeaderValue::from_static("Bearer"),
                    );
                }
                resp
            }
            Surface::Page => {
                if matches!(self.error, AppError::Unauthenticated) && self.code.is_none() {
                    return Redirect::to("/login").into_response();
                }
                crate::pages::error_page(&self.tr, status, code, &self.detail(), &self.fields())
            }
        }
    }
}
