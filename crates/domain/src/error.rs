//! Field-level validation errors shared by every layer.

use serde::Serialize;

/// One problem with one input field; `code` names a message-catalogue key so every adapter can
/// show it in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field's name as the form or JSON body spells it.
    pub field: String,
    /// Stable machine code, also the catalogue key suffix (`error-<code>` with dots as dashes).
    pub code: String,
    /// Values the message interpolates (for example a minimum length).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, String)>,
}

impl FieldError {
    /// A field error without arguments.
    pub fn new(field: impl Into<String>, code: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            args: Vec::new(),
        }
    }

    /// Adds one interpolation argument.
    pub fn arg(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.args.push((name.into(), value.to_string()));
        self
    }
}

/// Collects field errors so a form reports every problem at once, not only the first.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Validation {
    errors: Vec<FieldError>,
}

impl Validation {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one error.
    pub fn push(&mut self, error: FieldError) {
        self.errors.push(error);
    }

    /// Records an error when `failed` holds.
    pub fn check(&mut self, failed: bool, field: &str, code: &str) {
        if failed {
            self.push(FieldError::new(field, code));
        }
    }

    /// Trims a free-text field; records `too_long` (with `max`) past `max` characters. Empty
    /// text is `None`; whether it is required is the caller's rule.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let t = value.trim();
        if t.chars().count() > max {
            self.push(FieldError::new(field, "too_long").arg("max", max));
        }
        Some(t.to_string()).filter(|t| !t.is_empty())
    }

    /// Like [`Validation::text`], and records `required` when empty.
    pub fn required(&mut self, field: &str, value: &str, max: usize) -> String {
        let t = self.text(field, value, max);
        self.check(t.is_none(), field, "required");
        t.unwrap_or_default()
    }

    /// True when nothing was recorded.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// Ok when empty, else every recorded error.
    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}
