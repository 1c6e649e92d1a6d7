//! Data-subject requests under the PDPA (ss. 30–33, คำขอใช้สิทธิของเจ้าของข้อมูลส่วนบุคคล): a
//! person asks the agency for a copy of what it holds about her (access), to correct it
//! (rectification), to stop a use of it (objection), to hold it unused for a while
//! (restriction), or to erase it (erasure). The agency answers within 30 days of receiving the
//! request (s. 30 para. 3); it may refuse where the law lets it, and then says which ground.
//! Each request is a row of the register, open until it is answered or refused.

use crate::error::{FieldError, Validation};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// Days the agency has to answer, from the day the request was received (PDPA s. 30).
pub const DUE_DAYS: i64 = 30;
/// Days before the due date a request counts as due soon.
pub const DUE_SOON_DAYS: i64 = 7;
/// The longest free text (what was asked, the answer), in characters.
pub const TEXT_MAX: usize = 2000;
/// How long ago a request may have been received and still be recorded, in days.
pub const RECEIVED_MAX_AGE_DAYS: i64 = 366;

/// What the person asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A copy of the personal data held (s. 30).
    Access,
    /// Correct inaccurate or incomplete data (s. 35, s. 36).
    Rectification,
    /// Object to a collection, use or disclosure (s. 32).
    Objection,
    /// Restrict the use for a time (s. 34).
    Restriction,
    /// Erase, destroy or anonymise (s. 33).
    Erasure,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 5] = [
        Kind::Access,
        Kind::Rectification,
        Kind::Objection,
        Kind::Restriction,
        Kind::Erasure,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Access => "access",
            Kind::Rectification => "rectification",
            Kind::Objection => "objection",
            Kind::Restriction => "restriction",
            Kind::Erasure => "erasure",
        }
    }

    /// The kind of a code.
    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Received, not yet answered.
    Open,
    /// Carried out and the person answered.
    Completed,
    /// Refused on a legal ground.
    Refused,
}

impl Status {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Completed => "completed",
            Status::Refused => "refused",
        }
    }

    /// The status of a code.
    pub fn from_code(code: &str) -> Option<Status> {
        [Status::Open, Status::Completed, Status::Refused]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// The grounds the PDPA gives for refusing a request, one of which a refusal names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ground {
    /// A law or a court order requires the agency to keep or use the data (s. 30, s. 33).
    LegalObligation,
    /// Needed to establish, exercise or defend legal claims (s. 32, s. 33).
    LegalClaims,
    /// Needed for a task in the public interest or official authority (s. 24(4), s. 32).
    PublicTask,
    /// Needed to protect someone's life, body or health (s. 24(3)).
    VitalInterest,
    /// Answering would harm the rights and freedoms of others (s. 30 para. 2).
    RightsOfOthers,
}

impl Ground {
    /// Every ground, in display order.
    pub const ALL: [Ground; 5] = [
        Ground::LegalObligation,
        Ground::LegalClaims,
        Ground::PublicTask,
        Ground::VitalInterest,
        Ground::RightsOfOthers,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Ground::LegalObligation => "legal_obligation",
            Ground::LegalClaims => "legal_claims",
            Ground::PublicTask => "public_task",
            Ground::VitalInterest => "vital_interest",
            Ground::RightsOfOthers => "rights_of_others",
        }
    }

    /// The ground of a code.
    pub fn from_code(code: &str) -> Option<Ground> {
        Ground::ALL.into_iter().find(|g| g.code() == code)
    }
}

/// A request as typed when it is recorded.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RequestInput {
    /// `access`, `rectification`, `objection`, `restriction` or `erasure`.
    pub kind: String,
    /// The day the agency received it (ISO `YYYY-MM-DD`; today or earlier, within a year).
    pub received_on: String,
    /// What the person asked, in her words or a summary.
    pub details: String,
}

/// A request's answer as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AnswerInput {
    /// The version read.
    pub version: i64,
    /// `completed` or `refused`.
    pub status: String,
    /// For a refusal, the legal ground (`legal_obligation`, `legal_claims`, `public_task`,
    /// `vital_interest`, `rights_of_others`).
    pub ground: String,
    /// What was done, or why it was refused, as told to the person.
    pub note: String,
}

/// A request ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// What is asked.
    pub kind: Kind,
    /// Received.
    pub received_on: NaiveDate,
    /// Answer due.
    pub due_on: NaiveDate,
    /// What was asked.
    pub details: String,
}

/// The answer's due date: 30 days after receipt.
pub fn due_on(received_on: NaiveDate) -> NaiveDate {
    received_on + Duration::days(DUE_DAYS)
}

/// How pressing an open request is on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// More than a week left.
    OnTime,
    /// Due within [`DUE_SOON_DAYS`] days (or today).
    DueSoon,
    /// Past its due date.
    Overdue,
}

/// The urgency of an open request due on `due` as of `today`.
pub fn urgency(due: NaiveDate, today: NaiveDate) -> Urgency {
    if due < today {
        Urgency::Overdue
    } else if due <= today + Duration::days(DUE_SOON_DAYS) {
        Urgency::DueSoon
    } else {
        Urgency::OnTime
    }
}

/// Checks a request as typed against `today` (the agency's date).
pub fn validate_request(
    input: &RequestInput,
    today: NaiveDate,
) -> Result<Request, Vec<FieldError>> {
    let mut v = Validation::new();
    let kind = Kind::from_code(input.kind.trim());
    v.check(kind.is_none(), "kind", "data_request_kind_unknown");
    let received = NaiveDate::parse_from_str(input.received_on.trim(), "%Y-%m-%d").ok();
    match received {
        None => v.push(FieldError::new("received_on", "date_invalid")),
        Some(d) if d > today => v.push(FieldError::new("received_on", "date_in_future")),
        Some(d) if d < today - Duration::days(RECEIVED_MAX_AGE_DAYS) => {
            v.push(FieldError::new("received_on", "data_request_too_old"))
        }
        Some(_) => {}
    }
    let details = v.required("details", &input.details, TEXT_MAX);
    v.finish()?;
    match (kind, received) {
        (Some(kind), Some(received_on)) => Ok(Request {
            kind,
            received_on,
            due_on: due_on(received_on),
            details,
        }),
        _ => Err(vec![FieldError::new("kind", "data_request_kind_unknown")]),
    }
}

/// An answer ready to store: the status, the ground of a refusal, the note.
pub type Answer = (Status, Option<Ground>, String);

/// Checks an answer: `completed` or `refused`; a refusal names its legal ground; the note says
/// what was done or why, and is always required (it is what the person is told).
pub fn validate_answer(input: &AnswerInput) -> Result<Answer, Vec<FieldError>> {
    let mut v = Validation::new();
    let status = Status::from_code(input.status.trim()).filter(|s| *s != Status::Open);
    v.check(status.is_none(), "status", "data_request_status_unknown");
    let ground = Ground::from_code(input.ground.trim());
    if status == Some(Status::Refused) {
        v.check(ground.is_none(), "ground", "data_request_ground_required");
    }
    let note = v.required("note", &input.note, TEXT_MAX);
    v.finish()?;
    match status {
        Some(s) => Ok((s, ground.filter(|_| s == Status::Refused), note)),
        None => Err(vec![FieldError::new(
            "status",
            "data_request_status_unknown",
        )]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_request_is_due_thirty_days_after_receipt() {
        let today = day("2026-12-07");
        let r = validate_request(
            &RequestInput {
                kind: "access".into(),
                received_on: "2026-12-01".into(),
                details: "ขอสำเนาข้อมูลทั้งหมด".into(),
            },
            today,
        )
        .unwrap();
        assert_eq!(r.kind, Kind::Access);
        assert_eq!(r.due_on, day("2026-12-31"));
        assert_eq!(urgency(r.due_on, today), Urgency::OnTime);
        assert_eq!(urgency(r.due_on, day("2026-12-24")), Urgency::DueSoon);
        assert_eq!(urgency(r.due_on, day("2026-12-31")), Urgency::DueSoon);
        assert_eq!(urgency(r.due_on, day("2027-01-01")), Urgency::Overdue);
    }

    #[test]
    fn bad_requests_are_refused_field_by_field() {
        let today = day("2026-12-07");
        let codes = |kind: &str, received: &str, details: &str| -> Vec<String> {
            validate_request(
                &RequestInput {
                    kind: kind.into(),
                    received_on: received.into(),
                    details: details.into(),
                },
                today,
            )
            .unwrap_err()
            .into_iter()
            .map(|e| e.code)
            .collect()
        };
        assert_eq!(
            codes("forget", "2026-12-08", " "),
            ["data_request_kind_unknown", "date_in_future", "required"]
        );
        assert_eq!(
            codes("erasure", "2025-01-01", "x"),
            ["data_request_too_old"]
        );
        assert_eq!(codes("erasure", "07/12/2026", "x"), ["date_invalid"]);
    }

    #[test]
    fn a_refusal_names_its_legal_ground() {
        let a = |status: &str, ground: &str, note: &str| {
            validate_answer(&AnswerInput {
                version: 1,
                status: status.into(),
                ground: ground.into(),
                note: note.into(),
            })
        };
        assert_eq!(
            a("refused", "", "ต้องเก็บตามกฎหมาย").unwrap_err()[0].code,
            "data_request_ground_required"
        );
        assert_eq!(
            a("refused", "legal_obligation", "ต้องเก็บตามกฎหมาย").unwrap(),
            (
                Status::Refused,
                Some(Ground::LegalObligation),
                "ต้องเก็บตามกฎหมาย".to_string()
            )
        );
        assert_eq!(
            a("completed", "legal_claims", "ส่งสำเนาแล้ว").unwrap(),
            (Status::Completed, None, "ส่งสำเนาแล้ว".to_string())
        );
        assert_eq!(
            a("open", "", "x").unwrap_err()[0].code,
            "data_request_status_unknown"
        );
        assert_eq!(a("completed", "", "").unwrap_err()[0].code, "required");
    }
}
