//! Assessment templates as data and the assessments made with them: the template model
//! (sections, questions, show-if conditions, scoring), its validation naming the path of every
//! problem, the validation of answers against one template version, and scoring.
//!
//! A template is parsed from JSON or YAML, validated, then stored as a published version that
//! never changes; an assessment keeps the key and version it was made with.

mod answers;
mod model;
pub mod shipped;
mod validate;

pub use answers::{
    check_notes, is_shown, score, validate_answers, Answers, DomainNotes, DomainScore, Mode, Scores,
};
pub use model::{Choice, Condition, Kind, Level, Question, Section, Template, Text};
pub use validate::{export_template, parse_template, validate_template};

/// Where the information in a domain's assessment came from (the same codes as the contact log).
pub const SOURCES: [&str; 6] = crate::contact::SOURCES;

/// Status of a template version.
pub const TEMPLATE_STATUSES: [&str; 2] = ["draft", "published"];

/// Status of an assessment.
pub const ASSESSMENT_STATUSES: [&str; 2] = ["draft", "completed"];

#[cfg(test)]
mod tests;
