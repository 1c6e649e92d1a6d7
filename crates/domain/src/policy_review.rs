//! The periodic review of the agency's case-management policy (การทบทวนนโยบาย): once per
//! cycle (every 6 or 12 months, the organisation's choice) the supervisors review a period —
//! usually the last fiscal year — against measures computed for it: the service steps'
//! timeliness, the coverage of assessments and re-assessments, whether plans were evaluated,
//! referral outcomes, follow-up after closure, and how responsibility was shared with other
//! people and agencies. The review records findings, decisions and actions; each action has an
//! owner and a due date and is tracked to done (or dropped, with a reason) even after the
//! review is concluded. A review is compared with the one before it. This module owns the
//! codes, the measures' definitions and the input checks; the figures are `app::policy_review`'s.

use crate::error::{FieldError, Validation};
use crate::report::Figure;
use serde::{Deserialize, Serialize};

/// The longest title, in characters.
pub const TITLE_MAX: usize = 200;
/// The longest item or summary text, in characters.
pub const TEXT_MAX: usize = 5_000;
/// The cycle lengths an organisation may choose, in months.
pub const CYCLE_MONTHS: [i64; 4] = [3, 6, 12, 24];
/// The cycle when none was chosen.
pub const DEFAULT_CYCLE_MONTHS: i64 = 12;

/// The parts of the policy a review looks at, in the order they are shown.
pub const AREAS: [&str; 6] = [
    "service_steps",
    "assessment",
    "evaluation",
    "referral",
    "follow_up",
    "shared_responsibility",
];

/// How a measure's value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// The median number of days.
    Days,
    /// The share of the base that met it, in percent.
    Percent,
}

/// Every measure: its key, its area and its unit, in the order they are shown.
pub const MEASURES: [(&str, &str, Unit); 14] = [
    ("days_to_assessment", "service_steps", Unit::Days),
    ("days_to_plan", "service_steps", Unit::Days),
    ("days_to_closure", "service_steps", Unit::Days),
    ("promises_kept_on_time", "service_steps", Unit::Percent),
    ("assessed", "assessment", Unit::Percent),
    ("reassessed", "assessment", Unit::Percent),
    ("plans_reviewed", "evaluation", Unit::Percent),
    ("gas_at_closure", "evaluation", Unit::Percent),
    ("referrals_completed", "referral", Unit::Percent),
    ("referrals_ended_early", "referral", Unit::Percent),
    ("follow_ups_done", "follow_up", Unit::Percent),
    ("cases_conferenced", "shared_responsibility", Unit::Percent),
    (
        "conferences_with_outside",
        "shared_responsibility",
        Unit::Percent,
    ),
    ("cases_referred", "shared_responsibility", Unit::Percent),
];

/// A measure's unit (none for an unknown key).
pub fn unit_of(key: &str) -> Option<Unit> {
    MEASURES.iter().find(|m| m.0 == key).map(|m| m.2)
}

/// One measure as computed for a review's period, kept with the review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Measure {
    /// One of [`MEASURES`]' keys.
    pub key: String,
    /// Its area, one of [`AREAS`].
    pub area: String,
    /// How many cases (or referrals, promises, follow-ups, conferences) it is measured on;
    /// 1–4 suppressed.
    pub base: Figure,
    /// Median days, or percent of the base; none under five.
    pub value: Option<i64>,
}

impl Measure {
    /// A share of `base` that met the measure (no value under five).
    pub fn rate(key: &str, area: &str, base: i64, met: i64) -> Measure {
        Measure {
            key: key.to_string(),
            area: area.to_string(),
            base: Figure::of(base),
            value: (base >= crate::report::SUPPRESS_BELOW).then(|| met * 100 / base.max(1)),
        }
    }
}

/// Where a review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Findings, decisions and actions are being recorded.
    Open,
    /// Concluded with a summary; its actions are still tracked.
    Concluded,
}

impl Status {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Concluded => "concluded",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Status> {
        [Status::Open, Status::Concluded]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// What a review's item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// What the review found.
    Finding,
    /// What it decided (a change of policy or practice).
    Decision,
    /// What someone will do, by when.
    Action,
}

impl ItemKind {
    /// Every kind, in the order they are shown.
    pub const ALL: [ItemKind; 3] = [ItemKind::Finding, ItemKind::Decision, ItemKind::Action];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            ItemKind::Finding => "finding",
            ItemKind::Decision => "decision",
            ItemKind::Action => "action",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionStatus {
    /// Not started.
    Open,
    /// Under way.
    InProgress,
    /// Done.
    Done,
    /// Not to be done, with a reason.
    Dropped,
}

impl ActionStatus {
    /// Every status.
    pub const ALL: [ActionStatus; 4] = [
        ActionStatus::Open,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::Dropped,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<ActionStatus> {
        ActionStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Done or dropped: no longer followed.
    pub fn is_final(self) -> bool {
        matches!(self, ActionStatus::Done | ActionStatus::Dropped)
    }
}

/// A new review as asked for.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewReviewInput {
    /// The title.
    pub title: String,
    /// The period reviewed: `fy-2569`, `q-2570-1` or `m-2569-10` (BE).
    pub period: String,
}

/// An item to add to a review.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewItemInput {
    /// `finding`, `decision` or `action`.
    pub kind: String,
    /// The area of the policy, one of `service_steps`, `assessment`, `evaluation`,
    /// `referral`, `follow_up`, `shared_responsibility`.
    pub area: String,
    /// What it says.
    pub text: String,
    /// An action's owner (an account id of the organisation); required for an action.
    pub owner_id: String,
    /// An action's due date, in the caller's calendar (`31/3/2570` BE, or ISO
    /// `2027-03-31`); required for an action, not in the past.
    pub due: String,
}

/// A change of an action's progress.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ActionUpdateInput {
    /// The version changed (a newer one is refused with 409).
    pub version: i64,
    /// `open`, `in_progress`, `done` or `dropped`.
    pub status: String,
    /// What was done, or why it was dropped (required to drop).
    pub note: String,
}

/// A review's conclusion.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ConcludeInput {
    /// The version concluded (a newer one is refused with 409).
    pub version: i64,
    /// The review's summary; required.
    pub summary: String,
}

/// The organisation's review cycle as asked for.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CycleInput {
    /// Months between reviews: 3, 6, 12 or 24.
    pub months: i64,
}

/// A checked item's kind, area and text (the owner and due date are the use case's).
pub fn check_item(v: &mut Validation, input: &NewItemInput) -> (ItemKind, String, String) {
    let kind = ItemKind::from_code(input.kind.trim());
    v.check(kind.is_none(), "kind", "policy.item_kind_unknown");
    let area = input.area.trim();
    if area.is_empty() {
        v.push(FieldError::new("area", "required"));
    } else if !AREAS.contains(&area) {
        v.push(FieldError::new("area", "policy.area_unknown"));
    }
    let text = v.required("text", &input.text, TEXT_MAX);
    (kind.unwrap_or(ItemKind::Finding), area.to_string(), text)
}

/// Checks a change of an action's progress: a known status, a note of bounded length,
/// required to drop it.
pub fn check_update(
    input: &ActionUpdateInput,
) -> Result<(ActionStatus, Option<String>), Vec<FieldError>> {
    let mut v = Validation::new();
    let status = ActionStatus::from_code(input.status.trim());
    v.check(status.is_none(), "status", "policy.action_status_unknown");
    let note = v.text("note", &input.note, TEXT_MAX);
    v.check(
        status == Some(ActionStatus::Dropped) && note.is_none(),
        "note",
        "required",
    );
    v.finish()?;
    Ok((status.unwrap_or(ActionStatus::Open), note))
}

/// Checks a cycle length.
pub fn check_cycle(input: &CycleInput) -> Result<i64, Vec<FieldError>> {
    if CYCLE_MONTHS.contains(&input.months) {
        Ok(input.months)
    } else {
        Err(vec![FieldError::new("months", "policy.cycle_unknown")])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_under_five_has_no_value() {
        let m = Measure::rate("assessed", "assessment", 4, 4);
        assert_eq!((m.base, m.value), (Figure::Suppressed, None));
        let m = Measure::rate("assessed", "assessment", 8, 6);
        assert_eq!((m.base, m.value), (Figure::Count(8), Some(75)));
        let m = Measure::rate("assessed", "assessment", 0, 0);
        assert_eq!((m.base, m.value), (Figure::Count(0), None));
    }

    #[test]
    fn dropping_an_action_needs_a_reason() {
        let input = ActionUpdateInput {
            version: 1,
            status: "dropped".into(),
            note: " ".into(),
        };
        let errors = check_update(&input).expect_err("no reason");
        assert_eq!(errors[0].field, "note");
        let done = ActionUpdateInput {
            status: "done".into(),
            ..input
        };
        assert_eq!(check_update(&done).expect("done").0, ActionStatus::Done);
    }

    #[test]
    fn an_item_names_every_field_at_fault() {
        let mut v = Validation::new();
        check_item(
            &mut v,
            &NewItemInput {
                kind: "wish".into(),
                area: "budget".into(),
                ..NewItemInput::default()
            },
        );
        let fields: Vec<String> = v
            .finish()
            .expect_err("bad")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["kind", "area", "text"]);
    }

    #[test]
    fn every_measure_belongs_to_a_known_area() {
        for (key, area, _) in MEASURES {
            assert!(AREAS.contains(&area), "{key}");
        }
        assert_eq!(unit_of("days_to_plan"), Some(Unit::Days));
        assert!(check_cycle(&CycleInput { months: 7 }).is_err());
    }
}
