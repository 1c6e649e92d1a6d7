//! The crate's integration tests in one binary (one link instead of one per file); a module per area.

mod name_pairs;
mod segment_gold;
