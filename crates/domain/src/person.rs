//! Persons (clients, family and household members, other involved people): the rules for their
//! names, birth dates, phones and identity documents. Input arrives as typed text; the result is
//! normalised values or every field's problem at once.

use crate::error::{FieldError, Validation};
use chrono::NaiveDate;
use karuna_thai::calendar::{parse_date, parse_year, Era};
use karuna_thai::names::prefix_by_code;
use karuna_thai::national_id::{validate_document, IdDocumentKind};
use karuna_thai::phone::normalize_phone;
use serde::{Deserialize, Serialize};

/// Sex as recorded (codes).
pub const SEXES: [&str; 4] = ["female", "male", "other", "unknown"];

/// How a person is related to the client of a case.
pub const RELATIONSHIPS: [&str; 10] = [
    "client",
    "household_member",
    "parent",
    "guardian",
    "spouse",
    "child",
    "sibling",
    "relative",
    "alleged_perpetrator",
    "other",
];

/// A person as typed in a form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PersonInput {
    /// Prefix code (see `karuna_thai::names`), or empty.
    pub prefix: String,
    /// First name in Thai script.
    pub first_name_th: String,
    /// Middle name in Thai script.
    pub middle_name_th: String,
    /// Last name in Thai script.
    pub last_name_th: String,
    /// First name in Latin script (as in a passport).
    pub first_name_latin: String,
    /// Middle name in Latin script.
    pub middle_name_latin: String,
    /// Last name in Latin script.
    pub last_name_latin: String,
    /// Nickname (ชื่อเล่น).
    pub nickname: String,
    /// Sex code.
    pub sex: String,
    /// Exact date of birth, in the user's calendar (for example 14/02/2540).
    pub birth_date: String,
    /// Estimated year of birth when the date is unknown, in the user's calendar.
    pub birth_year: String,
    /// Nationality (country name or code).
    pub nationality: String,
    /// Ethnicity (sensitive: shown only to those who may see the client's identity).
    pub ethnicity: String,
    /// Languages spoken, comma-separated.
    pub languages: String,
    /// Phone numbers, one per entry, in any Thai format.
    pub phones: Vec<String>,
}

/// A person after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPerson {
    /// Prefix code.
    pub prefix: Option<String>,
    /// Names (trimmed, inner spaces collapsed); empty ones are `None`.
    pub first_name_th: Option<String>,
    /// Middle name (Thai).
    pub middle_name_th: Option<String>,
    /// Last name (Thai).
    pub last_name_th: Option<String>,
    /// First name (Latin).
    pub first_name_latin: Option<String>,
    /// Middle name (Latin).
    pub middle_name_latin: Option<String>,
    /// Last name (Latin).
    pub last_name_latin: Option<String>,
    /// Nickname.
    pub nickname: Option<String>,
    /// Sex code.
    pub sex: String,
    /// Exact birth date.
    pub birth_date: Option<NaiveDate>,
    /// Year of birth (Common era); from the date, or estimated.
    pub birth_year: Option<i32>,
    /// True when only an estimated year is known.
    pub birth_estimated: bool,
    /// Nationality.
    pub nationality: Option<String>,
    /// Ethnicity.
    pub ethnicity: Option<String>,
    /// Languages spoken.
    pub languages: Vec<String>,
    /// Phones in E.164.
    pub phones: Vec<String>,
    /// Things the user should know that are not errors (a year read in the other era).
    pub notices: Vec<FieldError>,
}

fn text(v: &mut Validation, field: &str, input: &str, max: usize) -> Option<String> {
    let t = karuna_thai::names::normalize_name_spacing(input);
    if t.chars().count() > max {
        v.push(FieldError::new(field, "too_long").arg("max", max));
    }
    Some(t).filter(|t| !t.is_empty())
}

fn latin(v: &mut Validation, field: &str, input: &str) -> Option<String> {
    let t = text(v, field, input, 100)?;
    if !t
        .chars()
        .all(|c| c.is_ascii_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.'))
    {
        v.push(FieldError::new(field, "person.latin_only"));
    }
    Some(t)
}

fn understood_notice(field: &str, understood: Era, expected: Era) -> Option<FieldError> {
    (understood != expected)
        .then(|| FieldError::new(field, format!("date.understood_{}", understood.code())))
}

/// Validates a person; `era` is the calendar the user types years in, `today` bounds birth dates.
pub fn validate_person(
    input: &PersonInput,
    era: Era,
    today: NaiveDate,
) -> Result<ValidPerson, Vec<FieldError>> {
    let mut v = Validation::new();
    let mut notices = Vec::new();
    let prefix = Some(input.prefix.trim().to_string()).filter(|p| !p.is_empty());
    if let Some(p) = &prefix {
        v.check(
            prefix_by_code(p).is_none(),
            "prefix",
            "person.prefix_unknown",
        );
    }
    let first_name_th = text(&mut v, "first_name_th", &input.first_name_th, 100);
    let middle_name_th = text(&mut v, "middle_name_th", &input.middle_name_th, 100);
    let last_name_th = text(&mut v, "last_name_th", &input.last_name_th, 100);
    let first_name_latin = latin(&mut v, "first_name_latin", &input.first_name_latin);
    let middle_name_latin = latin(&mut v, "middle_name_latin", &input.middle_name_latin);
    let last_name_latin = latin(&mut v, "last_name_latin", &input.last_name_latin);
    let nickname = text(&mut v, "nickname", &input.nickname, 50);
    if first_name_th.is_none() && first_name_latin.is_none() && nickname.is_none() {
        v.push(FieldError::new("first_name_th", "person.name_required"));
    }
    let sex = match input.sex.trim() {
        "" => "unknown".to_string(),
        s if SEXES.contains(&s) => s.to_string(),
        _ => {
            v.push(FieldError::new("sex", "person.sex_unknown"));
            String::new()
        }
    };
    let (mut birth_date, mut birth_year, mut birth_estimated) = (None, None, false);
    if !input.birth_date.trim().is_empty() {
        match parse_date(&input.birth_date, era) {
            Ok(d) if d.date > today => v.push(FieldError::new("birth_date", "person.birth_future")),
            Ok(d) if d.date < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(d.date) => {
                v.push(FieldError::new("birth_date", "person.birth_too_old"))
            }
            Ok(d) => {
                notices.extend(understood_notice("birth_date", d.understood, era));
                birth_year = Some(chrono::Datelike::year(&d.date));
                birth_date = Some(d.date);
            }
            Err(e) => v.push(FieldError::new("birth_date", e.code())),
        }
    } else if !input.birth_year.trim().is_empty() {
        match parse_year(&input.birth_year, era) {
            Ok((y, _)) if y > chrono::Datelike::year(&today) => {
                v.push(FieldError::new("birth_year", "person.birth_future"))
            }
            Ok((y, _)) if y < 1900 => v.push(FieldError::new("birth_year", "person.birth_too_old")),
            Ok((y, understood)) => {
                notices.extend(understood_notice("birth_year", understood, era));
                birth_year = Some(y);
                birth_estimated = true;
            }
            Err(e) => v.push(FieldError::new("birth_year", e.code())),
        }
    }
    let nationality = text(&mut v, "nationality", &input.nationality, 60);
    let ethnicity = text(&mut v, "ethnicity", &input.ethnicity, 60);
    let languages: Vec<String> = input
        .languages
        .split([',', '،', '、'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    v.check(
        languages.len() > 10 || languages.iter().any(|l| l.chars().count() > 40),
        "languages",
        "too_long",
    );
    let mut phones = Vec::new();
    for (i, p) in input
        .phones
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.trim().is_empty())
    {
        match normalize_phone(p) {
            Ok(e164) if !phones.contains(&e164) => phones.push(e164),
            Ok(_) => {}
            Err(e) => v.push(FieldError::new(format!("phones[{i}]"), e.code())),
        }
    }
    v.finish()?;
    Ok(ValidPerson {
        prefix,
        first_name_th,
        middle_name_th,
        last_name_th,
        first_name_latin,
        middle_name_latin,
        last_name_latin,
        nickname,
        sex,
        birth_date,
        birth_year,
        birth_estimated,
        nationality,
        ethnicity,
        languages,
        phones,
        notices,
    })
}

/// An identity document as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DocumentInput {
    /// Kind code (`thai_national_id`, `non_thai_id`, `passport`, `pink_card`, `work_permit`,
    /// `certificate_of_identity`, `none`).
    pub kind: String,
    /// The number as typed (spaces and dashes allowed).
    pub number: String,
    /// Issuing country, required for passports.
    pub country: String,
    /// Why a number that fails its check is saved anyway (audited).
    pub override_reason: String,
}

/// A validated identity document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDocument {
    /// The kind.
    pub kind: IdDocumentKind,
    /// The number, normalised (digits only for 13-digit numbers); empty for `none`.
    pub number: String,
    /// Issuing country.
    pub country: Option<String>,
    /// The reason a failed check was overridden.
    pub override_reason: Option<String>,
    /// The check that was overridden (its error code).
    pub overridden_check: Option<String>,
}

/// Validates a document; `field` prefixes error fields (for example `documents[0]`).
pub fn validate_document_input(
    field: &str,
    input: &DocumentInput,
) -> Result<ValidDocument, Vec<FieldError>> {
    let f = |name: &str| format!("{field}.{name}");
    let Some(kind) = IdDocumentKind::from_code(input.kind.trim()) else {
        return Err(vec![FieldError::new(f("kind"), "document.kind_unknown")]);
    };
    let country = Some(input.country.trim().to_string()).filter(|c| !c.is_empty());
    let reason = Some(input.override_reason.trim().to_string()).filter(|r| !r.is_empty());
    let mut v = Validation::new();
    if kind == IdDocumentKind::Passport && country.is_none() {
        v.push(FieldError::new(f("country"), "document.country_required"));
    }
    if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        v.push(FieldError::new(f("override_reason"), "too_long"));
    }
    let (number, overridden_check) = match validate_document(kind, &input.number) {
        Ok(n) => (n, None),
        Err(e) if e.is_overridable() && reason.is_some() => {
            let digits: String = input
                .number
                .chars()
                .filter(|c| !matches!(c, ' ' | '-'))
                .collect();
            (digits, Some(e.code().to_string()))
        }
        Err(e) => {
            let mut err = FieldError::new(f("number"), e.code());
            if e.is_overridable() {
                err = err.arg("overridable", "yes");
            }
            v.push(err);
            (String::new(), None)
        }
    };
    v.finish()?;
    Ok(ValidDocument {
        kind,
        number,
        country,
        override_reason: overridden_check.as_ref().and(reason),
        overridden_check,
    })
}

/// The name to show: prefix (short form), first and last name, in Thai script when there is one.
pub fn display_name(
    prefix_th: Option<&str>,
    first_th: Option<&str>,
    last_th: Option<&str>,
    first_latin: Option<&str>,
    last_latin: Option<&str>,
    nickname: Option<&str>,
) -> String {
    let (first, last) = match first_th {
        Some(f) => (Some(f), last_th),
        None => (first_latin, last_latin),
    };
    let mut out = String::new();
    if let (Some(p), Some(_)) = (prefix_th, first_th) {
        out.push_str(p);
    }
    if let Some(f) = first {
        out.push_str(f);
    }
    if let Some(l) = last {
        out.push(' ');
        out.push_str(l);
    }
    if out.is_empty() {
        out = nickname.unwrap_or("—").to_string();
    } else if let Some(n) = nickname {
        out.push_str(&format!(" ({n})"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn base() -> PersonInput {
        PersonInput {
            prefix: "miss".into(),
            first_name_th: "มาลี".into(),
            last_name_th: "ใจดี".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_plain_person_is_valid() {
        let mut p = base();
        p.prefix = karuna_thai::names::prefixes()[0].code.into();
        p.birth_date = "14/02/2540".into();
        p.phones = vec!["081-234-5678".into(), "+66 81 234 5678".into()];
        let v = validate_person(&p, Era::Buddhist, today()).unwrap();
        assert_eq!(v.birth_date, NaiveDate::from_ymd_opt(1997, 2, 14));
        assert_eq!(v.phones, vec!["+66812345678".to_string()]);
        assert!(v.notices.is_empty());
        assert_eq!(v.sex, "unknown");
    }

    #[test]
    fn bad_dates_are_named() {
        let mut p = base();
        p.prefix.clear();
        p.birth_date = "31/02/2569".into();
        let e = validate_person(&p, Era::Buddhist, today()).unwrap_err();
        assert_eq!(e[0].field, "birth_date");
        assert!(e[0].code.starts_with("thai.date."));
        p.birth_date = "01/01/2570".into();
        assert_eq!(
            validate_person(&p, Era::Buddhist, today()).unwrap_err()[0].code,
            "person.birth_future"
        );
    }

    #[test]
    fn a_year_in_the_other_era_is_understood_and_said() {
        let mut p = base();
        p.prefix.clear();
        p.birth_year = "1990".into();
        let v = validate_person(&p, Era::Buddhist, today()).unwrap();
        assert_eq!(v.birth_year, Some(1990));
        assert!(v.birth_estimated);
        assert_eq!(v.notices[0].code, "date.understood_ce");
    }

    #[test]
    fn names_phones_and_codes_are_checked() {
        let p = PersonInput {
            first_name_latin: "Mali ใจ".into(),
            sex: "x".into(),
            phones: vec!["12".into()],
            ..Default::default()
        };
        let e = validate_person(&p, Era::Buddhist, today()).unwrap_err();
        let codes: Vec<_> = e
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert!(codes.contains(&("first_name_latin", "person.latin_only")));
        assert!(codes.contains(&("sex", "person.sex_unknown")));
        assert!(codes
            .iter()
            .any(|(f, c)| *f == "phones[0]" && c.starts_with("thai.phone.")));
        let none = PersonInput::default();
        assert_eq!(
            validate_person(&none, Era::Buddhist, today()).unwrap_err()[0].code,
            "person.name_required"
        );
    }

    #[test]
    fn a_failed_check_digit_needs_an_override_reason() {
        let good = DocumentInput {
            kind: "thai_national_id".into(),
            number: "1-1037-00123-45-8".into(),
            ..Default::default()
        };
        assert_eq!(
            validate_document_input("doc", &good).unwrap().number,
            "1103700123458"
        );
        let bad = DocumentInput {
            kind: "thai_national_id".into(),
            number: "1103700123459".into(),
            ..Default::default()
        };
        let e = validate_document_input("doc", &bad).unwrap_err();
        assert_eq!(
            (e[0].field.as_str(), e[0].code.as_str()),
            ("doc.number", "thai.id.checksum")
        );
        let overridden = DocumentInput {
            override_reason: "เลขตามสำเนาทะเบียนบ้าน".into(),
            ..bad
        };
        let d = validate_document_input("doc", &overridden).unwrap();
        assert_eq!(d.number, "1103700123459");
        assert_eq!(d.overridden_check.as_deref(), Some("thai.id.checksum"));
        assert!(d.override_reason.is_some());
        let passport = DocumentInput {
            kind: "passport".into(),
            number: "MA1234567".into(),
            ..Default::default()
        };
        assert_eq!(
            validate_document_input("doc", &passport).unwrap_err()[0].code,
            "document.country_required"
        );
    }

    #[test]
    fn display_names() {
        assert_eq!(
            display_name(
                Some("น.ส."),
                Some("มาลี"),
                Some("ใจดี"),
                None,
                None,
                Some("แดง")
            ),
            "น.ส.มาลี ใจดี (แดง)"
        );
        assert_eq!(
            display_name(None, None, None, Some("Aung"), None, None),
            "Aung"
        );
        assert_eq!(
            display_name(None, None, None, None, None, Some("น้อย")),
            "น้อย"
        );
    }
}
