//! Karuna's storage: one SQL code path over SQLite (default) and PostgreSQL.
//!
//! Knows tables, not policies: every function here is called by `karuna-app`, which decides who
//! may call it. Modules are named by feature.

pub mod account;
pub mod advocacy;
pub mod assessment;
pub mod attachment;
pub mod attachment_key;
pub mod audit;
pub mod audit_group;
pub mod backup;
pub mod budget;
pub mod case;
pub mod case_bulk;
pub mod case_list;
pub mod case_type;
pub mod caseload;
pub mod closure;
pub mod conference;
pub mod consent;
pub mod consultation;
pub mod contact;
pub mod dashboard;
pub mod data_request;
pub mod db;
pub mod digest;
pub mod duplicates;
pub mod emergency_access;
pub mod error;
pub mod gatekeeping;
pub mod gen;
pub mod handover;
pub mod matching;
pub mod merge_history;
pub mod mfa;
pub mod monitoring;
pub mod notification;
pub mod oidc;
pub mod person;
pub mod person_bulk;
pub mod person_export;
pub mod person_merge;
pub mod plan;
pub mod policy_review;
pub mod promise;
pub mod referral;
pub mod report;
pub mod resource;
pub mod revision;
pub mod row;
pub mod screening;
pub mod screening_model;
pub mod search;
pub mod similar;
pub mod supervision;
pub mod task;
pub mod testing;
pub mod time;
pub mod trends;
pub mod worklist;

pub use db::{Backend, Db, Tx};
pub use error::StoreError;
/// The driver error, re-exported so callers can commit transactions without naming sqlx.
pub use sqlx::Error as DbError;
