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

/// Closing needs every promise to the client settled: kept, or released with a note that
/// the client was told (trust is kept by saying so, not by forgetting). A missed promise is
/// settled too: it was recorded with its reason when it fell through.
#[derive(Debug, Clone, Copy)]
pub struct NoOpenPromisesAtClosing;

impl Guard for NoOpenPromisesAtClosing {
    fn check(
        &self,
        _from: Status,
        to: Status,
        facts: &TransitionFacts,
    ) -> Result<(), &'static str> {
        if to == Status::Closed && facts.open_promises > 0 {
            return Err("case.guard.open_promises");
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
        Box::new(NoOpenPromisesAtClosing),
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

/// One answer of the screening. There is no default: every question is answered yes or no,
/// or recorded explicitly as not asked (the worker could not ask it — the client was not
/// there, could not speak, a third party referred).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SafetyAnswer {
    /// The risk is there.
    Yes,
    /// Asked, and the risk is not there.
    No,
    /// Not asked: the risk is unknown.
    NotAsked,
}

impl SafetyAnswer {
    /// Every answer, in the order a form offers them.
    pub const ALL: [SafetyAnswer; 3] =
        [SafetyAnswer::Yes, SafetyAnswer::No, SafetyAnswer::NotAsked];

    /// Stable code (`yes`, `no`, `not_asked`), also the form's value.
    pub fn code(self) -> &'static str {
        match self {
            SafetyAnswer::Yes => "yes",
            SafetyAnswer::No => "no",
            SafetyAnswer::NotAsked => "not_asked",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<SafetyAnswer> {
        SafetyAnswer::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// The urgency an unknown risk gives: a question of the screening recorded as not asked
/// raises the case to at least this level, so someone asks it (or makes the safety
/// assessment) within 24 hours rather than the case waiting as routine. The screening's rules
/// have no "unknown" of their own; urgent is the level its serious-risk questions give, and
/// the immediate-danger questions stay the worker's to ask (they need no case to exist).
pub const UNKNOWN_RISK_URGENCY: Urgency = Urgency::Urgent;

/// What the screening found: the urgency, and the questions recorded as not asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screening {
    /// The highest urgency any "yes" raises the case to, at least [`UNKNOWN_RISK_URGENCY`]
    /// when a question was not asked, else routine.
    pub urgency: Urgency,
    /// The codes of the questions recorded as not asked, in the screening's order.
    pub not_asked: Vec<&'static str>,
}

impl Screening {
    /// The case needs a review of its screening: a question was not asked.
    pub fn needs_review(&self) -> bool {
        !self.not_asked.is_empty()
    }
}

/// Every question with one answer: for tools and tests that screen in bulk (the demo answers
/// each question itself).
pub fn all_answered(answer: SafetyAnswer) -> Vec<(String, SafetyAnswer)> {
    SAFETY_QUESTIONS
        .iter()
        .map(|q| (q.code.to_string(), answer))
        .collect()
}

/// The questions a stored screening (the case's `safety_answers`: code → `true`, `false` or
/// `"not_asked"`) records as not asked; empty for anything unreadable.
pub fn not_asked_in(stored: &str) -> Vec<String> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(stored) else {
        return Vec::new();
    };
    SAFETY_QUESTIONS
        .iter()
        .filter(|q| map.get(q.code).and_then(|v| v.as_str()) == Some(SafetyAnswer::NotAsked.code()))
        .map(|q| q.code.to_string())
        .collect()
}

/// Reads the screening: every question must have an answer (`safety.<code>`:
/// `case.safety.unanswered` names each one missing), unknown codes are refused (`safety`:
/// `case.safety.unknown_question`). The urgency is the highest a "yes" gives; a question not
/// asked raises it to at least [`UNKNOWN_RISK_URGENCY`].
pub fn screen(answers: &[(String, SafetyAnswer)]) -> Result<Screening, Vec<FieldError>> {
    let mut errors = Vec::new();
    if answers
        .iter()
        .any(|(code, _)| !SAFETY_QUESTIONS.iter().any(|q| q.code == code))
    {
        errors.push(FieldError::new("safety", "case.safety.unknown_question"));
    }
    let mut urgency = Urgency::Routine;
    let mut not_asked = Vec::new();
    for q in &SAFETY_QUESTIONS {
        match answers.iter().find(|(c, _)| c == q.code).map(|(_, a)| *a) {
            None => errors.push(FieldError::new(
                format!("safety.{}", q.code),
                "case.safety.unanswered",
            )),
            Some(SafetyAnswer::Yes) => urgency = urgency.max(q.yes_means),
            Some(SafetyAnswer::No) => {}
            Some(SafetyAnswer::NotAsked) => {
                urgency = urgency.max(UNKNOWN_RISK_URGENCY);
                not_asked.push(q.code);
            }
        }
    }
    if errors.is_empty() {
        Ok(Screening { urgency, not_asked })
    } else {
        Err(errors)
    }
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
    fn a_case_with_an_open_promise_does_not_close() {
        let guards = default_guards();
        let facts = TransitionFacts {
            has_contact: true,
            open_promises: 1,
            assessment_completed: true,
            plan_in_force: true,
            closure_ready: true,
        };
        let e = check_transition(Status::Review, Status::Closed, &facts, &guards).unwrap_err();
        assert_eq!(e.code, "case.guard.open_promises");
        // Other moves are not held up by an open promise.
        assert!(check_transition(Status::Review, Status::Implementation, &facts, &guards).is_ok());
        let settled = TransitionFacts {
            open_promises: 0,
            ..facts
        };
        assert!(check_transition(Status::Review, Status::Closed, &settled, &guards).is_ok());
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

    fn answers(v: &[(&str, SafetyAnswer)]) -> Vec<(String, SafetyAnswer)> {
        let mut all: Vec<(String, SafetyAnswer)> = SAFETY_QUESTIONS
            .iter()
            .map(|q| (q.code.to_string(), SafetyAnswer::No))
            .collect();
        for (c, a) in v {
            match all.iter_mut().find(|(x, _)| x == c) {
                Some(slot) => slot.1 = *a,
                None => all.push((c.to_string(), *a)),
            }
        }
        all
    }

    #[test]
    fn screening_takes_the_highest_urgency() {
        use SafetyAnswer::*;
        let urgency = |v: &[(&str, SafetyAnswer)]| screen(&answers(v)).unwrap().urgency;
        assert_eq!(urgency(&[]), Urgency::Routine);
        assert_eq!(urgency(&[("no_safe_place_tonight", Yes)]), Urgency::Urgent);
        assert_eq!(
            urgency(&[("no_safe_place_tonight", Yes), ("in_danger_now", Yes)]),
            Urgency::Emergency
        );
        assert!(screen(&answers(&[("made_up", Yes)])).is_err());
    }

    #[test]
    fn an_unanswered_question_is_refused_by_name() {
        let mut a = answers(&[]);
        a.retain(|(c, _)| c != "self_harm_risk" && c != "in_danger_now");
        let errors = screen(&a).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["safety.in_danger_now", "safety.self_harm_risk"]);
        assert!(errors.iter().all(|e| e.code == "case.safety.unanswered"));
        assert_eq!(screen(&[]).unwrap_err().len(), SAFETY_QUESTIONS.len());
    }

    #[test]
    fn a_question_not_asked_raises_the_case_for_review() {
        use SafetyAnswer::*;
        let s = screen(&answers(&[("in_danger_now", NotAsked)])).unwrap();
        assert_eq!(s.urgency, UNKNOWN_RISK_URGENCY);
        assert_eq!(s.not_asked, ["in_danger_now"]);
        assert!(s.needs_review());
        // A "yes" that means more still wins.
        let s = screen(&answers(&[
            ("self_harm_risk", NotAsked),
            ("injured_needs_care", Yes),
        ]))
        .unwrap();
        assert_eq!(s.urgency, Urgency::Emergency);
        assert!(!screen(&answers(&[])).unwrap().needs_review());
    }

    #[test]
    fn stored_answers_name_what_was_not_asked() {
        let stored = r#"{"in_danger_now":false,"self_harm_risk":"not_asked"}"#;
        assert_eq!(not_asked_in(stored), ["self_harm_risk"]);
        assert!(not_asked_in("{}").is_empty());
        assert!(not_asked_in("not json").is_empty());
    }

    #[test]
    fn answer_codes_round_trip() {
        for a in SafetyAnswer::ALL {
            assert_eq!(SafetyAnswer::from_code(a.code()), Some(a));
        }
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
