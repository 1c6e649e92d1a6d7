//! The individual plan (แผนการช่วยเหลือรายบุคคล): measurable goals, the interventions under
//! each, and Goal Attainment Scaling for monitoring.
//!
//! A plan is kept as versions: each revision is a new, complete version with its reason; goals
//! and interventions keep their ids across versions so progress entries stay attached.

use crate::error::{FieldError, Validation};
use chrono::NaiveDate;
use karuna_thai::calendar::{parse_date, Era};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Life dimensions a goal addresses.
pub const DIMENSIONS: [&str; 7] = [
    "physical",
    "mental",
    "social",
    "economic",
    "legal",
    "safety",
    "education",
];

/// Goal priorities.
pub const PRIORITIES: [&str; 3] = ["high", "medium", "low"];

/// Methods of intervention.
pub const METHODS: [&str; 12] = [
    "counselling",
    "psychosocial_support",
    "training",
    "job_placement",
    "financial_support",
    "shelter",
    "medical_care",
    "legal_aid",
    "education",
    "family_reunification",
    "referral",
    "other",
];

/// Where an intervention stands; `ended_early` feeds the "services ended early" figures.
pub const INTERVENTION_STATES: [&str; 5] = [
    "planned",
    "in_progress",
    "completed",
    "ended_early",
    "cancelled",
];

/// The correlation between goal scores assumed by Kiresuk & Sherman's T-score.
pub const GAS_RHO: f64 = 0.3;

/// An intervention as submitted.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct InterventionInput {
    /// Keep the id of an intervention carried over from the previous version.
    pub id: Option<String>,
    /// Method code.
    pub method: String,
    /// A team member responsible (account id), or empty with `provider`.
    pub responsible_id: Option<String>,
    /// A named outside provider.
    pub provider: String,
    /// Start date, in the user's calendar.
    pub start: String,
    /// End date, in the user's calendar (optional).
    pub end: String,
    /// How often (free text: "ทุกสัปดาห์", "monthly").
    pub frequency: String,
    /// Status code (default `planned`).
    pub status: String,
}

/// A goal as submitted.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct GoalInput {
    /// Keep the id of a goal carried over from the previous version.
    pub id: Option<String>,
    /// Dimension code.
    pub dimension: String,
    /// What the client wants to reach.
    pub statement: String,
    /// How it is measured.
    pub indicator: String,
    /// Where it stands now.
    pub baseline: String,
    /// Where it should be.
    pub target: String,
    /// By when, in the user's calendar.
    pub target_date: String,
    /// Priority code.
    pub priority: String,
    /// Weight in the GAS T-score (1–10, default 1).
    pub weight: Option<i64>,
    /// The client's agreement, in the client's own words.
    pub client_agreement: String,
    /// The interventions under this goal.
    pub interventions: Vec<InterventionInput>,
}

/// A plan version as submitted.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PlanInput {
    /// Why this revision (required when the case already has a plan).
    pub reason: String,
    /// The goals.
    pub goals: Vec<GoalInput>,
}

/// A checked intervention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Intervention {
    /// Stable id across versions.
    pub id: Uuid,
    /// Method code.
    pub method: String,
    /// Responsible team member.
    pub responsible_id: Option<Uuid>,
    /// Named outside provider.
    pub provider: Option<String>,
    /// Start.
    pub start: NaiveDate,
    /// End.
    pub end: Option<NaiveDate>,
    /// Frequency.
    pub frequency: Option<String>,
    /// Status code.
    pub status: String,
}

/// A checked goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Goal {
    /// Stable id across versions.
    pub id: Uuid,
    /// Dimension code.
    pub dimension: String,
    /// Statement.
    pub statement: String,
    /// Measurable indicator.
    pub indicator: String,
    /// Baseline.
    pub baseline: String,
    /// Target.
    pub target: String,
    /// Target date.
    pub target_date: NaiveDate,
    /// Priority code.
    pub priority: String,
    /// GAS weight.
    pub weight: i64,
    /// The client's agreement in their own words.
    pub client_agreement: String,
    /// Interventions.
    pub interventions: Vec<Intervention>,
}

/// The content of one plan version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlanContent {
    /// The goals, in the order given.
    pub goals: Vec<Goal>,
}

fn text(v: &mut Validation, value: &str, field: String, max: usize, required: bool) -> String {
    let t = value.trim().to_string();
    v.check(required && t.is_empty(), &field, "required");
    v.check(t.chars().count() > max, &field, "too_long");
    t
}

fn code(v: &mut Validation, value: &str, field: String, known: &[&str], unknown: &str) -> String {
    let c = value.trim().to_string();
    if c.is_empty() {
        v.push(FieldError::new(field, "required"));
    } else if !known.contains(&c.as_str()) {
        v.push(FieldError::new(field, unknown));
    }
    c
}

fn date(v: &mut Validation, value: &str, field: String, era: Era) -> Option<NaiveDate> {
    if value.trim().is_empty() {
        v.push(FieldError::new(field, "required"));
        return None;
    }
    match parse_date(value, era) {
        Ok(d) => Some(d.date),
        Err(e) => {
            v.push(FieldError::new(field, e.code()));
            None
        }
    }
}

fn id_or_new(v: &mut Validation, value: &Option<String>, field: String) -> Uuid {
    match value.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Uuid::now_v7(),
        Some(s) => Uuid::parse_str(s).unwrap_or_else(|_| {
            v.push(FieldError::new(field, "plan.id_invalid"));
            Uuid::nil()
        }),
    }
}

/// Checks a plan version: at least one goal; every goal with a known dimension, a statement, a
/// measurable indicator, a target and a target date; every intervention with a known method,
/// someone responsible (a team member in `team`, or a named provider) and a start date not
/// after its end. Field names are paths such as `goals[1].interventions[0].method`.
pub fn validate_plan(
    input: &PlanInput,
    era: Era,
    team: &[Uuid],
    revision: bool,
) -> Result<(PlanContent, Option<String>), Vec<FieldError>> {
    let mut v = Validation::new();
    let reason = text(&mut v, &input.reason, "reason".into(), 2000, revision);
    if input.goals.is_empty() {
        v.push(FieldError::new("goals", "plan.goal_required"));
    }
    if input.goals.len() > 50 {
        v.push(FieldError::new("goals", "too_long"));
    }
    let mut goals = Vec::new();
    let mut seen = Vec::new();
    for (i, g) in input.goals.iter().enumerate() {
        let p = |f: &str| format!("goals[{i}].{f}");
        let id = id_or_new(&mut v, &g.id, p("id"));
        if seen.contains(&id) {
            v.push(FieldError::new(p("id"), "plan.id_repeated"));
        }
        seen.push(id);
        let dimension = code(
            &mut v,
            &g.dimension,
            p("dimension"),
            &DIMENSIONS,
            "plan.dimension_unknown",
        );
        let priority = if g.priority.trim().is_empty() {
            "medium".to_string()
        } else {
            code(
                &mut v,
                &g.priority,
                p("priority"),
                &PRIORITIES,
                "plan.priority_unknown",
            )
        };
        let weight = g.weight.unwrap_or(1);
        if !(1..=10).contains(&weight) {
            v.push(
                FieldError::new(p("weight"), "out_of_range")
                    .arg("min", 1)
                    .arg("max", 10),
            );
        }
        let target_date = date(&mut v, &g.target_date, p("target_date"), era);
        let mut interventions = Vec::new();
        for (j, x) in g.interventions.iter().enumerate() {
            let q = |f: &str| format!("goals[{i}].interventions[{j}].{f}");
            let iid = id_or_new(&mut v, &x.id, q("id"));
            if seen.contains(&iid) {
                v.push(FieldError::new(q("id"), "plan.id_repeated"));
            }
            seen.push(iid);
            let method = code(
                &mut v,
                &x.method,
                q("method"),
                &METHODS,
                "plan.method_unknown",
            );
            let mut named = false;
            let responsible_id = match x.responsible_id.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(s) => {
                    named = true;
                    match Uuid::parse_str(s) {
                        Ok(u) if team.contains(&u) => Some(u),
                        _ => {
                            v.push(FieldError::new(q("responsible_id"), "plan.not_on_team"));
                            None
                        }
                    }
                }
            };
            let provider = text(&mut v, &x.provider, q("provider"), 200, false);
            if !named && provider.is_empty() {
                v.push(FieldError::new(
                    q("responsible_id"),
                    "plan.responsible_required",
                ));
            }
            let start = date(&mut v, &x.start, q("start"), era);
            let end = if x.end.trim().is_empty() {
                None
            } else {
                date(&mut v, &x.end, q("end"), era)
            };
            if let (Some(s), Some(e)) = (start, end) {
                v.check(e < s, &q("end"), "plan.end_before_start");
            }
            let status = if x.status.trim().is_empty() {
                "planned".to_string()
            } else {
                code(
                    &mut v,
                    &x.status,
                    q("status"),
                    &INTERVENTION_STATES,
                    "plan.status_unknown",
                )
            };
            let frequency = text(&mut v, &x.frequency, q("frequency"), 200, false);
            if let Some(start) = start {
                interventions.push(Intervention {
                    id: iid,
                    method,
                    responsible_id,
                    provider: Some(provider).filter(|s| !s.is_empty()),
                    start,
                    end,
                    frequency: Some(frequency).filter(|s| !s.is_empty()),
                    status,
                });
            }
        }
        let statement = text(&mut v, &g.statement, p("statement"), 2000, true);
        let indicator = text(&mut v, &g.indicator, p("indicator"), 1000, true);
        let baseline = text(&mut v, &g.baseline, p("baseline"), 1000, false);
        let target = text(&mut v, &g.target, p("target"), 1000, true);
        let client_agreement = text(
            &mut v,
            &g.client_agreement,
            p("client_agreement"),
            2000,
            false,
        );
        if let Some(target_date) = target_date {
            goals.push(Goal {
                id,
                dimension,
                statement,
                indicator,
                baseline,
                target,
                target_date,
                priority,
                weight,
                client_agreement,
                interventions,
            });
        }
    }
    v.finish()?;
    Ok((
        PlanContent { goals },
        Some(reason).filter(|r| !r.is_empty()),
    ))
}

/// Checks an intervention's status change between plan versions: a known status, and a
/// reason when it ends early or is cancelled (the figures on services ended early need it).
pub fn validate_status_change(
    status: &str,
    note: &str,
) -> Result<(String, Option<String>), Vec<FieldError>> {
    let mut v = Validation::new();
    let status = status.trim().to_string();
    if status.is_empty() {
        v.push(FieldError::new("status", "required"));
    } else if !INTERVENTION_STATES.contains(&status.as_str()) {
        v.push(FieldError::new("status", "plan.status_unknown"));
    }
    let note = note.trim().to_string();
    v.check(
        note.is_empty() && matches!(status.as_str(), "ended_early" | "cancelled"),
        "note",
        "required",
    );
    v.check(note.chars().count() > 2000, "note", "too_long");
    v.finish()?;
    Ok((status, Some(note).filter(|n| !n.is_empty())))
}

/// Days after its start an intervention may stay `planned` before it counts as stalled.
pub const STALLED_AFTER_DAYS: i64 = 14;

/// Why an intervention needs attention on `today`: `past_end` (still open after its end
/// date) or `not_started` (still planned two weeks after its start); `None` when on track.
pub fn stalled(x: &Intervention, today: NaiveDate) -> Option<&'static str> {
    let open = matches!(x.status.as_str(), "planned" | "in_progress");
    if open && x.end.is_some_and(|e| e < today) {
        Some("past_end")
    } else if x.status == "planned"
        && x.start + chrono::Days::new(STALLED_AFTER_DAYS as u64) < today
    {
        Some("not_started")
    } else {
        None
    }
}

/// Kiresuk & Sherman's GAS T-score over (weight, score −2…+2) pairs:
/// `T = 50 + 10·Σwᵢxᵢ / √((1−ρ)·Σwᵢ² + ρ·(Σwᵢ)²)` with ρ = 0.3. `None` without any goal scored.
pub fn gas_t_score(scored: &[(i64, i64)]) -> Option<f64> {
    if scored.is_empty() {
        return None;
    }
    let sum_wx: f64 = scored.iter().map(|(w, x)| (*w * *x) as f64).sum();
    let sum_w2: f64 = scored.iter().map(|(w, _)| (*w * *w) as f64).sum();
    let sum_w: f64 = scored.iter().map(|(w, _)| *w as f64).sum();
    let denominator = ((1.0 - GAS_RHO) * sum_w2 + GAS_RHO * sum_w * sum_w).sqrt();
    (denominator > 0.0).then(|| 50.0 + 10.0 * sum_wx / denominator)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal() -> GoalInput {
        GoalInput {
            dimension: "economic".into(),
            statement: "มีรายได้ประจำ".into(),
            indicator: "รายได้ต่อเดือน (บาท)".into(),
            baseline: "0".into(),
            target: "9000".into(),
            target_date: "31/03/2570".into(),
            interventions: vec![InterventionInput {
                method: "job_placement".into(),
                provider: "สำนักงานจัดหางานจังหวัด".into(),
                start: "01/12/2569".into(),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_goal_needs_an_indicator_and_a_target_date() {
        let mut g = goal();
        g.indicator = " ".into();
        g.target_date = String::new();
        g.interventions[0].method = "magic".into();
        let input = PlanInput {
            goals: vec![goal(), g],
            ..Default::default()
        };
        let errors = validate_plan(&input, Era::Buddhist, &[], false).unwrap_err();
        let fields: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert!(fields.contains(&("goals[1].indicator", "required")));
        assert!(fields.contains(&("goals[1].target_date", "required")));
        assert!(fields.contains(&("goals[1].interventions[0].method", "plan.method_unknown")));
        assert!(!fields.iter().any(|(f, _)| f.starts_with("goals[0]")));
    }

    #[test]
    fn revisions_need_a_reason_and_keep_ids() {
        let input = PlanInput {
            goals: vec![goal()],
            ..Default::default()
        };
        let e = validate_plan(&input, Era::Buddhist, &[], true).unwrap_err();
        assert_eq!(e[0].field, "reason");
        let (first, _) = validate_plan(&input, Era::Buddhist, &[], false).unwrap();
        let mut again = goal();
        again.id = Some(first.goals[0].id.to_string());
        let input = PlanInput {
            reason: "ลูกค้าย้ายที่อยู่".into(),
            goals: vec![again],
        };
        let (second, reason) = validate_plan(&input, Era::Buddhist, &[], true).unwrap();
        assert_eq!(second.goals[0].id, first.goals[0].id);
        assert_eq!(reason.as_deref(), Some("ลูกค้าย้ายที่อยู่"));
        assert_eq!(second.goals[0].priority, "medium");
        assert_eq!(second.goals[0].interventions[0].status, "planned");
    }

    #[test]
    fn responsible_people_must_be_on_the_team() {
        let member = Uuid::now_v7();
        let mut g = goal();
        g.interventions[0].responsible_id = Some(Uuid::now_v7().to_string());
        let input = PlanInput {
            goals: vec![g.clone()],
            ..Default::default()
        };
        let e = validate_plan(&input, Era::Buddhist, &[member], false).unwrap_err();
        assert_eq!(e[0].code, "plan.not_on_team");
        g.interventions[0].responsible_id = Some(member.to_string());
        g.interventions[0].provider = String::new();
        let input = PlanInput {
            goals: vec![g],
            ..Default::default()
        };
        assert!(validate_plan(&input, Era::Buddhist, &[member], false).is_ok());
    }

    #[test]
    fn ending_an_intervention_early_needs_a_reason() {
        assert_eq!(
            validate_status_change("ended_early", " ").unwrap_err()[0].field,
            "note"
        );
        assert_eq!(
            validate_status_change("paused", "").unwrap_err()[0].code,
            "plan.status_unknown"
        );
        let (s, note) = validate_status_change("completed", "").unwrap();
        assert_eq!((s.as_str(), note), ("completed", None));
    }

    #[test]
    fn stalled_interventions_are_named() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let mut x = Intervention {
            id: Uuid::nil(),
            method: "training".into(),
            responsible_id: None,
            provider: Some("ศูนย์ฝึกอาชีพ".into()),
            start: d(10, 1),
            end: Some(d(11, 1)),
            frequency: None,
            status: "in_progress".into(),
        };
        assert_eq!(stalled(&x, d(11, 2)), Some("past_end"));
        assert_eq!(stalled(&x, d(10, 20)), None);
        x.status = "planned".into();
        assert_eq!(stalled(&x, d(10, 20)), Some("not_started"));
        x.status = "completed".into();
        assert_eq!(stalled(&x, d(12, 1)), None);
    }

    #[test]
    fn gas_t_scores_match_hand_computation() {
        // Kiresuk & Sherman, rho = 0.3; values computed by hand from the published formula.
        // Equal weights, all at the expected level: T = 50.
        assert_eq!(gas_t_score(&[(1, 0), (1, 0), (1, 0)]), Some(50.0));
        // Equal weights, three goals at +1: 50 + 10*3/sqrt(0.7*3 + 0.3*9) = 63.693.
        let t = gas_t_score(&[(1, 1), (1, 1), (1, 1)]).unwrap();
        assert!((t - 63.6931).abs() < 1e-3, "{t}");
        // Weights 2 and 1 at +2 and -1: 50 + 10*3/sqrt(0.7*5 + 0.3*9) = 62.048.
        let t = gas_t_score(&[(2, 2), (1, -1)]).unwrap();
        assert!((t - 62.0484).abs() < 1e-3, "{t}");
        // One goal at -2: 50 + 10*(-2)/sqrt(0.7 + 0.3) = 30.
        assert_eq!(gas_t_score(&[(1, -2)]), Some(30.0));
        assert_eq!(gas_t_score(&[]), None);
    }
}
