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

// The file kind for the import driver (`App::import` in the parent module).
use super::columns::{CONTACT_COLUMNS, CONTACT_REQUIRED};
use super::{row_problem, Checked, FileKind, ImportError, ImportOptions, ImportReport, Observer};
use crate::{App, Ctx, CurrentUser};
use karuna_domain::access::Action;
use karuna_domain::access::{decide, CaseFacts};
use karuna_store::Tx;
use std::collections::BTreeSet;
use uuid::Uuid;
/// A contacts file (docs/IMPORT.md): contacts on existing cases the importer may add to.
struct ContactsKind<'u> {
    user: &'u CurrentUser,
    era: Era,
    now: DateTime<Utc>,
    vocabulary: Vocabulary,
    /// Case numbers looked up so far: the case, when it exists and the user may add to it.
    cases: HashMap<String, Option<Uuid>>,
    /// Cases of the organisation the user may not add to, among those named.
    refused: u64,
    /// Cases written to (their `updated_at` is set once, at the end).
    touched: BTreeSet<Uuid>,
}

impl ContactsKind<'_> {
    /// The case a number names, if the user may add to it (policy `EditCase`, as the
    /// contact form; no per-case denial event: the import's event counts them).
    async fn case(&mut self, app: &App, number: &str) -> Result<Option<Uuid>, ImportError> {
        if let Some(c) = self.cases.get(number) {
            return Ok(*c);
        }
        let org = self.user.actor.org_id;
        let mut found = None;
        if let Some(id) = karuna_store::case::case_id_by_any_number(&app.db, org, number).await? {
            if let Some(case) = karuna_store::case::case_by_id(&app.db, id).await? {
                let facts = CaseFacts {
                    org_id: case.org_id,
                    unit_id: case.unit_id,
                    case_manager_id: case.manager_id,
                    team_member_ids: karuna_store::case::team_ids(&app.db, id).await?,
                    sensitive: case.sensitive,
                    emergency_reader_ids: Vec::new(),
                };
                if decide(&self.user.actor, Action::EditCase(&facts)).is_allowed() {
                    found = Some(id);
                } else {
                    self.refused += 1;
                }
            }
        }
        self.cases.insert(number.to_string(), found);
        Ok(found)
    }
}

impl FileKind for ContactsKind<'_> {
    type Row = (ContactRow, Uuid);
    const ENTITY: &'static str = "contact";

    fn mapping(&self, headers: &[String]) -> Result<Mapping, Vec<String>> {
        Mapping::new(headers, CONTACT_COLUMNS, &[], CONTACT_REQUIRED)
    }

    fn validate(
        &self,
        m: &Mapping,
        cells: &[String],
    ) -> Result<Self::Row, Vec<(String, FieldError)>> {
        // The case is looked up in `check`; nil until then.
        validate_row(m, cells, &self.vocabulary, self.era, self.now).map(|r| (r, Uuid::nil()))
    }

    async fn check(
        &mut self,
        app: &App,
        m: &Mapping,
        batch: &mut [Checked<Self::Row>],
    ) -> Result<(), ImportError> {
        let column = m.header_of("case_number");
        for (rec, result) in batch.iter_mut() {
            let Ok((row, case)) = result else { continue };
            match self.case(app, &row.case_number.clone()).await? {
                Some(id) => *case = id,
                None => {
                    *result = Err(vec![row_problem(
                        rec.row,
                        column.clone(),
                        "import.case_unknown",
                        Some("no case with this number that you may add to".into()),
                    )])
                }
            }
        }
        Ok(())
    }

    async fn write(&mut self, tx: &mut Tx, rows: &[&Self::Row]) -> Result<Vec<Uuid>, ImportError> {
        let mut ids = Vec::with_capacity(rows.len());
        let org = self.user.actor.org_id;
        for (row, case) in rows {
            ids.push(
                karuna_store::contact::insert(tx, org, *case, &row.contact, self.user.actor.id)
                    .await?,
            );
            self.touched.insert(*case);
        }
        Ok(ids)
    }

    async fn finish(&mut self, tx: &mut Tx) -> Result<(), ImportError> {
        for case in &self.touched {
            karuna_store::case::touch(tx, *case).await?;
        }
        Ok(())
    }

    fn audit_note(&self) -> String {
        format!(
            " cases={} cases_refused={}",
            self.touched.len(),
            self.refused
        )
    }
}

impl App {
    /// Imports a contacts file as `user`: each row goes on the case its number names, if
    /// `user` may add to that case (as its manager, a team member or the unit's supervisor);
    /// otherwise the row is rejected as naming no such case (existence is not revealed).
    pub async fn import_contacts(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        opts: &ImportOptions,
        obs: &mut dyn Observer,
    ) -> Result<ImportReport, ImportError> {
        self.authorize(
            user,
            ctx,
            Action::ListCases,
            "contact.import",
            ("contact", None),
        )
        .await?;
        let kind = ContactsKind {
            user,
            era: Era::from_code(&user.era).unwrap_or_default(),
            now: Utc::now(),
            vocabulary: opts.vocabulary.clone(),
            cases: HashMap::new(),
            refused: 0,
            touched: BTreeSet::new(),
        };
        self.import(kind, user, ctx, opts, obs).await
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
