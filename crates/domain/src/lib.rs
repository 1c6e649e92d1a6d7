//! Karuna's pure domain rules: no I/O, no async, no SQL.
//!
//! Modules are named by feature, the same name as in every other crate.

pub mod access;
pub mod account;
pub mod audit;
pub mod error;

pub use error::{FieldError, Validation};
