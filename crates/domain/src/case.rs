//! The case: its lifecycle as a state machine with pluggable guards, its number, its codes
//! (types, referral sources, urgency) and the immediate safety screening at intake.

use crate::error::FieldError;
use serde::{Deserialize, Serialize};

/// Where a case is in the case-management process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// First contact: registration, consent, safety screening.
    Intake,
    /// Holistic assessment of the client's situation.
    Assessment,
    /// Writing the individual plan with the client.
    Planning,
    /// Services and interventions under way.
    Implementation,
    /// Reviewing progress against the plan.
    Review,
    /// Closed (may be reopened with a reason).
    Closed,
}

impl Status {
    /// Every status in process order.
    pub const ALL: [Status; 6] = [
        Status::Intake,
        Status::Assessment,
        Status::Planning,
        Status::Implementation,
        Status::Review,
        Status::Closed,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Status::Intake => "intake",
            Status::Assessment => "assessment",
            Status::Planning => "planning",
            Status::Implementation => "implementation",
            Status::Review => "review",
            Status::Closed => "closed",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The statuses a case may move to from here by an ordinary transition (reopening a closed
    /// case is its own operation, with a reason).
    pub fn next(self) -> &'static [Status] {
        use Status::*;
        match self {
            Intake => &[Assessment, Closed],
            Assessment => &[Planning, Closed],
            Planning => &[Implementation, Assessment, Closed],
            Implementation => &[Review, Closed],
            Review => &[Implementation, Planning, Closed],
            Closed => &[],
        }
    }
}

/// What a guard needs to know about a case to allow a transition. Later issues add facts
/// (a completed assessment, an approved plan) and guards that read them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransitionFacts {
    /// The case has at least one contact recorded.
    pub has_contact: bool,
    /// Promises still open on the case.
    pub open_promises: i64,
    /// An assessment of the case is completed.
    pub assessment_completed: bool,
    /// A plan version is in force (approved where approval is required).
    pub plan_in_force: bool,
    /// A closure summary is recorded (and approved where approval is required).
    pub closure_ready: bool,
}

/// A rule that may block a transition, naming why.
pub trait Guard: Send + Sync {
    /// `Err(code)` blocks the move from `from` to `to`.
    fn check(&self, from: Status, to: Status, facts: &TransitionFacts) -> Result<(), &'static str>;
}

/// Closing needs a recorded reason; that is checked by the use case. This guard keeps a case
/// from leaving intake before anyone has met or spoken with the client.
#[derive(Debug, Clone, Copy)]
pub struct ContactBeforeAssessment;

impl Guard for ContactBeforeAssessment {
    fn check(&self, from: Status, to: Status, facts: &TransitionFacts) -> Result<(), &'static str> {
        if from == Status::Intake && to == Status::Assessment && !facts.has_contact {
            return Err("case.guard.contact_required");
        }
        Ok(())
    }
}

/// Planning needs a completed assessment: the plan answers what the assessment found.
#[derive(Debug, Clone, Copy)]
pub struct AssessmentBeforePlanning;

impl Guard for AssessmentBeforePlanning {
    fn check(
        &self,
        _from: Status,
        to: Status,
        facts: &TransitionFacts,
    ) -> Result<(), &'static str> {
        if to == Status::Planning && !facts.assessment_completed {
            return Err("case.guard.assessment_required");
        }
        Ok(())
    }
}

/// Implementation needs a plan in force: approved, where the case's type asks for approval.
#[derive(Debug, Clone, Copy)]
pub struct PlanBeforeImplementation;

impl Guard for PlanBeforeImplementation {
    fn check(
        &self,
        _from: Status,
        to: Status,
        facts: &TransitionFacts,
    ) -> Result<(), &'static str> {
        if to == Status::Implementation && !facts.plan_in_force {
            return Err("case.guard.plan_required");
        }
        Ok(())
    }
}

/// Closing needs a closure summary (approved, where the case's type asks for approval).
#[derive(Debug, Clone, Copy)]
pub struct ClosureSummaryBeforeClosing;

impl Guard for ClosureSummaryBeforeClosing {
    fn check(
        &self,
        _from: Status,
        to: Status,
        facts: &TransitionFacts,
    ) -> Result<(), &'static str> {
        if to == Status::Closed && !facts.closure_ready {
            return Err("case.guard.closure_required");
        }
        Ok(())
    }
}

/// The guards in force.
pub fn default_guards() -> Vec<Box<dyn Guard>> {
    vec![
        Box::new(ContactBeforeAssessment),
        Box::new(AssessmentBeforePlanning),
        Box::new(PlanBeforeImplementation),
        Box::new(ClosureSummaryBeforeClosing),
    ]
}

/// Checks an ordinary transition: allowed by the state machine and by every guard.
pub fn check_transition(
    from: Status,
    to: Status,
    facts: &TransitionFacts,
    guards: &[Box<dyn Guard>],
) -> Result<(), FieldError> {
    if !from.next().contains(&to) {
        return Err(FieldError::new("to", "case.transition.not_allowed")
            .arg("from", from.code())
            .arg("to", to.code()));
    }
    for g in guards {
        g.check(from, to, facts)
            .map_err(|code| FieldError::new("to", code))?;
    }
    Ok(())
}

/// Where a reopened case goes back to.
pub fn check_reopen(from: Status, to: Status) -> Result<(), FieldError> {
    if from != Status::Closed {
        return Err(FieldError::new("to", "case.reopen.not_closed"));
    }
    if !matches!(to, Status::Assessment | Status::Implementation) {
        return Err(FieldError::new("to", "case.reopen.target"));
    }
    Ok(())
}

/// A reason given for a transfer, reopening, closing or override: 3–2000 characters.
pub fn check_reason(field: &str, reason: &str) -> Result<String, FieldError> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    if r.chars().count() > 2000 {
        return Err(FieldError::new(field, "too_long"));
    }
    Ok(r.to_string())
}

/// How soon the case needs action, from the safety screening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Within days.
    Routine,
    /// Within 24 hours.
    Urgent,
    /// Now.
    Emergency,
}

impl Urgency {
    /// Every urgency, least first.
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

/// One question of the immediate safety screening and the urgency a "yes" raises the case to.
#[derive(Debug, Clone, Copy)]
pub struct SafetyQuestion {
    /// Stable code (the message key is `safety-q-<code>` with dashes).
    pub code: &'static str,
    /// The urgency a "yes" answer means.
    pub yes_means: Urgency,
}

/// The screening questions, asked at every intake.
pub const SAFETY_QUESTIONS: [SafetyQuestion; 6] = [
    SafetyQuestion {
        code: "in_danger_now",
        yes_means: Urgency::Emergency,
    },
    SafetyQuestion {
        code: "injured_needs_care",
        yes_means: Urgency::Emergency,
    },
    SafetyQuestion {
        code: "child_without_carer",
        yes_means: Urgency::Emergency,
    },
    SafetyQuestion {
        code: "perpetrator_has_access",
        yes_means: Urgency::Urgent,
    },
    SafetyQuestion {
        code: "no_safe_place_tonight",
        yes_means: Urgency::Urgent,
    },
    SafetyQuestion {
        code: "self_harm_risk",
        yes_means: Urgency::Urgent,
    },
];

/// The urgency the answers give: the highest any "yes" raises it to, else routine. Unknown
/// question codes are refused.
pub fn screen(answers: &[(String, bool)]) -> Result<Urgency, FieldError> {
    let mut urgency = Urgency::Routine;
    for (code, yes) in answers {
        let q = SAFETY_QUESTIONS
            .iter()
            .find(|q| q.code == code)
            .ok_or_else(|| FieldError::new("safety", "case.safety.unknown_question"))?;
        if *yes && q.yes_means > urgency {
            urgency = q.yes_means;
        }
    }
    Ok(urgency)
}

/// The built-in case types every organisation starts with; `case_type` lets an organisation
/// deactivate, relabel or add to them. The codes are stable.
pub const CASE_TYPES: [&str; 7] = [
    "trafficking",
    "child_protection",
    "domestic_violence",
    "older_person",
    "disability",
    "poverty_homelessness",
    "other",
];

/// How the case reached the organisation.
pub const REFERRAL_SOURCES: [&str; 8] = [
    "hotline_1300",
    "hospital_crisis_centre",
    "police",
    "school",
    "community",
    "self",
    "ngo",
    "other",
];

/// The printed case number: `CM-<Buddhist year>-<6 digits>`.
pub fn case_number(year_be: i32, seq: i64) -> String {
    format!("CM-{year_be}-{seq:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_process_moves_forward_and_closes() {
        let guards = default_guards();
        let met = TransitionFacts {
            has_contact: true,
            open_promises: 0,
            assessment_completed: true,
            plan_in_force: true,
            closure_ready: true,
        };
        let path = [
            Status::Intake,
            Status::Assessment,
            Status::Planning,
            Status::Implementation,
            Status::Review,
            Status::Closed,
        ];
        for w in path.windows(2) {
            assert!(
                check_transition(w[0], w[1], &met, &guards).is_ok(),
                "{:?} → {:?}",
                w[0],
                w[1]
            );
        }
        let e = check_transition(Status::Intake, Status::Review, &met, &guards).unwrap_err();
        assert_eq!(e.code, "case.transition.not_allowed");
        assert!(check_transition(Status::Closed, Status::Intake, &met, &guards).is_err());
    }

    #[test]
    fn guards_block_with_a_reason() {
        let guards = default_guards();
        let e = check_transition(
            Status::Intake,
            Status::Assessment,
            &TransitionFacts::default(),
            &guards,
        )
        .unwrap_err();
        assert_eq!(e.code, "case.guard.contact_required");
        // Closing straight from intake (e.g. referred elsewhere) needs no contact, but it
        // needs its closure summary.
        let summarised = TransitionFacts {
            closure_ready: true,
            ..Default::default()
        };
        assert!(check_transition(Status::Intake, Status::Closed, &summarised, &guards).is_ok());
        let e = check_transition(
            Status::Review,
            Status::Closed,
            &TransitionFacts::default(),
            &guards,
        )
        .unwrap_err();
        assert_eq!(e.code, "case.guard.closure_required");
        let e = check_transition(
            Status::Planning,
            Status::Implementation,
            &TransitionFacts::default(),
            &guards,
        )
        .unwrap_err();
        assert_eq!(e.code, "case.guard.plan_required");
        let e = check_transition(
            Status::Assessment,
            Status::Planning,
            &TransitionFacts::default(),
            &guards,
        )
        .unwrap_err();
        assert_eq!(e.code, "case.guard.assessment_required");
    }

    #[test]
    fn reopening_goes_back_to_assessment_or_implementation() {
        assert!(check_reopen(Status::Closed, Status::Assessment).is_ok());
        assert!(check_reopen(Status::Closed, Status::Implementation).is_ok());
        assert_eq!(
            check_reopen(Status::Closed, Status::Planning)
                .unwrap_err()
                .code,
            "case.reopen.target"
        );
        assert_eq!(
            check_reopen(Status::Review, Status::Assessment)
                .unwrap_err()
                .code,
            "case.reopen.not_closed"
        );
    }

    #[test]
    fn screening_takes_the_highest_urgency() {
        let a = |v: &[(&str, bool)]| {
            v.iter()
                .map(|(c, y)| (c.to_string(), *y))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            screen(&a(&[("in_danger_now", false)])).unwrap(),
            Urgency::Routine
        );
        assert_eq!(
            screen(&a(&[
                ("no_safe_place_tonight", true),
                ("in_danger_now", false)
            ]))
            .unwrap(),
            Urgency::Urgent
        );
        assert_eq!(
            screen(&a(&[
                ("no_safe_place_tonight", true),
                ("in_danger_now", true)
            ]))
            .unwrap(),
            Urgency::Emergency
        );
        assert!(screen(&a(&[("made_up", true)])).is_err());
    }

    #[test]
    fn numbers_are_padded() {
        assert_eq!(case_number(2569, 123), "CM-2569-000123");
        assert_eq!(case_number(2570, 1_000_000), "CM-2570-1000000");
    }

    #[test]
    fn codes_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
        for u in Urgency::ALL {
            assert_eq!(Urgency::from_code(u.code()), Some(u));
        }
    }
}
