//! Karuna's pure domain rules: no I/O, no async, no SQL.
//!
//! Modules are named by feature, the same name as in every other crate.

pub mod access;
pub mod account;
pub mod advocacy;
pub mod assessment;
pub mod audit;
pub mod case;
pub mod case_type;
pub mod caseload;
pub mod closure;
pub mod conference;
pub mod consultation;
pub mod contact;
pub mod data_request;
pub mod emergency_access;
pub mod error;
pub mod gatekeeping;
pub mod person;
pub mod plan;
pub mod policy_review;
pub mod progress;
pub mod promise;
pub mod referral;
pub mod report;
pub mod resource;
pub mod resource_hsds;
pub mod screening;
pub mod screening_model;
pub mod service_match;
pub mod similar;
pub mod supervision;
pub mod task;

pub use error::{FieldError, Validation};
