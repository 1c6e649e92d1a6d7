//! The crate's integration tests in one binary (one link instead of one per file); a module per area.

mod assessments;
mod cases;
mod demo;
mod export;
mod gen;
mod import;
mod import_records;
mod import_support;
mod matching;
mod matching_gold;
mod search;
mod search_index;
mod search_support;
