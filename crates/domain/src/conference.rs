//! Case conferences (การประชุมทีมสหวิชาชีพ): a meeting about one case or several (a unit's
//! weekly meeting with an agenda of cases), with its date, place or online link, chair, and
//! attendees — colleagues, and people of other agencies who need no account. Minutes are kept
//! per case: whether the client and the family took part and their views in their own words,
//! the facts presented, the discussion, and the decisions, each with its action items (an
//! owner and a due date each; they become tasks when the chair confirms the minutes). Minutes
//! are versions: a draft, then confirmed by the chair; confirmed minutes change only by a new
//! version with a reason, which the chair confirms again.

use crate::error::{FieldError, Validation};
use crate::task::{validate_assignee, validate_due, validate_priority, Assignee};
use chrono::{NaiveDate, NaiveTime};
use karuna_thai::calendar::{parse_date, Era};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most cases on one agenda.
pub const MAX_CASES: usize = 20;
/// The most attendees of each kind.
pub const MAX_ATTENDEES: usize = 40;
/// The longest free text of the minutes, in characters.
pub const TEXT_MAX: usize = 8000;
/// The most decisions per case, and action items per decision.
pub const MAX_DECISIONS: usize = 20;

/// A person of another agency at the table, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OutsideAttendeeInput {
    /// Name.
    pub name: String,
    /// Agency.
    pub organisation: String,
    /// Role or profession (e.g. พนักงานสอบสวน, พยาบาล).
    pub role: String,
}

/// A conference to schedule, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ConferenceInput {
    /// What it is about.
    pub title: String,
    /// The day, in the user's calendar.
    pub date: String,
    /// The time, `HH:MM` (Bangkok).
    pub time: String,
    /// Where (a room, an office); or an online link, or both.
    pub place: String,
    /// A link to join online (`https://…`).
    pub online_link: String,
    /// The chair: a colleague who may open every case on the agenda.
    pub chair_id: String,
    /// The cases on the agenda, by id or number (at least one).
    pub cases: Vec<String>,
    /// Colleagues attending (each may open at least one case on the agenda).
    pub staff_ids: Vec<String>,
    /// People of other agencies attending.
    pub outside: Vec<OutsideAttendeeInput>,
}

/// A validated schedule (ids checked against the cases by the use case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSchedule {
    /// Title.
    pub title: String,
    /// Day.
    pub date: NaiveDate,
    /// Time (Bangkok).
    pub time: NaiveTime,
    /// Place.
    pub place: Option<String>,
    /// Link.
    pub online_link: Option<String>,
    /// Outside attendees (name, organisation, role).
    pub outside: Vec<(String, String, String)>,
}

/// Checks a conference's own fields; the chair, staff and cases are the use case's.
pub fn validate_schedule(
    input: &ConferenceInput,
    era: Era,
) -> Result<ValidSchedule, Vec<FieldError>> {
    let mut v = Validation::new();
    let title = input.title.trim().to_string();
    v.check(title.is_empty(), "title", "required");
    v.check(title.chars().count() > 200, "title", "too_long");
    let date = if input.date.trim().is_empty() {
        v.push(FieldError::new("date", "required"));
        None
    } else {
        match parse_date(&input.date, era) {
            Ok(d) => Some(d.date),
            Err(e) => {
                v.push(FieldError::new("date", e.code()));
                None
            }
        }
    };
    let time = match input.time.trim() {
        "" => {
            v.push(FieldError::new("time", "required"));
            None
        }
        t => NaiveTime::parse_from_str(t, "%H:%M").ok().or_else(|| {
            v.push(FieldError::new("time", "conference.time_invalid"));
            None
        }),
    };
    let place = v.text("place", &input.place, 300);
    let link = v.text("online_link", &input.online_link, 500);
    if let Some(l) = &link {
        let ok = (l.starts_with("https://") || l.starts_with("http://"))
            && !l.chars().any(|c| c.is_whitespace() || c.is_control());
        v.check(!ok, "online_link", "conference.link_invalid");
    }
    if place.is_none() && link.is_none() {
        v.push(FieldError::new("place", "conference.place_required"));
    }
    v.check(input.chair_id.trim().is_empty(), "chair_id", "required");
    let cases = input.cases.iter().filter(|c| !c.trim().is_empty()).count();
    v.check(cases == 0, "cases", "conference.cases_required");
    v.check(cases > MAX_CASES, "cases", "conference.too_many_cases");
    v.check(
        input.staff_ids.len() > MAX_ATTENDEES || input.outside.len() > MAX_ATTENDEES,
        "outside",
        "conference.too_many_attendees",
    );
    let mut outside = Vec::new();
    for (i, o) in input.outside.iter().enumerate() {
        let name = v.text(&format!("outside[{i}].name"), &o.name, 200);
        let org = v.text(&format!("outside[{i}].organisation"), &o.organisation, 200);
        let role = v.text(&format!("outside[{i}].role"), &o.role, 200);
        match name {
            Some(n) => outside.push((n, org.unwrap_or_default(), role.unwrap_or_default())),
            None if org.is_some() || role.is_some() => {
                v.push(FieldError::new(format!("outside[{i}].name"), "required"))
            }
            None => {}
        }
    }
    v.finish()?;
    match (date, time) {
        (Some(date), Some(time)) => Ok(ValidSchedule {
            title,
            date,
            time,
            place,
            online_link: link,
            outside,
        }),
        _ => Err(vec![FieldError::new("date", "required")]),
    }
}

/// An action item as typed: what, who (a colleague, or a person of another agency), by when.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ActionInput {
    /// What is to be done.
    pub title: String,
    /// The colleague who does it.
    pub assignee_id: String,
    /// Or a person of another agency.
    pub outside_name: String,
    /// Their agency and role.
    pub outside_organisation: String,
    /// By when, in the user's calendar.
    pub due: String,
    /// `low`, `normal` (default), `high` or `urgent`.
    pub priority: String,
}

/// A decision as typed, with its action items.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DecisionInput {
    /// Keep the id of a decision carried over from the previous version.
    pub id: String,
    /// What was decided.
    pub text: String,
    /// What is to be done about it.
    pub actions: Vec<ActionInput>,
}

/// One case's minutes as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MinutesInput {
    /// The latest version number read (0 for the first).
    pub based_on: i64,
    /// The client took part.
    pub client_attended: bool,
    /// Family took part.
    pub family_attended: bool,
    /// The client's views, in their own words.
    pub client_views: String,
    /// The family's views, in their own words.
    pub family_views: String,
    /// The facts presented.
    pub facts: String,
    /// The discussion.
    pub discussion: String,
    /// The decisions.
    pub decisions: Vec<DecisionInput>,
    /// Why confirmed minutes are changed (required then).
    pub reason: String,
}

/// Who does an action item, as kept in the minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Owner {
    /// A colleague (account id).
    Staff {
        /// Account.
        account_id: Uuid,
    },
    /// A person of another agency.
    Outside {
        /// Name.
        name: String,
        /// Agency and role.
        organisation: String,
    },
}

/// An action item of a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ActionItem {
    /// Stable id across versions.
    pub id: Uuid,
    /// What.
    pub title: String,
    /// Who.
    pub owner: Owner,
    /// By when.
    pub due: NaiveDate,
    /// Priority code.
    pub priority: String,
}

/// A decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Decision {
    /// Stable id across versions.
    pub id: Uuid,
    /// What was decided.
    pub text: String,
    /// Its action items.
    pub actions: Vec<ActionItem>,
}

/// One version of a case's minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Minutes {
    /// The client took part.
    pub client_attended: bool,
    /// Family took part.
    pub family_attended: bool,
    /// The client's views.
    pub client_views: String,
    /// The family's views.
    pub family_views: String,
    /// Facts presented.
    pub facts: String,
    /// Discussion.
    pub discussion: String,
    /// Decisions.
    pub decisions: Vec<Decision>,
}

/// An action item whose owner is an account still to be checked against the case.
pub type StaffOwner = (usize, usize, String);

/// Validates a case's minutes against the previous version (whose decision ids, and the ids
/// of action items carried over unchanged, are kept: an action item's id names its task). Returns the minutes and the accounts named as owners, each with its
/// (decision, action) position, for the use case to check. Every action item needs what, an
/// owner and a due date; a due date already past is accepted only when it is unchanged from
/// the previous version.
pub fn validate_minutes(
    input: &MinutesInput,
    previous: Option<&Minutes>,
    era: Era,
    today: NaiveDate,
) -> Result<(Minutes, Vec<StaffOwner>), Vec<FieldError>> {
    let mut v = Validation::new();
    let free = |v: &mut Validation, field: &str, value: &str| {
        let t = value.trim().to_string();
        v.check(t.chars().count() > TEXT_MAX, field, "too_long");
        t
    };
    let client_views = free(&mut v, "client_views", &input.client_views);
    let family_views = free(&mut v, "family_views", &input.family_views);
    let facts = free(&mut v, "facts", &input.facts);
    let discussion = free(&mut v, "discussion", &input.discussion);
    let kept: Vec<&DecisionInput> = input
        .decisions
        .iter()
        .filter(|d| {
            !d.text.trim().is_empty()
                || d.actions.iter().any(|a| {
                    !(a.title.trim().is_empty()
                        && a.assignee_id.trim().is_empty()
                        && a.outside_name.trim().is_empty()
                        && a.due.trim().is_empty())
                })
        })
        .collect();
    v.check(
        kept.len() > MAX_DECISIONS,
        "decisions",
        "conference.too_many_decisions",
    );
    let old_decision = |id: &str| {
        previous.and_then(|p| {
            Uuid::parse_str(id.trim())
                .ok()
                .and_then(|id| p.decisions.iter().find(|d| d.id == id))
        })
    };
    let mut decisions = Vec::new();
    let mut staff = Vec::new();
    for (i, d) in kept.iter().enumerate().take(MAX_DECISIONS) {
        let field = |f: &str| format!("decisions[{i}].{f}");
        let text = d.text.trim().to_string();
        v.check(text.is_empty(), &field("text"), "required");
        v.check(text.chars().count() > 2000, &field("text"), "too_long");
        let old = old_decision(&d.id);
        let mut actions = Vec::new();
        let items: Vec<&ActionInput> = d
            .actions
            .iter()
            .filter(|a| {
                !(a.title.trim().is_empty()
                    && a.assignee_id.trim().is_empty()
                    && a.outside_name.trim().is_empty()
                    && a.due.trim().is_empty())
            })
            .collect();
        v.check(
            items.len() > MAX_DECISIONS,
            &field("actions"),
            "conference.too_many_actions",
        );
        for (j, a) in items.iter().enumerate().take(MAX_DECISIONS) {
            let af = |f: &str| format!("decisions[{i}].actions[{j}].{f}");
            let title = a.title.trim().to_string();
            v.check(title.is_empty(), &af("title"), "required");
            v.check(title.chars().count() > 200, &af("title"), "too_long");
            let mut inner = Validation::new();
            let owner = validate_assignee(
                &mut inner,
                &a.assignee_id,
                &a.outside_name,
                &a.outside_organisation,
            );
            // The previous version's item at the same place keeps its id and task.
            let before = old.and_then(|o| o.actions.get(j));
            let due = match parse_date(&a.due, era) {
                Ok(d) if before.is_some_and(|b| b.due == d.date) => Some(d.date),
                _ => validate_due(&mut inner, &a.due, era, today),
            };
            let priority = validate_priority(&mut inner, &a.priority);
            if let Err(errs) = inner.finish() {
                for e in errs {
                    let name = match e.field.as_str() {
                        "assignee_id" => af("assignee_id"),
                        "outside_name" => af("outside_name"),
                        "outside_organisation" => af("outside_organisation"),
                        "due" => af("due"),
                        _ => af("priority"),
                    };
                    v.push(FieldError { field: name, ..e });
                }
            }
            let owner = match owner {
                Some(Assignee::Account(raw)) => {
                    staff.push((i, j, raw.clone()));
                    Uuid::parse_str(raw.trim())
                        .ok()
                        .map(|account_id| Owner::Staff { account_id })
                }
                Some(Assignee::Outside { name, organisation }) => {
                    Some(Owner::Outside { name, organisation })
                }
                None => None,
            };
            if owner.is_none() && !a.assignee_id.trim().is_empty() {
                v.push(FieldError::new(af("assignee_id"), "task.assignee_unknown"));
            }
            if let (Some(owner), Some(due)) = (owner, due) {
                // Unchanged, it keeps its id (and so its task); changed, it is a new item.
                let same = before.filter(|b| b.title == title && b.owner == owner && b.due == due);
                actions.push(ActionItem {
                    id: same.map(|b| b.id).unwrap_or_else(Uuid::now_v7),
                    title,
                    owner,
                    due,
                    priority: priority.code().to_string(),
                });
            }
        }
        decisions.push(Decision {
            id: old.map(|o| o.id).unwrap_or_else(Uuid::now_v7),
            text,
            actions,
        });
    }
    v.finish()?;
    Ok((
        Minutes {
            client_attended: input.client_attended,
            family_attended: input.family_attended,
            client_views,
            family_views,
            facts,
            discussion,
            decisions,
        },
        staff,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
    }

    fn schedule() -> ConferenceInput {
        ConferenceInput {
            title: "ประชุมทีมสหวิชาชีพ".into(),
            date: "10/12/2569".into(),
            time: "09:30".into(),
            place: "ห้องประชุม 1".into(),
            chair_id: "x".into(),
            cases: vec!["CM-2569-000001".into()],
            ..Default::default()
        }
    }

    fn codes(e: Vec<FieldError>) -> Vec<(String, String)> {
        e.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_conference_has_a_day_a_time_a_place_or_link_a_chair_and_a_case() {
        let s = validate_schedule(&schedule(), Era::Buddhist).unwrap();
        assert_eq!(s.date, NaiveDate::from_ymd_opt(2026, 12, 10).unwrap());
        assert_eq!(s.time, NaiveTime::from_hms_opt(9, 30, 0).unwrap());
        let e = validate_schedule(&ConferenceInput::default(), Era::Buddhist).unwrap_err();
        assert_eq!(
            codes(e),
            vec![
                ("title".into(), "required".into()),
                ("date".into(), "required".into()),
                ("time".into(), "required".into()),
                ("place".into(), "conference.place_required".into()),
                ("chair_id".into(), "required".into()),
                ("cases".into(), "conference.cases_required".into()),
            ]
        );
        let bad = ConferenceInput {
            time: "25:00".into(),
            place: String::new(),
            online_link: "javascript:alert(1)".into(),
            outside: vec![OutsideAttendeeInput {
                organisation: "สภ.เมือง".into(),
                ..Default::default()
            }],
            ..schedule()
        };
        assert_eq!(
            codes(validate_schedule(&bad, Era::Buddhist).unwrap_err()),
            vec![
                ("time".into(), "conference.time_invalid".into()),
                ("online_link".into(), "conference.link_invalid".into()),
                ("outside[0].name".into(), "required".into()),
            ]
        );
    }

    fn minutes() -> MinutesInput {
        MinutesInput {
            client_views: "อยากกลับไปเรียน".into(),
            decisions: vec![DecisionInput {
                text: "ส่งต่อบ้านพักเด็ก".into(),
                actions: vec![ActionInput {
                    title: "ประสานบ้านพัก".into(),
                    assignee_id: Uuid::nil().to_string(),
                    due: "12/12/2569".into(),
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn every_action_item_has_what_who_and_when() {
        let (m, staff) = validate_minutes(&minutes(), None, Era::Buddhist, today()).unwrap();
        assert_eq!(m.decisions.len(), 1);
        assert_eq!(staff, vec![(0, 0, Uuid::nil().to_string())]);
        let mut bad = minutes();
        bad.decisions[0].actions[0].assignee_id = String::new();
        bad.decisions[0].actions[0].due = String::new();
        assert_eq!(
            codes(validate_minutes(&bad, None, Era::Buddhist, today()).unwrap_err()),
            vec![
                (
                    "decisions[0].actions[0].assignee_id".into(),
                    "task.assignee_required".into()
                ),
                ("decisions[0].actions[0].due".into(), "required".into()),
            ]
        );
        // Blank rows are ignored; a decision needs its text.
        let mut blank = minutes();
        blank.decisions.push(DecisionInput::default());
        blank.decisions[0].text = " ".into();
        assert_eq!(
            codes(validate_minutes(&blank, None, Era::Buddhist, today()).unwrap_err()),
            vec![("decisions[0].text".into(), "required".into())]
        );
    }

    #[test]
    fn ids_carry_over_while_the_item_is_unchanged() {
        let (first, _) = validate_minutes(&minutes(), None, Era::Buddhist, today()).unwrap();
        let mut again = minutes();
        again.decisions[0].id = first.decisions[0].id.to_string();
        let (second, _) = validate_minutes(&again, Some(&first), Era::Buddhist, today()).unwrap();
        assert_eq!(second.decisions[0].id, first.decisions[0].id);
        assert_eq!(
            second.decisions[0].actions[0].id,
            first.decisions[0].actions[0].id
        );
        again.decisions[0].actions[0].title = "ประสานบ้านพักอีกแห่ง".into();
        let (third, _) = validate_minutes(&again, Some(&first), Era::Buddhist, today()).unwrap();
        assert_ne!(
            third.decisions[0].actions[0].id, first.decisions[0].actions[0].id,
            "a changed item is a new one (a new task)"
        );
    }
}
