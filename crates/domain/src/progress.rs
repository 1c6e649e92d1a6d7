//! Monitoring: progress entries per goal, as a Goal Attainment Scaling score (−2 … +2) and/or
//! the indicator's value, with the source of the evidence.

use crate::error::{FieldError, Validation};
use chrono::NaiveDate;
use karuna_thai::calendar::{parse_date, Era};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where the evidence of progress came from.
pub const EVIDENCE_SOURCES: [&str; 3] = ["interview", "observation", "document"];

/// A progress entry as submitted.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProgressInput {
    /// The goal (its stable id in the current plan).
    pub goal_id: String,
    /// When measured, in the user's calendar (empty: today).
    pub date: String,
    /// GAS score: −2 much less than expected … 0 expected … +2 much more than expected.
    pub gas: Option<i64>,
    /// The indicator's value.
    pub value: String,
    /// Evidence source code.
    pub source: String,
    /// Note.
    pub note: String,
}

/// A checked progress entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// Goal.
    pub goal_id: Uuid,
    /// When measured.
    pub date: NaiveDate,
    /// GAS score.
    pub gas: Option<i64>,
    /// Indicator value.
    pub value: Option<String>,
    /// Evidence source.
    pub source: String,
    /// Note.
    pub note: Option<String>,
}

/// Checks an entry: a goal of the current plan (`goals`), a GAS score in −2…+2 and/or a value,
/// a known evidence source, a date not in the future.
pub fn validate_progress(
    input: &ProgressInput,
    era: Era,
    goals: &[Uuid],
    today: NaiveDate,
) -> Result<Progress, Vec<FieldError>> {
    let mut v = Validation::new();
    let goal_id = Uuid::parse_str(input.goal_id.trim())
        .ok()
        .filter(|g| goals.contains(g));
    v.check(goal_id.is_none(), "goal_id", "plan.goal_unknown");
    let date = if input.date.trim().is_empty() {
        Some(today)
    } else {
        match parse_date(&input.date, era) {
            Ok(d) if d.date > today => {
                v.push(FieldError::new("date", "progress.in_future"));
                None
            }
            Ok(d) => Some(d.date),
            Err(e) => {
                v.push(FieldError::new("date", e.code()));
                None
            }
        }
    };
    if let Some(g) = input.gas {
        if !(-2..=2).contains(&g) {
            v.push(
                FieldError::new("gas", "out_of_range")
                    .arg("min", -2)
                    .arg("max", 2),
            );
        }
    }
    let value = input.value.trim().to_string();
    v.check(value.chars().count() > 200, "value", "too_long");
    v.check(
        input.gas.is_none() && value.is_empty(),
        "gas",
        "progress.measure_required",
    );
    let source = input.source.trim().to_string();
    if source.is_empty() {
        v.push(FieldError::new("source", "required"));
    } else if !EVIDENCE_SOURCES.contains(&source.as_str()) {
        v.push(FieldError::new("source", "progress.source_unknown"));
    }
    let note = input.note.trim().to_string();
    v.check(note.chars().count() > 5000, "note", "too_long");
    v.finish()?;
    match (goal_id, date) {
        (Some(goal_id), Some(date)) => Ok(Progress {
            goal_id,
            date,
            gas: input.gas,
            value: Some(value).filter(|s| !s.is_empty()),
            source,
            note: Some(note).filter(|s| !s.is_empty()),
        }),
        _ => Err(vec![FieldError::new("goal_id", "plan.goal_unknown")]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_measures_something_about_a_current_goal() {
        let goal = Uuid::now_v7();
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut input = ProgressInput {
            goal_id: goal.to_string(),
            gas: Some(1),
            source: "interview".into(),
            ..Default::default()
        };
        let p = validate_progress(&input, Era::Buddhist, &[goal], today).unwrap();
        assert_eq!((p.gas, p.date), (Some(1), today));
        input.gas = Some(3);
        let e = validate_progress(&input, Era::Buddhist, &[goal], today).unwrap_err();
        assert_eq!(e[0].field, "gas");
        input.gas = None;
        let e = validate_progress(&input, Era::Buddhist, &[goal], today).unwrap_err();
        assert_eq!(e[0].code, "progress.measure_required");
        input.value = "4500".into();
        input.date = "01/12/2569".into();
        let e = validate_progress(&input, Era::Buddhist, &[goal], today).unwrap_err();
        assert_eq!(e[0].field, "date");
        let e = validate_progress(&input, Era::Buddhist, &[], today).unwrap_err();
        assert_eq!(e[0].code, "plan.goal_unknown");
    }
}
