//! The crate's integration tests in one binary (one link instead of one per file); a module per area.

mod access_matrix;
mod api;
mod assessment_pages;
mod assessments_api;
mod auth;
mod case_people;
mod case_type_templates;
mod case_types;
mod cases;
mod closure;
mod common;
mod duplicates_list;
mod layout;
mod login_guard;
mod pages;
mod password_policy;
mod person_merge;
mod plan_pages;
mod plans;
mod promises_closing;
mod read_audit;
mod revocation;
mod safety_screening;
mod search;
mod statements;
mod worklists;
