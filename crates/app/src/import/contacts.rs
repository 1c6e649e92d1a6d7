//! A contacts file's row: a contact recorded on an existing case, named by its case number.
//! The cells become the same `ContactInput` the contact form sends and are validated by the
//! same `validate_contact`; kinds and sources may be written as codes or as the labels the UI
//! shows in Thai or English (the caller passes those labels, from the message catalogue).

use super::columns::Mapping;
use super::persons::date_text;
use chrono::{DateTime, Utc};
use karuna_domain::contact::{validate_contact, ContactInput, ValidContact};
use karuna_domain::FieldError;
use karuna_thai::calendar::Era;
use std::collections::HashMap;

/// UI labels (any language, compared without case or surrounding space) of codes, per field
/// (`kind`, `sources`).
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    labels: HashMap<(&'static str, String), String>,
}

impl Vocabulary {
    /// Accepts `label` for `code` in `field`.
    pub fn add(&mut self, field: &'static str, label: &str, code: &str) {
        self.labels
            .insert((field, label.trim().to_lowercase()), code.to_string());
    }

    /// The code a cell means: the label's code, or the cell itself.
    pub fn code(&self, field: &'static str, cell: &str) -> String {
        let t = cell.trim();
        self.labels
            .get(&(field, t.to_lowercase()))
            .cloned()
            .unwrap_or_else(|| t.to_string())
    }
}

/// A valid contacts row, before its case is looked up.
#[derive(Debug, Clone)]
pub struct ContactRow {
    /// The case number as written.
    pub case_number: String,
    /// The contact.
    pub contact: ValidContact,
}

/// Yes/no cells: `1`, `yes`, `true`, `ใช่`, `มี`, `ต้องติดตาม` are yes; empty and the
/// opposites are no; anything else is an error.
pub(crate) fn yes_no(cell: &str) -> Option<bool> {
    match cell.trim().to_lowercase().as_str() {
        "" | "0" | "no" | "false" | "n" | "ไม่" | "ไม่ใช่" | "ไม่มี" | "ไม่ต้อง" => {
            Some(false)
        }
        "1" | "yes" | "true" | "y" | "ใช่" | "มี" | "ต้องติดตาม" => {
            Some(true)
        }
        _ => None,
    }
}

/// Validates one row; errors carry the column key they belong to.
pub fn validate_row(
    m: &Mapping,
    cells: &[String],
    vocabulary: &Vocabulary,
    era: Era,
    now: DateTime<Utc>,
) -> Result<ContactRow, Vec<(String, FieldError)>> {
    let get = |k: &str| m.get(cells, k).to_string();
    let mut errors: Vec<(String, FieldError)> = Vec::new();
    let case_number = get("case_number").trim().to_string();
    if case_number.is_empty() {
        errors.push((
            "case_number".into(),
            FieldError::new("case_number", "required"),
        ));
    }
    let follow_up_needed = yes_no(&get("follow_up_needed")).unwrap_or_else(|| {
        errors.push((
            "follow_up_needed".into(),
            FieldError::new("follow_up_needed", "import.yes_no"),
        ));
        false
    });
    let input = ContactInput {
        kind: vocabulary.code("kind", &get("kind")),
        date: date_text(&get("date")),
        time: get("time").trim().to_string(),
        duration_minutes: get("duration_minutes"),
        place: get("place"),
        note: get("note"),
        sources: get("sources")
            .split([',', ';', '\n'])
            .map(|s| vocabulary.code("sources", s))
            .filter(|s| !s.is_empty())
            .collect(),
        follow_up_needed,
        follow_up_note: get("follow_up_note"),
        person_ids: Vec::new(),
        account_ids: Vec::new(),
    };
    match validate_contact(&input, era, now) {
        Ok(contact) if errors.is_empty() => Ok(ContactRow {
            case_number,
            contact,
        }),
        Ok(_) => Err(errors),
        Err(e) => {
            errors.extend(e.into_iter().map(|e| (e.field.clone(), e)));
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::columns::{CONTACT_COLUMNS, CONTACT_REQUIRED};

    fn mapping(h: &[&str]) -> Mapping {
        let h: Vec<String> = h.iter().map(|s| s.to_string()).collect();
        Mapping::new(&h, CONTACT_COLUMNS, &[], CONTACT_REQUIRED).unwrap()
    }

    fn row(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn thai_labels_and_buddhist_dates_become_codes_and_instants() {
        let mut v = Vocabulary::default();
        v.add("kind", "เยี่ยมบ้าน", "home_visit");
        v.add("sources", "ครอบครัว", "family");
        let m = mapping(&[
            "เลขที่รายกรณี",
            "ประเภทการติดต่อ",
            "วันที่",
            "เวลา",
            "บันทึก",
            "แหล่งข้อมูล",
            "ต้องติดตาม",
        ]);
        let r = validate_row(
            &m,
            &row(&[
                " CM-2569-000001 ",
                "เยี่ยมบ้าน",
                "2569-11-22",
                "14:30",
                "เยี่ยมบ้าน พบมารดา",
                "ครอบครัว, home_visit",
                "ใช่",
            ]),
            &v,
            Era::Buddhist,
            now(),
        )
        .unwrap();
        assert_eq!(r.case_number, "CM-2569-000001");
        assert_eq!(r.contact.kind, "home_visit");
        assert_eq!(r.contact.sources, vec!["family", "home_visit"]);
        assert!(r.contact.follow_up_needed);
        assert_eq!(
            r.contact.occurred_at.to_rfc3339(),
            "2026-11-22T07:30:00+00:00"
        );
    }

    #[test]
    fn every_problem_of_a_row_is_reported_on_its_column() {
        let m = mapping(&["case_number", "kind", "date", "note", "follow_up_needed"]);
        let e = validate_row(
            &m,
            &row(&["", "visit", "31/02/2569", "", "maybe"]),
            &Vocabulary::default(),
            Era::Buddhist,
            now(),
        )
        .unwrap_err();
        let cols: Vec<&str> = e.iter().map(|(c, _)| c.as_str()).collect();
        for c in ["case_number", "follow_up_needed", "kind", "date", "note"] {
            assert!(cols.contains(&c), "{c} missing from {e:?}");
        }
    }
}
