//! The contact log (บันทึกการติดต่อ): every meeting, call and message with or about the client.
//! A correction makes a new version; the earlier text stays readable.

use crate::error::{FieldError, Validation};
use chrono::{DateTime, NaiveTime, Utc};
use karuna_thai::calendar::{parse_date, Era};
use serde::{Deserialize, Serialize};

/// Kinds of contact.
pub const CONTACT_KINDS: [&str; 9] = [
    "home_visit",
    "office_visit",
    "phone_call",
    "video_call",
    "accompaniment_court",
    "accompaniment_hospital",
    "accompaniment_police",
    "message",
    "other",
];

/// Where the information in a note came from.
pub const SOURCES: [&str; 6] = [
    "client_interview",
    "family",
    "home_visit",
    "documents",
    "other_agency",
    "observation",
];

/// The longest note kept (characters).
pub const NOTE_MAX: usize = 20_000;

/// A contact as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ContactInput {
    /// Kind code.
    pub kind: String,
    /// Date in the user's calendar.
    pub date: String,
    /// Time of day, `HH:MM` (Bangkok time); empty means not recorded.
    pub time: String,
    /// Minutes the contact lasted.
    pub duration_minutes: String,
    /// Where (for a home visit, the address).
    pub place: String,
    /// The narrative note.
    pub note: String,
    /// Source codes.
    pub sources: Vec<String>,
    /// Whether a follow-up is needed.
    pub follow_up_needed: bool,
    /// What the follow-up is.
    pub follow_up_note: String,
    /// Persons of the case who took part (ids).
    pub person_ids: Vec<String>,
    /// Staff who took part (account ids).
    pub account_ids: Vec<String>,
}

/// A validated contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidContact {
    /// Kind code.
    pub kind: String,
    /// When it happened (UTC); noon in Bangkok when no time of day was given.
    pub occurred_at: DateTime<Utc>,
    /// A time of day was given (else only the date is known).
    pub time_known: bool,
    /// Duration.
    pub duration_minutes: Option<i64>,
    /// Place.
    pub place: Option<String>,
    /// Note.
    pub note: String,
    /// Sources.
    pub sources: Vec<String>,
    /// Follow-up needed.
    pub follow_up_needed: bool,
    /// Follow-up.
    pub follow_up_note: Option<String>,
}

/// Validates a contact; `now` keeps contacts out of the future.
pub fn validate_contact(
    input: &ContactInput,
    era: Era,
    now: DateTime<Utc>,
) -> Result<ValidContact, Vec<FieldError>> {
    let mut v = Validation::new();
    let kind = input.kind.trim().to_string();
    v.check(
        !CONTACT_KINDS.contains(&kind.as_str()),
        "kind",
        "contact.kind_unknown",
    );
    let time = match input.time.trim() {
        "" => NaiveTime::from_hms_opt(12, 0, 0),
        t => match NaiveTime::parse_from_str(t, "%H:%M") {
            Ok(t) => Some(t),
            Err(_) => {
                v.push(FieldError::new("time", "contact.time_format"));
                None
            }
        },
    };
    let mut occurred_at = None;
    match parse_date(&input.date, era) {
        Ok(d) => {
            if let Some(t) = time {
                // Bangkok is UTC+7 all year.
                let utc = d.date.and_time(t).and_utc() - chrono::Duration::hours(7);
                if utc > now + chrono::Duration::minutes(5) {
                    v.push(FieldError::new("date", "contact.in_future"));
                }
                occurred_at = Some(utc);
            }
        }
        Err(e) => v.push(FieldError::new("date", e.code())),
    }
    let duration_minutes = match input.duration_minutes.trim() {
        "" => None,
        d => match d.parse::<i64>() {
            Ok(m) if (0..=1440).contains(&m) => Some(m),
            _ => {
                v.push(FieldError::new(
                    "duration_minutes",
                    "contact.duration_range",
                ));
                None
            }
        },
    };
    let note = input.note.trim().to_string();
    v.check(note.is_empty(), "note", "required");
    if note.chars().count() > NOTE_MAX {
        v.push(FieldError::new("note", "too_long").arg("max", NOTE_MAX));
    }
    let place = Some(input.place.trim().to_string()).filter(|p| !p.is_empty());
    v.check(
        place.as_ref().is_some_and(|p| p.chars().count() > 500),
        "place",
        "too_long",
    );
    let mut sources = Vec::new();
    for s in &input.sources {
        let s = s.trim();
        if s.is_empty() || sources.iter().any(|x| x == s) {
            continue;
        }
        if SOURCES.contains(&s) {
            sources.push(s.to_string());
        } else {
            v.push(FieldError::new("sources", "contact.source_unknown"));
        }
    }
    let follow_up_note = Some(input.follow_up_note.trim().to_string()).filter(|p| !p.is_empty());
    v.check(
        follow_up_note
            .as_ref()
            .is_some_and(|p| p.chars().count() > 2000),
        "follow_up_note",
        "too_long",
    );
    v.finish()?;
    let occurred_at = occurred_at.ok_or_else(|| vec![FieldError::new("date", "required")])?;
    Ok(ValidContact {
        kind,
        occurred_at,
        time_known: !input.time.trim().is_empty(),
        duration_minutes,
        place,
        note,
        sources,
        follow_up_needed: input.follow_up_needed,
        follow_up_note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_home_visit() {
        let c = ContactInput {
            kind: "home_visit".into(),
            date: "22/11/2569".into(),
            time: "14:30".into(),
            duration_minutes: "90".into(),
            note: "เยี่ยมบ้าน พบมารดาและน้องสาว".into(),
            sources: vec!["home_visit".into(), "family".into(), "family".into()],
            ..Default::default()
        };
        let v = validate_contact(&c, Era::Buddhist, now()).unwrap();
        assert_eq!(v.occurred_at.to_rfc3339(), "2026-11-22T07:30:00+00:00");
        assert_eq!(v.sources, vec!["home_visit", "family"]);
    }

    #[test]
    fn every_problem_is_named() {
        let c = ContactInput {
            kind: "telepathy".into(),
            date: "31/02/2569".into(),
            time: "25:00".into(),
            duration_minutes: "-3".into(),
            sources: vec!["rumour".into()],
            ..Default::default()
        };
        let e = validate_contact(&c, Era::Buddhist, now()).unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "kind",
            "date",
            "time",
            "duration_minutes",
            "note",
            "sources",
        ] {
            assert!(fields.contains(&f), "{f} in {fields:?}");
        }
        let future = ContactInput {
            kind: "phone_call".into(),
            date: "01/01/2570".into(),
            note: "x".into(),
            ..Default::default()
        };
        assert_eq!(
            validate_contact(&future, Era::Buddhist, now()).unwrap_err()[0].code,
            "contact.in_future"
        );
    }
}
