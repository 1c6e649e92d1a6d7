//! Supervision sessions (การนิเทศงาน): a supervisor meets a worker of her unit — the caseload
//! reviewed, the cases discussed, the actions agreed, the worker's wellbeing and training
//! needs. Visible to the supervisor who wrote it, the worker, and the supervisors of the
//! worker's unit only.

use crate::error::{FieldError, Validation};
use chrono::NaiveDate;
use karuna_thai::calendar::{parse_date, Era};
use serde::{Deserialize, Serialize};

/// The longest text of a session, in characters.
pub const TEXT_MAX: usize = 8000;

/// A session as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SupervisionInput {
    /// The worker (account id), of the supervisor's unit.
    pub worker_id: String,
    /// The day it was held, in the user's calendar (not in the future).
    pub held_on: String,
    /// The caseload was reviewed.
    pub caseload_reviewed: bool,
    /// The cases discussed (numbers, free text).
    pub cases_discussed: String,
    /// The actions agreed.
    pub agreed_actions: String,
    /// The worker's wellbeing.
    pub wellbeing: String,
    /// Training needs.
    pub training_needs: String,
}

/// A session that passed validation (the worker is checked by the use case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSession {
    /// When.
    pub held_on: NaiveDate,
    /// Cases discussed.
    pub cases_discussed: String,
    /// Actions agreed.
    pub agreed_actions: String,
    /// Wellbeing.
    pub wellbeing: String,
    /// Training needs.
    pub training_needs: String,
}

/// Checks a session: a worker, a day not after `today`, at most [`TEXT_MAX`] characters per
/// text, and something recorded (the caseload reviewed or one of the texts).
pub fn validate_session(
    input: &SupervisionInput,
    era: Era,
    today: NaiveDate,
) -> Result<ValidSession, Vec<FieldError>> {
    let mut v = Validation::new();
    v.check(input.worker_id.trim().is_empty(), "worker_id", "required");
    let held_on = if input.held_on.trim().is_empty() {
        v.push(FieldError::new("held_on", "required"));
        None
    } else {
        match parse_date(&input.held_on, era) {
            Ok(d) if d.date > today => {
                v.push(FieldError::new("held_on", "supervision.date_future"));
                None
            }
            Ok(d) => Some(d.date),
            Err(e) => {
                v.push(FieldError::new("held_on", e.code()));
                None
            }
        }
    };
    let mut text = |field: &str, value: &str| {
        let t = value.trim().to_string();
        v.check(t.chars().count() > TEXT_MAX, field, "too_long");
        t
    };
    let cases_discussed = text("cases_discussed", &input.cases_discussed);
    let agreed_actions = text("agreed_actions", &input.agreed_actions);
    let wellbeing = text("wellbeing", &input.wellbeing);
    let training_needs = text("training_needs", &input.training_needs);
    let empty = !input.caseload_reviewed
        && [
            &cases_discussed,
            &agreed_actions,
            &wellbeing,
            &training_needs,
        ]
        .iter()
        .all(|t| t.is_empty());
    v.check(empty, "agreed_actions", "supervision.empty");
    v.finish()?;
    let held_on = held_on.ok_or_else(|| vec![FieldError::new("held_on", "required")])?;
    Ok(ValidSession {
        held_on,
        cases_discussed,
        agreed_actions,
        wellbeing,
        training_needs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_names_the_worker_a_past_day_and_what_was_agreed() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let ok = SupervisionInput {
            worker_id: "w".into(),
            held_on: "4/12/2569".into(),
            agreed_actions: "เยี่ยมบ้านร่วมกันสัปดาห์หน้า".into(),
            ..Default::default()
        };
        assert_eq!(
            validate_session(&ok, Era::Buddhist, today).unwrap().held_on,
            NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
        );
        let e = validate_session(&SupervisionInput::default(), Era::Buddhist, today).unwrap_err();
        let codes: Vec<_> = e
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("worker_id", "required"),
                ("held_on", "required"),
                ("agreed_actions", "supervision.empty")
            ]
        );
        let future = SupervisionInput {
            held_on: "6/12/2569".into(),
            ..ok
        };
        assert_eq!(
            validate_session(&future, Era::Buddhist, today).unwrap_err()[0].code,
            "supervision.date_future"
        );
    }
}
