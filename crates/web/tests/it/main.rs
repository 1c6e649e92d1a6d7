//! The crate's integration tests in one binary (one link instead of one per file); a module per area.

mod access_matrix;
mod api;
mod api_hardening;
mod assessment_pages;
mod assessments_api;
mod auth;
mod case_people;
mod case_types;
mod cases;
mod closure;
mod common;
mod openapi;
mod pages;
mod person_merge;
mod plan_pages;
mod plans;
mod search;
