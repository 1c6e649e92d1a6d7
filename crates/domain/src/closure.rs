//! Reviews and closure: scheduled reviews ending in continue, revise or close; a closure with
//! its reason, its summary (goals achieved or not, the final GAS) and follow-up contacts after
//! closure.

use crate::error::{FieldError, Validation};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How a review ends.
pub const REVIEW_OUTCOMES: [&str; 3] = ["continue", "revise", "close"];

/// Why a case is closed.
pub const CLOSURE_REASONS: [&str; 7] = [
    "goals_achieved",
    "moved_away",
    "declined",
    "transferred",
    "died",
    "lost_contact",
    "other",
];

/// Whether a goal was reached, at closure.
pub const GOAL_OUTCOMES: [&str; 3] = ["achieved", "partly", "not_achieved"];

/// Follow-up contacts after closure when none are given: after 1, 3 and 6 months.
pub const DEFAULT_FOLLOW_UP_MONTHS: [u32; 3] = [1, 3, 6];

/// A review as submitted.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReviewInput {
    /// `continue`, `revise` or `close`.
    pub outcome: String,
    /// What the review found.
    pub note: String,
}

/// Checks a review.
pub fn validate_review(input: &ReviewInput) -> Result<(String, String), Vec<FieldError>> {
    let mut v = Validation::new();
    let outcome = input.outcome.trim().to_string();
    if outcome.is_empty() {
        v.push(FieldError::new("outcome", "required"));
    } else if !REVIEW_OUTCOMES.contains(&outcome.as_str()) {
        v.push(FieldError::new("outcome", "review.outcome_unknown"));
    }
    let note = input.note.trim().to_string();
    v.check(note.is_empty(), "note", "required");
    v.check(note.chars().count() > 10_000, "note", "too_long");
    v.finish()?;
    Ok((outcome, note))
}

/// When the next review falls due: `interval` days after the last review, or after the plan
/// came into force when there has been none.
pub fn next_review(
    last_review: Option<NaiveDate>,
    plan_in_force_since: Option<NaiveDate>,
    interval: i64,
) -> Option<NaiveDate> {
    last_review
        .or(plan_in_force_since)
        .map(|d| d + chrono::Days::new(interval.max(1) as u64))
}

/// One goal's outcome at closure as submitted.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct GoalOutcomeInput {
    /// The goal's id.
    pub goal_id: String,
    /// `achieved`, `partly` or `not_achieved`.
    pub outcome: String,
}

/// A closure as submitted.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ClosureInput {
    /// Reason code.
    pub reason: String,
    /// The closure summary: what changed for the client, what remains.
    pub summary: String,
    /// Each goal of the plan in force and whether it was reached.
    pub goals: Vec<GoalOutcomeInput>,
    /// Months after closure for follow-up contacts (default 1, 3 and 6; empty list: none).
    pub follow_up_months: Option<Vec<u32>>,
}

/// A goal's outcome at closure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GoalOutcome {
    /// Goal.
    pub goal_id: Uuid,
    /// Outcome code.
    pub outcome: String,
}

/// A checked closure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    /// Reason code.
    pub reason: String,
    /// Summary.
    pub summary: String,
    /// Goal outcomes.
    pub goals: Vec<GoalOutcome>,
    /// Follow-up months.
    pub follow_up_months: Vec<u32>,
}

/// Checks a closure: a known reason, a summary, an outcome for every goal of the plan in force
/// (`goals`) and nothing else, follow-ups within two years.
pub fn validate_closure(input: &ClosureInput, goals: &[Uuid]) -> Result<Closure, Vec<FieldError>> {
    let mut v = Validation::new();
    let reason = input.reason.trim().to_string();
    if reason.is_empty() {
        v.push(FieldError::new("reason", "required"));
    } else if !CLOSURE_REASONS.contains(&reason.as_str()) {
        v.push(FieldError::new("reason", "closure.reason_unknown"));
    }
    let summary = input.summary.trim().to_string();
    v.check(summary.is_empty(), "summary", "required");
    v.check(summary.chars().count() > 20_000, "summary", "too_long");
    let mut outcomes = Vec::new();
    for (i, g) in input.goals.iter().enumerate() {
        match Uuid::parse_str(g.goal_id.trim())
            .ok()
            .filter(|id| goals.contains(id))
        {
            None => v.push(FieldError::new(
                format!("goals[{i}].goal_id"),
                "plan.goal_unknown",
            )),
            Some(_) if !GOAL_OUTCOMES.contains(&g.outcome.trim()) => v.push(FieldError::new(
                format!("goals[{i}].outcome"),
                if g.outcome.trim().is_empty() {
                    "required"
                } else {
                    "closure.outcome_unknown"
                },
            )),
            Some(id) => outcomes.push(GoalOutcome {
                goal_id: id,
                outcome: g.outcome.trim().to_string(),
            }),
        }
    }
    for (i, id) in goals.iter().enumerate() {
        if !input
            .goals
            .iter()
            .any(|g| g.goal_id.trim() == id.to_string())
        {
            v.push(FieldError::new(format!("goals[{i}].outcome"), "required"));
        }
    }
    let months = input
        .follow_up_months
        .clone()
        .unwrap_or_else(|| DEFAULT_FOLLOW_UP_MONTHS.to_vec());
    if months.len() > 12 || months.iter().any(|m| !(1..=24).contains(m)) {
        v.push(
            FieldError::new("follow_up_months", "out_of_range")
                .arg("min", 1)
                .arg("max", 24),
        );
    }
    v.finish()?;
    let mut months = months;
    months.sort_unstable();
    months.dedup();
    Ok(Closure {
        reason,
        summary,
        goals: outcomes,
        follow_up_months: months,
    })
}

/// The follow-up dates after closing on `closed_on`.
pub fn follow_up_dates(closed_on: NaiveDate, months: &[u32]) -> Vec<NaiveDate> {
    months
        .iter()
        .filter_map(|m| closed_on.checked_add_months(Months::new(*m)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reviews_end_in_a_known_outcome_with_a_note() {
        let e = validate_review(&ReviewInput::default()).unwrap_err();
        assert_eq!(e.len(), 2);
        let e = validate_review(&ReviewInput {
            outcome: "pause".into(),
            note: "x".into(),
        })
        .unwrap_err();
        assert_eq!(e[0].code, "review.outcome_unknown");
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(next_review(None, Some(d(11, 1)), 30), Some(d(12, 1)));
        assert_eq!(
            next_review(Some(d(11, 20)), Some(d(10, 1)), 14),
            Some(d(12, 4))
        );
        assert_eq!(next_review(None, None, 30), None);
    }

    #[test]
    fn a_closure_accounts_for_every_goal() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let mut input = ClosureInput {
            reason: "goals_achieved".into(),
            summary: "ได้งานทำและย้ายกลับบ้าน".into(),
            goals: vec![GoalOutcomeInput {
                goal_id: a.to_string(),
                outcome: "achieved".into(),
            }],
            follow_up_months: None,
        };
        let e = validate_closure(&input, &[a, b]).unwrap_err();
        assert_eq!(e[0].field, "goals[1].outcome");
        input.goals.push(GoalOutcomeInput {
            goal_id: b.to_string(),
            outcome: "partly".into(),
        });
        let c = validate_closure(&input, &[a, b]).unwrap();
        assert_eq!(c.follow_up_months, vec![1, 3, 6]);
        input.follow_up_months = Some(vec![0]);
        assert!(validate_closure(&input, &[a, b]).is_err());
        input.reason = "bored".into();
        input.follow_up_months = Some(Vec::new());
        let e = validate_closure(&input, &[a, b]).unwrap_err();
        assert_eq!(e[0].code, "closure.reason_unknown");
    }

    #[test]
    fn follow_ups_fall_months_after_closure() {
        let d = NaiveDate::from_ymd_opt(2026, 8, 31).unwrap();
        let dates = follow_up_dates(d, &[1, 6]);
        assert_eq!(dates[0], NaiveDate::from_ymd_opt(2026, 9, 30).unwrap());
        assert_eq!(dates[1], NaiveDate::from_ymd_opt(2027, 2, 28).unwrap());
    }
}
