//! Break-the-glass (การเปิดดูกรณีฉุกเฉิน): a case manager or supervisor who has no part in a
//! case but a legitimate emergency (the 1300 duty officer at night, a supervisor of another
//! unit) opens it read-only for a limited time after stating why. The case's manager and the
//! supervisors of its unit are told at once; every read in the window is in the audit trail;
//! a supervisor of the case's unit then marks the use justified or not. Each organisation sets
//! how long an opening lasts and which case types forbid it (trafficking, for instance).
//!
//! The access rule itself is in [`crate::access`]: an open window puts the worker among the
//! case's `emergency_reader_ids`, which lets her open the case and nothing else (no edit, no
//! steering, and no client identity on a sensitive case).

use crate::error::{FieldError, Validation};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// How long an opening lasts when the organisation has not said.
pub const DEFAULT_HOURS: i64 = 3;
/// The longest an organisation may let an opening last.
pub const HOURS_MAX: i64 = 24;
/// The shortest reason accepted, in characters: a reason, not "x".
pub const REASON_MIN: usize = 10;
/// The longest reason or review note, in characters.
pub const TEXT_MAX: usize = 2000;

/// Opening a case in an emergency, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EmergencyInput {
    /// Why the case must be opened now (at least ten characters).
    pub reason: String,
}

/// The organisation's settings, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SettingsInput {
    /// The version read (0 when none was stored yet).
    pub version: i64,
    /// How many hours an opening lasts (1–24).
    pub hours: i64,
    /// Codes of the case types that forbid emergency access.
    pub forbidden_types: Vec<String>,
}

/// A supervisor's review of one use, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReviewInput {
    /// The version read.
    pub version: i64,
    /// `justified` or `unjustified`.
    pub review: String,
    /// What was found; required when the use was not justified.
    pub note: String,
}

/// An organisation's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Settings {
    /// How many hours an opening lasts.
    pub hours: i64,
    /// Codes of the case types that forbid emergency access, sorted.
    pub forbidden_types: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            hours: DEFAULT_HOURS,
            forbidden_types: Vec::new(),
        }
    }
}

impl Settings {
    /// True when a case of `case_type` may be opened in an emergency.
    pub fn allows(&self, case_type: &str) -> bool {
        !self.forbidden_types.iter().any(|t| t == case_type)
    }

    /// When an opening at `opened` ends.
    pub fn expiry(&self, opened: DateTime<Utc>) -> DateTime<Utc> {
        opened + Duration::hours(self.hours)
    }
}

/// What a supervisor found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// The emergency was real and the reads were what it needed.
    Justified,
    /// It was not: a matter for the supervisor to take up.
    Unjustified,
}

impl Review {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Review::Justified => "justified",
            Review::Unjustified => "unjustified",
        }
    }

    /// From a stored or typed code.
    pub fn from_code(code: &str) -> Option<Review> {
        match code {
            "justified" => Some(Review::Justified),
            "unjustified" => Some(Review::Unjustified),
            _ => None,
        }
    }
}

/// The reason, trimmed, or why it will not do.
pub fn validate_reason(input: &EmergencyInput) -> Result<String, Vec<FieldError>> {
    let mut v = Validation::new();
    let reason = v.required("reason", &input.reason, TEXT_MAX);
    if !reason.is_empty() && reason.chars().count() < REASON_MIN {
        v.push(FieldError::new("reason", "emergency_reason_short").arg("min", REASON_MIN));
    }
    v.finish().map(|_| reason)
}

/// The settings, with each case type checked against the organisation's `known` codes.
pub fn validate_settings(
    input: &SettingsInput,
    known: &[String],
) -> Result<Settings, Vec<FieldError>> {
    let mut v = Validation::new();
    if !(1..=HOURS_MAX).contains(&input.hours) {
        v.push(FieldError::new("hours", "emergency_hours_range").arg("max", HOURS_MAX));
    }
    let mut types: Vec<String> = input
        .forbidden_types
        .iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    types.sort();
    types.dedup();
    if types.iter().any(|t| !known.contains(t)) {
        v.push(FieldError::new("forbidden_types", "case_type_unknown"));
    }
    v.finish().map(|_| Settings {
        hours: input.hours,
        forbidden_types: types,
    })
}

/// The review and its note, or why they will not do.
pub fn validate_review(input: &ReviewInput) -> Result<(Review, Option<String>), Vec<FieldError>> {
    let mut v = Validation::new();
    let review = Review::from_code(input.review.trim());
    v.check(review.is_none(), "review", "emergency_review_unknown");
    let note = v.text("note", &input.note, TEXT_MAX);
    v.check(
        review == Some(Review::Unjustified) && note.is_none(),
        "note",
        "required",
    );
    v.finish()?;
    match review {
        Some(r) => Ok((r, note)),
        None => Err(vec![FieldError::new("review", "emergency_review_unknown")]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_must_say_something() {
        let r = |s: &str| validate_reason(&EmergencyInput { reason: s.into() });
        assert_eq!(r("  ").unwrap_err()[0].code, "required");
        assert_eq!(r("x").unwrap_err()[0].code, "emergency_reason_short");
        assert_eq!(
            r(&"ก".repeat(TEXT_MAX + 1)).unwrap_err()[0].code,
            "too_long"
        );
        assert_eq!(
            r(" สายด่วน 1300 แจ้งเด็กหายจากบ้านพัก ").unwrap(),
            "สายด่วน 1300 แจ้งเด็กหายจากบ้านพัก"
        );
    }

    #[test]
    fn settings_bound_the_hours_and_know_the_types() {
        let known = vec!["child".to_string(), "trafficking".to_string()];
        let s = |hours, types: &[&str]| {
            validate_settings(
                &SettingsInput {
                    version: 0,
                    hours,
                    forbidden_types: types.iter().map(|t| t.to_string()).collect(),
                },
                &known,
            )
        };
        assert_eq!(s(0, &[]).unwrap_err()[0].field, "hours");
        assert_eq!(s(25, &[]).unwrap_err()[0].field, "hours");
        assert_eq!(s(3, &["nope"]).unwrap_err()[0].code, "case_type_unknown");
        let ok = s(2, &["trafficking", " trafficking", ""]).unwrap();
        assert_eq!(ok.forbidden_types, vec!["trafficking".to_string()]);
        assert!(!ok.allows("trafficking"));
        assert!(ok.allows("child"));
        let t0 = Utc::now();
        assert_eq!(ok.expiry(t0) - t0, Duration::hours(2));
        assert_eq!(Settings::default().hours, DEFAULT_HOURS);
    }

    #[test]
    fn an_unjustified_use_needs_a_note() {
        let r = |review: &str, note: &str| {
            validate_review(&ReviewInput {
                version: 1,
                review: review.into(),
                note: note.into(),
            })
        };
        assert_eq!(
            r("maybe", "").unwrap_err()[0].code,
            "emergency_review_unknown"
        );
        assert_eq!(r("unjustified", " ").unwrap_err()[0].field, "note");
        assert_eq!(r("justified", "").unwrap(), (Review::Justified, None));
        assert_eq!(
            r("unjustified", "ไม่ใช่เหตุฉุกเฉิน").unwrap(),
            (Review::Unjustified, Some("ไม่ใช่เหตุฉุกเฉิน".to_string()))
        );
    }
}
