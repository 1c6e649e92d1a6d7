//! The templates Karuna ships (Thai and English, in `assessment-templates/`), embedded in the
//! binary and seeded as published version 1 when missing.

use super::model::Template;
use super::validate::parse_template;
use crate::error::FieldError;

/// The shipped template files: key and YAML text.
pub const SHIPPED: [(&str, &str); 7] = [
    (
        "holistic",
        include_str!("../../../../assessment-templates/holistic.yaml"),
    ),
    (
        "safety",
        include_str!("../../../../assessment-templates/safety.yaml"),
    ),
    (
        "trafficking_care",
        include_str!("../../../../assessment-templates/trafficking_care.yaml"),
    ),
    (
        "child_protection",
        include_str!("../../../../assessment-templates/child_protection.yaml"),
    ),
    (
        "domestic_violence",
        include_str!("../../../../assessment-templates/domestic_violence.yaml"),
    ),
    (
        "older_person",
        include_str!("../../../../assessment-templates/older_person.yaml"),
    ),
    (
        "disability",
        include_str!("../../../../assessment-templates/disability.yaml"),
    ),
];

/// Every shipped template, parsed and validated; an error names the file's key.
pub fn shipped() -> Result<Vec<Template>, (String, Vec<FieldError>)> {
    SHIPPED
        .iter()
        .map(|(key, text)| parse_template(text).map_err(|e| (key.to_string(), e)))
        .collect()
}
