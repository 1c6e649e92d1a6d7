//! A cases file's row: a case opened for a client already on record, found by one of her
//! document numbers (import the persons first). The cells are checked by the intake form's
//! rules — referral source, presenting problem, case types of the organisation, consent or a
//! lawful basis — and the codes may be written as the labels the UI shows. The case may keep
//! the number an earlier system gave it, so that the earlier system's contacts can name it.

use super::columns::Mapping;
use super::contacts::{yes_no, Vocabulary};
use super::persons::date_text;
use crate::intake::{check_consent, ConsentInput};
use chrono::NaiveDate;
use karuna_domain::case::{Urgency, REFERRAL_SOURCES};
use karuna_domain::case_type::{check_case_types, CaseType};
use karuna_domain::FieldError;
use karuna_thai::calendar::{parse_date, Era};

/// A valid cases row, before its client and manager are looked up.
#[derive(Debug, Clone)]
pub struct CaseRow {
    /// The client's document number, as stored (a national ID as its 13 digits).
    pub client_number: String,
    /// The earlier system's number.
    pub legacy_number: Option<String>,
    /// Case type codes.
    pub case_types: Vec<String>,
    /// Referral source code.
    pub referral_source: String,
    /// Who referred.
    pub referral_note: Option<String>,
    /// What brought the client.
    pub presenting_problem: String,
    /// Urgency (routine when the cell is empty).
    pub urgency: Urgency,
    /// Sensitive case.
    pub sensitive: bool,
    /// The day the case was opened (the import's day when the cell is empty).
    pub opened_on: NaiveDate,
    /// The case manager's username (the importer when empty).
    pub manager: Option<String>,
    /// Consent state code.
    pub consent_status: Option<String>,
    /// Lawful basis code.
    pub lawful_basis: Option<String>,
    /// How consent was given.
    pub consent_note: Option<String>,
}

/// A document number as identity documents store it: a national ID (dashes and spaces
/// allowed) as its 13 digits, anything else trimmed.
pub fn document_number(cell: &str) -> String {
    let t = cell.trim();
    let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    let only_separators = t
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == ' ');
    if digits.len() == 13 && only_separators {
        digits
    } else {
        t.to_string()
    }
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Validates one row; errors carry the column key they belong to.
pub fn validate_row(
    m: &Mapping,
    cells: &[String],
    vocabulary: &Vocabulary,
    types: &[CaseType],
    era: Era,
    today: NaiveDate,
) -> Result<CaseRow, Vec<(String, FieldError)>> {
    let get = |k: &str| m.get(cells, k).to_string();
    let mut errors: Vec<(String, FieldError)> = Vec::new();
    let mut push = |column: &str, code: &str| {
        errors.push((column.to_string(), FieldError::new(column, code)));
    };

    let client_number = document_number(&get("client_id_number"));
    if client_number.is_empty() {
        push("client_id_number", "required");
    }
    // An optional text cell of at most `max` characters.
    let mut optional = |key: &str, max: usize| {
        let v = opt(&get(key));
        if v.as_ref().is_some_and(|v| v.chars().count() > max) {
            push(key, "too_long");
        }
        v
    };
    let legacy_number = optional("legacy_number", 100);
    let referral_note = optional("referral_note", 2000);

    let case_types: Vec<String> = get("case_types")
        .split([',', ';', '\n'])
        .map(|s| vocabulary.code("case_types", s))
        .filter(|s| !s.is_empty())
        .collect();
    let mut type_errors = Vec::new();
    check_case_types(&case_types, types, &[], &mut type_errors);
    for e in type_errors {
        push("case_types", &e.code);
    }

    let referral_source = vocabulary.code("referral_source", &get("referral_source"));
    if referral_source.is_empty() {
        push("referral_source", "required");
    } else if !REFERRAL_SOURCES.contains(&referral_source.as_str()) {
        push("referral_source", "case.referral_unknown");
    }
    let presenting_problem = get("presenting_problem").trim().to_string();
    if presenting_problem.is_empty() {
        push("presenting_problem", "required");
    } else if presenting_problem.chars().count() > 20_000 {
        push("presenting_problem", "too_long");
    }

    let urgency_cell = vocabulary.code("urgency", &get("urgency"));
    let urgency = if urgency_cell.is_empty() {
        Urgency::Routine
    } else {
        Urgency::from_code(&urgency_cell).unwrap_or_else(|| {
            push("urgency", "import.urgency_unknown");
            Urgency::Routine
        })
    };
    let sensitive = yes_no(&get("sensitive")).unwrap_or_else(|| {
        push("sensitive", "import.yes_no");
        false
    });

    let opened_cell = date_text(&get("opened_on"));
    let opened_on = if opened_cell.is_empty() {
        today
    } else {
        match parse_date(&opened_cell, era) {
            Ok(d) if d.date > today => {
                push("opened_on", "import.date_in_future");
                today
            }
            Ok(d) => d.date,
            Err(e) => {
                push("opened_on", e.code());
                today
            }
        }
    };
    let manager = opt(&get("manager"));

    let consent = ConsentInput {
        status: vocabulary.code("consent", &get("consent")),
        lawful_basis: vocabulary.code("lawful_basis", &get("lawful_basis")),
        evidence_note: get("consent_note").trim().to_string(),
    };
    let mut consent_errors = Vec::new();
    let checked = check_consent(&consent, &mut consent_errors);
    for e in consent_errors {
        let column = if e.field == "consent.lawful_basis" {
            "lawful_basis"
        } else {
            "consent"
        };
        push(column, &e.code);
    }
    if consent.evidence_note.chars().count() > 2000 {
        push("consent_note", "too_long");
    }

    match checked {
        Some((consent_status, lawful_basis)) if errors.is_empty() => Ok(CaseRow {
            client_number,
            legacy_number,
            case_types,
            referral_source,
            referral_note,
            presenting_problem,
            urgency,
            sensitive,
            opened_on,
            manager,
            consent_status,
            lawful_basis,
            consent_note: opt(&consent.evidence_note),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::columns::{CASE_COLUMNS, CASE_REQUIRED};
    use karuna_domain::case_type::effective;

    fn mapping(h: &[&str]) -> Mapping {
        let h: Vec<String> = h.iter().map(|s| s.to_string()).collect();
        Mapping::new(&h, CASE_COLUMNS, &[], CASE_REQUIRED).unwrap()
    }

    fn row(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn thai_headers_labels_and_buddhist_dates_are_read() {
        let mut v = Vocabulary::default();
        v.add("case_types", "คุ้มครองเด็ก", "child_protection");
        v.add("referral_source", "โรงเรียน", "school");
        v.add("urgency", "เร่งด่วน", "urgent");
        v.add("consent", "ยินยอม", "granted");
        let m = mapping(&[
            "เลขประจำตัวประชาชน",
            "เลขที่เดิม",
            "ประเภทรายกรณี",
            "แหล่งที่ส่งต่อ",
            "ปัญหาที่นำมา",
            "ความเร่งด่วน",
            "ข้อมูลอ่อนไหว",
            "วันที่เปิดรายกรณี",
            "ความยินยอม",
        ]);
        let r = validate_row(
            &m,
            &row(&[
                "1-1037-02345-67-1",
                " OLD/2560/17 ",
                "คุ้มครองเด็ก, other",
                "โรงเรียน",
                "เด็กไม่มาเรียน",
                "เร่งด่วน",
                "ใช่",
                "2560-06-01",
                "ยินยอม",
            ]),
            &v,
            &effective(Vec::new()),
            Era::Buddhist,
            today(),
        )
        .unwrap();
        assert_eq!(r.client_number, "1103702345671");
        assert_eq!(r.legacy_number.as_deref(), Some("OLD/2560/17"));
        assert_eq!(r.case_types, vec!["child_protection", "other"]);
        assert_eq!(r.referral_source, "school");
        assert_eq!(r.urgency, Urgency::Urgent);
        assert!(r.sensitive);
        assert_eq!(r.opened_on, NaiveDate::from_ymd_opt(2017, 6, 1).unwrap());
        assert_eq!(r.consent_status.as_deref(), Some("granted"));
    }

    #[test]
    fn every_problem_of_a_row_is_reported_on_its_column() {
        let m = mapping(&[
            "client_id_number",
            "case_types",
            "referral_source",
            "presenting_problem",
            "urgency",
            "sensitive",
            "opened_on",
            "lawful_basis",
        ]);
        let e = validate_row(
            &m,
            &row(&[
                "",
                "space_travel",
                "radio",
                "",
                "soon",
                "maybe",
                "01/01/2600",
                "whim",
            ]),
            &Vocabulary::default(),
            &effective(Vec::new()),
            Era::Buddhist,
            today(),
        )
        .unwrap_err();
        let cols: Vec<&str> = e.iter().map(|(c, _)| c.as_str()).collect();
        for c in [
            "client_id_number",
            "case_types",
            "referral_source",
            "presenting_problem",
            "urgency",
            "sensitive",
            "opened_on",
            "lawful_basis",
        ] {
            assert!(cols.contains(&c), "{c} missing from {e:?}");
        }
    }

    #[test]
    fn a_row_without_consent_or_a_lawful_basis_is_refused() {
        let m = mapping(&[
            "client_id_number",
            "case_types",
            "referral_source",
            "presenting_problem",
        ]);
        let e = validate_row(
            &m,
            &row(&["1103702345671", "other", "self", "ขอความช่วยเหลือ"]),
            &Vocabulary::default(),
            &effective(Vec::new()),
            Era::Buddhist,
            today(),
        )
        .unwrap_err();
        assert_eq!(e[0].0, "consent");
        assert_eq!(e[0].1.code, "consent.required");
    }
}
