//! Referrals (การส่งต่อ) to a service of the directory or to a provider named ad hoc, in the
//! spirit of the HL7 SDOH referral Task: draft → sent → acknowledged → accepted or declined →
//! in service → completed or **ended early** (who ended it and why), or no response, or revoked
//! (withdrawn: never deleted). The referral shares only the personal data chosen item by item,
//! and only when the client's consent for sharing or a lawful basis covers it. When accepted, a
//! **service agreement** says what will be delivered, how often, from when to when, who the
//! contact is and when the case manager checks in; each check-in records whether it was
//! delivered as agreed and the client's view.

use crate::error::{FieldError, Validation};
use chrono::NaiveDate;
use karuna_thai::calendar::{parse_date, Era};
use serde::{Deserialize, Serialize};

/// The longest need, reason, outcome or note, in characters.
pub const TEXT_MAX: usize = 4000;
/// The longest short field (a name, a contact, a frequency), in characters.
pub const SHORT_MAX: usize = 300;
/// The most check-ins one agreement plans.
pub const CHECK_INS_MAX: usize = 52;

/// Where a referral stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Written, not sent.
    Draft,
    /// Sent to the provider.
    Sent,
    /// The provider has it.
    Acknowledged,
    /// The provider will serve the client (an agreement follows).
    Accepted,
    /// The provider will not (with the reason).
    Declined,
    /// The service has begun.
    InService,
    /// Delivered as agreed.
    Completed,
    /// The provider ended it before the agreed end (with the reason and who).
    EndedEarly,
    /// No answer by the due date.
    NoResponse,
    /// Withdrawn by the case manager (made by mistake, or no longer needed).
    Revoked,
}

impl Status {
    /// Every status, in the order of the process.
    pub const ALL: [Status; 10] = [
        Status::Draft,
        Status::Sent,
        Status::Acknowledged,
        Status::Accepted,
        Status::Declined,
        Status::InService,
        Status::Completed,
        Status::EndedEarly,
        Status::NoResponse,
        Status::Revoked,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Sent => "sent",
            Status::Acknowledged => "acknowledged",
            Status::Accepted => "accepted",
            Status::Declined => "declined",
            Status::InService => "in_service",
            Status::Completed => "completed",
            Status::EndedEarly => "ended_early",
            Status::NoResponse => "no_response",
            Status::Revoked => "revoked",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Waiting for the provider, or being served: the referral is followed up.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Sent | Status::Acknowledged | Status::Accepted | Status::InService
        )
    }

    /// The plan intervention's status that follows this referral status, if it changes it.
    pub fn intervention_status(self) -> Option<&'static str> {
        match self {
            Status::Accepted | Status::InService => Some("in_progress"),
            Status::Completed => Some("completed"),
            Status::EndedEarly => Some("ended_early"),
            Status::Declined | Status::NoResponse | Status::Revoked => Some("cancelled"),
            Status::Draft | Status::Sent | Status::Acknowledged => None,
        }
    }
}

/// How soon the client needs the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// In the ordinary course.
    Routine,
    /// Within days.
    Urgent,
    /// Today: someone's safety depends on it.
    Emergency,
}

impl Urgency {
    /// Every urgency.
    pub const ALL: [Urgency; 3] = [Urgency::Routine, Urgency::Urgent, Urgency::Emergency];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Urgency::Routine => "routine",
            Urgency::Urgent => "urgent",
            Urgency::Emergency => "emergency",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Urgency> {
        Urgency::ALL.into_iter().find(|u| u.code() == code)
    }
}

/// The personal data a referral may share, item by item (the minimum necessary).
pub const SHARED_ITEMS: [&str; 8] = [
    "name",
    "birth_date",
    "id_number",
    "address",
    "phone",
    "presenting_problem",
    "needs",
    "urgency",
];

/// A referral as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReferralInput {
    /// A service of the directory (its id); or leave empty and name the provider.
    pub service_id: String,
    /// A provider not in the directory: its name.
    pub provider_name: String,
    /// How to reach it (a person, a phone, an address).
    pub provider_contact: String,
    /// The plan intervention this referral carries out (its id), if any.
    pub intervention_id: String,
    /// The client's need, in words.
    pub need: String,
    /// What is asked of the provider.
    pub requested_service: String,
    /// `routine` (default), `urgent` or `emergency`.
    pub urgency: String,
    /// The personal data shared (codes of `SHARED_ITEMS`); none is allowed.
    pub shared_items: Vec<String>,
    /// By when the provider should answer, in the user's calendar (default: 7 days).
    pub response_due: String,
    /// Why a service outside the client's area is chosen (required then).
    pub area_reason: String,
}

/// A referral after checking (the service, intervention and consent are the use case's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidReferral {
    /// Service id as typed.
    pub service_id: Option<String>,
    /// Ad hoc provider.
    pub provider_name: Option<String>,
    /// Its contact.
    pub provider_contact: Option<String>,
    /// Intervention id as typed.
    pub intervention_id: Option<String>,
    /// Need.
    pub need: String,
    /// Requested service.
    pub requested_service: String,
    /// Urgency.
    pub urgency: Urgency,
    /// Shared items (deduplicated, in `SHARED_ITEMS` order).
    pub shared_items: Vec<String>,
    /// Response due.
    pub response_due: Option<NaiveDate>,
    /// Why outside the area.
    pub area_reason: Option<String>,
}

fn date(v: &mut Validation, field: &str, value: &str, era: Era) -> Option<NaiveDate> {
    let t = value.trim();
    if t.is_empty() {
        return None;
    }
    match parse_date(t, era) {
        Ok(d) => Some(d.date),
        Err(e) => {
            v.push(FieldError::new(field, e.code()));
            None
        }
    }
}

/// Checks a referral's own fields.
pub fn validate(input: &ReferralInput, era: Era) -> Result<ValidReferral, Vec<FieldError>> {
    let mut v = Validation::new();
    let service_id = v.text("service_id", &input.service_id, 64);
    let provider_name = v.text("provider_name", &input.provider_name, SHORT_MAX);
    let provider_contact = v.text("provider_contact", &input.provider_contact, SHORT_MAX);
    if service_id.is_none() && provider_name.is_none() {
        v.push(FieldError::new("service_id", "referral.provider_required"));
    }
    if service_id.is_some() && provider_name.is_some() {
        v.push(FieldError::new("provider_name", "referral.one_provider"));
    }
    let need = v.text("need", &input.need, TEXT_MAX);
    v.check(need.is_none(), "need", "required");
    let requested = v.text("requested_service", &input.requested_service, TEXT_MAX);
    v.check(requested.is_none(), "requested_service", "required");
    let urgency = match input.urgency.trim() {
        "" => Urgency::Routine,
        u => Urgency::from_code(u).unwrap_or_else(|| {
            v.push(FieldError::new("urgency", "referral.urgency_unknown"));
            Urgency::Routine
        }),
    };
    let mut shared = Vec::new();
    for item in &input.shared_items {
        let item = item.trim();
        if !SHARED_ITEMS.contains(&item) {
            v.push(FieldError::new("shared_items", "referral.item_unknown"));
        } else if !shared.iter().any(|s: &String| s == item) {
            shared.push(item.to_string());
        }
    }
    shared.sort_by_key(|s| SHARED_ITEMS.iter().position(|i| i == s));
    let response_due = date(&mut v, "response_due", &input.response_due, era);
    let area_reason = v.text("area_reason", &input.area_reason, TEXT_MAX);
    let intervention_id = v.text("intervention_id", &input.intervention_id, 64);
    v.finish()?;
    Ok(ValidReferral {
        service_id,
        provider_name,
        provider_contact,
        intervention_id,
        need: need.unwrap_or_default(),
        requested_service: requested.unwrap_or_default(),
        urgency,
        shared_items: shared,
        response_due,
        area_reason,
    })
}

/// What happens to a referral.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct StepInput {
    /// The version read.
    pub version: i64,
    /// `send`, `acknowledge`, `accept`, `decline`, `start`, `complete`, `end_early`,
    /// `no_response`, `revoke` or `reopen`.
    pub step: String,
    /// Why (required to decline, end early, revoke and reopen).
    pub reason: String,
    /// Why declined, as a code for the figures (required to decline): one of
    /// `DECLINE_REASONS`.
    pub reason_code: String,
    /// Who at the provider ended the service (required to end early).
    pub ended_by: String,
    /// What was actually delivered, as the provider reported it (completing or ending early).
    pub outcome: String,
}

/// Why a provider declines, for the figures of unmet needs.
pub const DECLINE_REASONS: [&str; 5] = [
    "no_capacity",
    "not_eligible",
    "outside_area",
    "client_declined",
    "other",
];

/// The steps, with the statuses they start from and the one they lead to.
const STEPS: &[(&str, &[Status], Status)] = &[
    ("send", &[Status::Draft], Status::Sent),
    ("acknowledge", &[Status::Sent], Status::Acknowledged),
    (
        "accept",
        &[Status::Sent, Status::Acknowledged],
        Status::Accepted,
    ),
    (
        "decline",
        &[Status::Sent, Status::Acknowledged],
        Status::Declined,
    ),
    ("start", &[Status::Accepted], Status::InService),
    ("complete", &[Status::InService], Status::Completed),
    (
        "end_early",
        &[Status::Accepted, Status::InService],
        Status::EndedEarly,
    ),
    (
        "no_response",
        &[Status::Sent, Status::Acknowledged],
        Status::NoResponse,
    ),
    (
        "revoke",
        &[
            Status::Draft,
            Status::Sent,
            Status::Acknowledged,
            Status::Accepted,
            Status::InService,
        ],
        Status::Revoked,
    ),
];

/// A checked step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidStep {
    /// Its code.
    pub step: String,
    /// Where it leads.
    pub to: Status,
    /// Why.
    pub reason: Option<String>,
    /// Who ended it.
    pub ended_by: Option<String>,
    /// What was delivered.
    pub outcome: Option<String>,
    /// Why declined, as a code.
    pub reason_code: Option<String>,
}

/// Checks a step from `from`: a known step, allowed from there, with what it needs. Reopening
/// leads a declined or unanswered referral back to `sent`, and a completed or ended one back
/// to `in_service`; a revoked referral stays revoked.
pub fn step(from: Status, input: &StepInput) -> Result<ValidStep, Vec<FieldError>> {
    let mut v = Validation::new();
    let code = input.step.trim();
    let reason = v.text("reason", &input.reason, TEXT_MAX);
    let ended_by = v.text("ended_by", &input.ended_by, SHORT_MAX);
    let outcome = v.text("outcome", &input.outcome, TEXT_MAX);
    let to = if code == "reopen" {
        match from {
            Status::Declined | Status::NoResponse => Some(Status::Sent),
            Status::Completed | Status::EndedEarly => Some(Status::InService),
            _ => None,
        }
    } else {
        match STEPS.iter().find(|(c, _, _)| *c == code) {
            Some((_, froms, to)) => froms.contains(&from).then_some(*to),
            None => return Err(vec![FieldError::new("step", "referral.step_unknown")]),
        }
    };
    let Some(to) = to else {
        return Err(vec![FieldError::new("step", "referral.step_not_allowed")]);
    };
    let needs_reason = matches!(code, "decline" | "end_early" | "revoke" | "reopen");
    v.check(needs_reason && reason.is_none(), "reason", "required");
    v.check(
        code == "end_early" && ended_by.is_none(),
        "ended_by",
        "required",
    );
    let reason_code = Some(input.reason_code.trim().to_string()).filter(|c| !c.is_empty());
    if code == "decline" {
        match &reason_code {
            None => v.push(FieldError::new("reason_code", "required")),
            Some(c) if !DECLINE_REASONS.contains(&c.as_str()) => {
                v.push(FieldError::new("reason_code", "referral.reason_unknown"))
            }
            Some(_) => {}
        }
    }
    v.finish()?;
    Ok(ValidStep {
        step: code.to_string(),
        to,
        reason,
        ended_by,
        outcome,
        reason_code: reason_code.filter(|_| code == "decline"),
    })
}

/// A service agreement as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AgreementInput {
    /// The version of the referral read.
    pub version: i64,
    /// What will be delivered.
    pub what: String,
    /// How often (e.g. "weekly", "every day for 30 days").
    pub frequency: String,
    /// From when, in the user's calendar.
    pub start: String,
    /// To when, in the user's calendar.
    pub end: String,
    /// The contact person at the provider.
    pub contact_person: String,
    /// The dates the case manager checks in, in the user's calendar.
    pub check_ins: Vec<String>,
}

/// A checked agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAgreement {
    /// What.
    pub what: String,
    /// How often.
    pub frequency: String,
    /// From.
    pub start: NaiveDate,
    /// To.
    pub end: NaiveDate,
    /// Contact.
    pub contact_person: String,
    /// Check-in dates, sorted, distinct.
    pub check_ins: Vec<NaiveDate>,
}

/// Checks an agreement: what, from and to (not ending before it starts), a contact, and
/// check-ins within its term.
pub fn validate_agreement(
    input: &AgreementInput,
    era: Era,
) -> Result<ValidAgreement, Vec<FieldError>> {
    let mut v = Validation::new();
    let what = v.text("what", &input.what, TEXT_MAX);
    v.check(what.is_none(), "what", "required");
    let frequency = v.text("frequency", &input.frequency, SHORT_MAX);
    let contact = v.text("contact_person", &input.contact_person, SHORT_MAX);
    v.check(contact.is_none(), "contact_person", "required");
    let start = date(&mut v, "start", &input.start, era);
    let end = date(&mut v, "end", &input.end, era);
    v.check(input.start.trim().is_empty(), "start", "required");
    v.check(input.end.trim().is_empty(), "end", "required");
    if let (Some(s), Some(e)) = (start, end) {
        v.check(e < s, "end", "referral.agreement_ends_before_start");
    }
    let mut check_ins = Vec::new();
    if input.check_ins.len() > CHECK_INS_MAX {
        v.push(
            FieldError::new("check_ins", "referral.too_many_check_ins").arg("max", CHECK_INS_MAX),
        );
    } else {
        for c in input.check_ins.iter().filter(|c| !c.trim().is_empty()) {
            if let Some(d) = date(&mut v, "check_ins", c, era) {
                let inside = start.is_none_or(|s| d >= s) && end.is_none_or(|e| d <= e);
                if !inside {
                    v.push(FieldError::new(
                        "check_ins",
                        "referral.check_in_outside_term",
                    ));
                } else if !check_ins.contains(&d) {
                    check_ins.push(d);
                }
            }
        }
    }
    check_ins.sort();
    v.finish()?;
    match (start, end) {
        (Some(start), Some(end)) => Ok(ValidAgreement {
            what: what.unwrap_or_default(),
            frequency: frequency.unwrap_or_default(),
            start,
            end,
            contact_person: contact.unwrap_or_default(),
            check_ins,
        }),
        _ => Err(vec![FieldError::new("start", "required")]),
    }
}

/// How a check-in found the service.
pub const DELIVERED: [&str; 3] = ["as_agreed", "partly", "not_delivered"];

/// A check-in as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CheckInInput {
    /// The planned check-in it records (its date, in the user's calendar); empty for one not
    /// planned (recorded today).
    pub due: String,
    /// `as_agreed`, `partly` or `not_delivered`.
    pub delivered: String,
    /// The client's view, in their words.
    pub client_view: String,
    /// The case manager's note.
    pub note: String,
}

/// A checked check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCheckIn {
    /// The planned date it records, if any.
    pub due: Option<NaiveDate>,
    /// How it was delivered.
    pub delivered: String,
    /// The client's view.
    pub client_view: Option<String>,
    /// The note.
    pub note: Option<String>,
}

/// Checks a check-in.
pub fn validate_check_in(input: &CheckInInput, era: Era) -> Result<ValidCheckIn, Vec<FieldError>> {
    let mut v = Validation::new();
    let due = date(&mut v, "due", &input.due, era);
    let delivered = input.delivered.trim().to_string();
    v.check(
        !DELIVERED.contains(&delivered.as_str()),
        "delivered",
        "referral.delivered_unknown",
    );
    let client_view = v.text("client_view", &input.client_view, TEXT_MAX);
    let note = v.text("note", &input.note, TEXT_MAX);
    v.finish()?;
    Ok(ValidCheckIn {
        due,
        delivered,
        client_view,
        note,
    })
}

/// Why a referral needs the case manager's attention.
pub const ALERT_KINDS: [&str; 4] = [
    "ended_early",
    "check_in_missed",
    "no_response",
    "service_closed",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ReferralInput {
        ReferralInput {
            service_id: "0192".into(),
            need: "ที่พักปลอดภัย".into(),
            requested_service: "รับเข้าบ้านพักฉุกเฉิน".into(),
            shared_items: vec!["phone".into(), "name".into(), "name".into()],
            ..ReferralInput::default()
        }
    }

    #[test]
    fn a_referral_is_checked_and_its_items_ordered() {
        let r = validate(&input(), Era::Buddhist).unwrap();
        assert_eq!(
            r.shared_items,
            vec!["name".to_string(), "phone".to_string()]
        );
        assert_eq!(r.urgency, Urgency::Routine);
        let bad = ReferralInput {
            service_id: String::new(),
            shared_items: vec!["soul".into()],
            urgency: "now".into(),
            response_due: "31/2/2569".into(),
            ..input()
        };
        let codes: Vec<String> = validate(&bad, Era::Buddhist)
            .unwrap_err()
            .into_iter()
            .map(|e| e.code)
            .collect();
        for c in [
            "referral.provider_required",
            "referral.item_unknown",
            "referral.urgency_unknown",
        ] {
            assert!(codes.contains(&c.to_string()), "{c} in {codes:?}");
        }
    }

    #[test]
    fn steps_follow_the_process() {
        let s = |step: &str, reason: &str| StepInput {
            step: step.into(),
            reason: reason.into(),
            ..StepInput::default()
        };
        assert_eq!(
            step(Status::Draft, &s("send", "")).unwrap().to,
            Status::Sent
        );
        assert_eq!(
            step(Status::Sent, &s("accept", "")).unwrap().to,
            Status::Accepted
        );
        assert_eq!(
            step(Status::Sent, &s("decline", "")).unwrap_err()[0].field,
            "reason"
        );
        assert_eq!(
            step(Status::Draft, &s("complete", "")).unwrap_err()[0].code,
            "referral.step_not_allowed"
        );
        let early = StepInput {
            step: "end_early".into(),
            reason: "ผู้รับบริการออกจากบ้านพัก".into(),
            ..StepInput::default()
        };
        assert_eq!(
            step(Status::InService, &early).unwrap_err()[0].field,
            "ended_by"
        );
        assert_eq!(
            step(Status::Completed, &s("reopen", "ยังต้องการบริการ"))
                .unwrap()
                .to,
            Status::InService
        );
        assert!(step(Status::Revoked, &s("reopen", "x")).is_err());
        assert_eq!(
            step(Status::Sent, &s("fly", "")).unwrap_err()[0].code,
            "referral.step_unknown"
        );
    }

    #[test]
    fn an_agreement_ending_before_it_starts_is_refused() {
        let a = AgreementInput {
            what: "ที่พัก 30 วัน".into(),
            contact_person: "คุณสมใจ".into(),
            start: "10/12/2569".into(),
            end: "1/12/2569".into(),
            check_ins: vec!["5/1/2570".into()],
            ..AgreementInput::default()
        };
        let codes: Vec<String> = validate_agreement(&a, Era::Buddhist)
            .unwrap_err()
            .into_iter()
            .map(|e| e.code)
            .collect();
        assert!(codes.contains(&"referral.agreement_ends_before_start".to_string()));
        let ok = AgreementInput {
            end: "9/1/2570".into(),
            check_ins: vec!["5/1/2570".into(), "20/12/2569".into()],
            ..a
        };
        let v = validate_agreement(&ok, Era::Buddhist).unwrap();
        assert_eq!(v.check_ins.len(), 2);
        assert!(v.check_ins[0] < v.check_ins[1]);
    }
}
