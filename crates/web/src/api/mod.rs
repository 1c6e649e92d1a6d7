//! The JSON API under `/api/v1`: the same use cases as the pages, RFC 9457 errors, OpenAPI.

pub mod advocacy;
pub mod areas;
pub mod assessments;
pub mod attachments;
pub mod audit;
pub mod case_people;
pub mod case_types;
pub mod caseload;
pub mod cases;
pub mod closure;
pub mod conferences;
pub mod consultations;
pub mod data_requests;
pub mod decision_switch;
pub mod doc_statuses;
pub mod docs;
pub mod docs_page;
pub mod emergency_access;
pub mod extract;
pub mod gatekeeping;
pub mod health;
pub mod me;
pub mod mfa;
pub mod my_sessions;
pub mod notifications;
pub mod persons;
pub mod plans;
pub mod policy_reviews;
pub mod records;
pub mod referrals;
pub mod resources;
pub mod screening;
pub mod screening_model;
pub mod search;
pub mod service_match;
pub mod similar;
pub mod sso;
pub mod supervision;
pub mod tasks;
pub mod trends;
pub mod users;
pub mod worklists;

use crate::auth::ApiUser;
use crate::error::{Surface, WebError};
use karuna_app::AppError;

impl ApiUser {
    /// Wraps a use-case error for the API.
    pub fn err(&self, e: AppError) -> WebError {
        WebError::new(e, Surface::Api, self.tr.clone())
    }
}
