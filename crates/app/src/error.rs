//! The use cases' one error type; adapters map it to HTTP statuses or CLI exits in one place.

use chrono::{DateTime, Utc};
use karuna_domain::access::DenyReason;
use karuna_domain::FieldError;
use karuna_store::StoreError;

/// What a use case can refuse or fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No valid session or token.
    #[error("authentication required")]
    Unauthenticated,
    /// The policy refused.
    #[error("forbidden: {}", .0.code())]
    Forbidden(DenyReason),
    /// No such record (or not visible to this actor).
    #[error("not found")]
    NotFound,
    /// The record changed since it was read.
    #[error("version conflict")]
    Conflict,
    /// The request is well-formed but the records are not in a state that allows it (a merge
    /// that can no longer be undone exactly …); the code names why (`merge_changed` …).
    #[error("refused: {0}")]
    Refused(&'static str),
    /// The person was merged into another; the survivor's id.
    #[error("person merged")]
    Merged(uuid::Uuid),
    /// Input failed validation; every problem is listed.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Wrong username or password (deliberately not saying which).
    #[error("login failed")]
    LoginFailed,
    /// Too many failed logins; try again after the instant.
    #[error("account locked")]
    Locked(DateTime<Utc>),
    /// Too many login attempts from this address or for this name; retry after the wait.
    #[error("throttled")]
    Throttled(std::time::Duration),
    /// Every password-hashing slot stayed busy for the allowed wait; retry shortly.
    #[error("busy")]
    Busy,
    /// The storage layer failed.
    #[error(transparent)]
    Store(StoreError),
    /// Something that should not happen (hashing failed, a task panicked).
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// One invalid field.
    pub fn field(field: &str, code: &str) -> AppError {
        AppError::Invalid(vec![FieldError::new(field, code)])
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            // Someone else changed the record since it was read.
            StoreError::StaleVersion => AppError::Conflict,
            other => AppError::Store(other),
        }
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(v: Vec<FieldError>) -> Self {
        AppError::Invalid(v)
    }
}

impl From<FieldError> for AppError {
    fn from(f: FieldError) -> Self {
        AppError::Invalid(vec![f])
    }
}

impl From<karuna_store::DbError> for AppError {
    fn from(e: karuna_store::DbError) -> Self {
        AppError::Store(StoreError::Db(e))
    }
}
