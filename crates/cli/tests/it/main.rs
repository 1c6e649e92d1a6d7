//! The crate's integration tests in one binary (one link instead of one per file); a module per area.

mod backup_cli;
mod cli;
mod import_cli;
