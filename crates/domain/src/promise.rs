//! Promises to the client (การรักษาสัญญา): open until kept, missed (with a reason),
//! renegotiated to a new date, or released (no longer to be done, with a note that the client
//! was told), with the history kept. A case closes only when none is open
//! (`case::NoOpenPromisesAtClosing`).

use crate::error::{FieldError, Validation};
use chrono::NaiveDate;
use karuna_thai::calendar::{parse_date, Era};
use serde::{Deserialize, Serialize};

/// Where a promise stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromiseStatus {
    /// Not yet due or not yet settled.
    Open,
    /// Kept.
    Kept,
    /// Not kept, with a reason.
    Missed,
    /// Released: it will not be done, and the client was told (the note says how).
    Released,
}

impl PromiseStatus {
    /// Every status, open first.
    pub const ALL: [PromiseStatus; 4] = [
        PromiseStatus::Open,
        PromiseStatus::Kept,
        PromiseStatus::Missed,
        PromiseStatus::Released,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            PromiseStatus::Open => "open",
            PromiseStatus::Kept => "kept",
            PromiseStatus::Missed => "missed",
            PromiseStatus::Released => "released",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<PromiseStatus> {
        PromiseStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What can happen to an open promise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromiseChange {
    /// It was kept.
    Keep,
    /// It was missed, and why.
    Miss(String),
    /// A new date was agreed with the client, and why.
    Renegotiate(NaiveDate, String),
    /// It will not be done: the note says why and how the client was told; `client_told`
    /// is the worker's confirmation that they were.
    Release {
        /// Why, and how the client was told.
        note: String,
        /// The client was told.
        client_told: bool,
    },
}

/// A new promise as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PromiseInput {
    /// What was promised.
    pub what: String,
    /// By when, in the user's calendar.
    pub due: String,
    /// The person it was made to (a person on the case); empty means the client.
    pub to_person_id: String,
}

/// Validates what was promised and by when.
pub fn validate_promise(
    input: &PromiseInput,
    era: Era,
) -> Result<(String, NaiveDate), Vec<FieldError>> {
    let mut v = Validation::new();
    let what = input.what.trim().to_string();
    v.check(what.is_empty(), "what", "required");
    v.check(what.chars().count() > 1000, "what", "too_long");
    let due = match parse_date(&input.due, era) {
        Ok(d) => Some(d.date),
        Err(e) => {
            v.push(FieldError::new("due", e.code()));
            None
        }
    };
    v.finish()?;
    due.map(|d| (what, d))
        .ok_or_else(|| vec![FieldError::new("due", "required")])
}

/// Checks a change against the promise's status; only open promises change.
pub fn check_change(
    status: PromiseStatus,
    change: &PromiseChange,
    today: NaiveDate,
) -> Result<(), FieldError> {
    if status != PromiseStatus::Open {
        return Err(FieldError::new("status", "promise.not_open"));
    }
    match change {
        PromiseChange::Keep => Ok(()),
        PromiseChange::Miss(reason) | PromiseChange::Renegotiate(_, reason)
            if reason.trim().is_empty() =>
        {
            Err(FieldError::new("reason", "required"))
        }
        PromiseChange::Renegotiate(due, _) if *due < today => {
            Err(FieldError::new("due", "promise.due_past"))
        }
        PromiseChange::Release { note, .. } if note.trim().is_empty() => {
            Err(FieldError::new("reason", "promise.release_note_required"))
        }
        PromiseChange::Release {
            client_told: false, ..
        } => Err(FieldError::new("client_told", "promise.client_not_told")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promises_settle_once() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert!(check_change(PromiseStatus::Open, &PromiseChange::Keep, today).is_ok());
        assert_eq!(
            check_change(PromiseStatus::Kept, &PromiseChange::Keep, today)
                .unwrap_err()
                .code,
            "promise.not_open"
        );
        assert_eq!(
            check_change(PromiseStatus::Open, &PromiseChange::Miss(" ".into()), today)
                .unwrap_err()
                .code,
            "required"
        );
        let past = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        assert_eq!(
            check_change(
                PromiseStatus::Open,
                &PromiseChange::Renegotiate(past, "ย้ายวัน".into()),
                today
            )
            .unwrap_err()
            .code,
            "promise.due_past"
        );
    }

    #[test]
    fn a_promise_is_released_only_with_a_note_that_the_client_was_told() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let release = |note: &str, client_told| PromiseChange::Release {
            note: note.into(),
            client_told,
        };
        let code = |c: &PromiseChange| {
            check_change(PromiseStatus::Open, c, today)
                .err()
                .map(|e| e.code)
        };
        assert_eq!(
            code(&release(" ", true)).as_deref(),
            Some("promise.release_note_required")
        );
        assert_eq!(
            code(&release("หน่วยงานปิดรับ โทรแจ้งแล้ว", false)).as_deref(),
            Some("promise.client_not_told")
        );
        assert_eq!(code(&release("หน่วยงานปิดรับ โทรแจ้งแล้ว", true)), None);
        assert!(check_change(PromiseStatus::Released, &PromiseChange::Keep, today).is_err());
    }

    #[test]
    fn a_promise_needs_what_and_when() {
        let ok = PromiseInput {
            what: "พาไปทำบัตรประชาชน".into(),
            due: "30/11/2569".into(),
            ..Default::default()
        };
        assert_eq!(
            validate_promise(&ok, Era::Buddhist).unwrap().1,
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
        let e = validate_promise(&PromiseInput::default(), Era::Buddhist).unwrap_err();
        assert_eq!(e.len(), 2);
    }
}
