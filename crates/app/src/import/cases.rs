//! A cases file's row: a case opened for a client already on record, found by one of her
//! document numbers (import the persons first). The cells are checked by the intake form's
//! rules — referral source, presenting problem, case types of the organisation, consent or a
//! lawful basis — and the codes may be written as the labels the UI shows. The case may keep
//! the number an earlier system gave it, so that the earlier system's contacts can name it.

use super::columns::Mapping;
use super::contacts::{yes_no, Vocabulary};
use super::persons::date_text;
use crate::intake::{check_consent, check_referral, ConsentInput};
use chrono::NaiveDate;
use karuna_domain::case::Urgency;
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
    let referral_note = opt(&get("referral_note"));
    let presenting_problem = get("presenting_problem").trim().to_string();
    let mut referral_errors = Vec::new();
    check_referral(
        &referral_source,
        referral_note.as_deref().unwrap_or_default(),
        &presenting_problem,
        &mut referral_errors,
    );
    for e in referral_errors {
        push(&e.field, &e.code);
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

// The file kind for the import driver (`App::import` in the parent module).
use super::columns::{CASE_COLUMNS, CASE_REQUIRED};
use super::{row_problem, Checked, FileKind, ImportError, ImportOptions, ImportReport, Observer};
use crate::{App, Ctx, CurrentUser};
use chrono::Datelike;
use chrono::Utc;
use karuna_domain::access::Action;
use karuna_store::Tx;
use karuna_thai::calendar::{bangkok_date, be_year};
use std::collections::{BTreeSet, HashMap, HashSet};
use uuid::Uuid;
/// A cases file (docs/IMPORT.md): cases opened, as at intake, for clients on record.
struct CasesKind<'u> {
    user: &'u CurrentUser,
    era: Era,
    today: NaiveDate,
    vocabulary: Vocabulary,
    types: Vec<karuna_domain::case_type::CaseType>,
    /// Managers named so far: the account and its unit, when the importer may give it cases.
    managers: HashMap<String, Option<(Uuid, Uuid)>>,
    /// Legacy numbers seen on earlier rows.
    seen_legacy: HashSet<String>,
    /// The first and last case numbers given.
    numbers: Option<(String, String)>,
}

/// A cases row with its client, manager and unit resolved.
#[derive(Debug, Clone)]
struct ResolvedCase {
    row: CaseRow,
    client: Uuid,
    manager: Uuid,
    unit: Uuid,
}

impl CasesKind<'_> {
    /// The manager a row names (the importer when empty) and the case's unit: as at intake,
    /// only a supervisor may give a case to another active case manager of the organisation.
    async fn manager(
        &mut self,
        app: &App,
        name: Option<&str>,
    ) -> Result<Option<(Uuid, Uuid)>, ImportError> {
        let me = &self.user.actor;
        let name = name.unwrap_or(self.user.username.as_str());
        if let Some(m) = self.managers.get(name) {
            return Ok(*m);
        }
        let found = if name == self.user.username {
            me.unit_id.map(|u| (me.id, u))
        } else if self.user.role() == karuna_domain::access::Role::Supervisor {
            karuna_store::account::account_by_username(&app.db, name)
                .await?
                .filter(|a| a.org_id == me.org_id && a.active && a.role == "case_manager")
                .and_then(|a| a.unit_id.or(me.unit_id).map(|u| (a.id, u)))
        } else {
            None
        };
        self.managers.insert(name.to_string(), found);
        Ok(found)
    }
}

impl FileKind for CasesKind<'_> {
    type Row = ResolvedCase;
    const ENTITY: &'static str = "case";

    fn mapping(&self, headers: &[String]) -> Result<Mapping, Vec<String>> {
        Mapping::new(headers, CASE_COLUMNS, &[], CASE_REQUIRED)
    }

    fn validate(
        &self,
        m: &Mapping,
        cells: &[String],
    ) -> Result<Self::Row, Vec<(String, FieldError)>> {
        // The client, manager and unit are looked up in `check`; nil until then.
        validate_row(
            m,
            cells,
            &self.vocabulary,
            &self.types,
            self.era,
            self.today,
        )
        .map(|row| ResolvedCase {
            row,
            client: Uuid::nil(),
            manager: Uuid::nil(),
            unit: Uuid::nil(),
        })
    }

    async fn check(
        &mut self,
        app: &App,
        m: &Mapping,
        batch: &mut [Checked<Self::Row>],
    ) -> Result<(), ImportError> {
        let org = self.user.actor.org_id;
        let valid = || batch.iter().filter_map(|(_, r)| r.as_ref().ok());
        let numbers: Vec<String> = valid().map(|c| c.row.client_number.clone()).collect();
        let legacy: Vec<String> = valid()
            .filter_map(|c| c.row.legacy_number.clone())
            .collect();
        let mut holders: HashMap<String, BTreeSet<Uuid>> = HashMap::new();
        for (number, person) in
            karuna_store::person_bulk::persons_by_document(&app.db, org, &numbers).await?
        {
            holders.entry(number).or_default().insert(person);
        }
        let legacy_taken =
            karuna_store::case_bulk::legacy_numbers_on_record(&app.db, org, &legacy).await?;
        for (rec, result) in batch.iter_mut() {
            let Ok(c) = result else { continue };
            let mut problems = Vec::new();
            match holders
                .get(&c.row.client_number)
                .map(|h| (h.len(), h.first().copied()))
            {
                Some((1, Some(id))) => c.client = id,
                Some(_) => problems.push(row_problem(
                    rec.row,
                    m.header_of("client_id_number"),
                    "import.client_ambiguous",
                    Some("more than one person on record holds this document number".into()),
                )),
                None => problems.push(row_problem(
                    rec.row,
                    m.header_of("client_id_number"),
                    "import.client_unknown",
                    Some("no person on record holds this document number".into()),
                )),
            }
            if let Some(l) = &c.row.legacy_number {
                let code = if legacy_taken.contains(l) {
                    Some("import.legacy_number_taken")
                } else if !self.seen_legacy.insert(l.clone()) {
                    Some("import.legacy_number_repeated")
                } else {
                    None
                };
                if let Some(code) = code {
                    problems.push(row_problem(
                        rec.row,
                        m.header_of("legacy_number"),
                        code,
                        Some("this earlier case number is already taken".into()),
                    ));
                }
            }
            match self.manager(app, c.row.manager.as_deref()).await? {
                Some((manager, unit)) => {
                    c.manager = manager;
                    c.unit = unit;
                }
                None => problems.push(row_problem(
                    rec.row,
                    m.header_of("manager"),
                    "case.manager_invalid",
                    Some("not a case manager you may give this case to".into()),
                )),
            }
            if !problems.is_empty() {
                *result = Err(problems);
            }
        }
        Ok(())
    }

    async fn write(&mut self, tx: &mut Tx, rows: &[&Self::Row]) -> Result<Vec<Uuid>, ImportError> {
        use karuna_store::case::{self as store, NewCase, NewTransition};
        let org = self.user.actor.org_id;
        let mut ids = Vec::with_capacity(rows.len());
        for c in rows {
            let r = &c.row;
            let year = be_year(r.opened_on.year());
            let seq = store::next_number(tx, org, year).await?;
            let number = karuna_domain::case::case_number(year, seq);
            // A case opened before today is dated at noon, Bangkok time, of its day.
            let opened_at = (r.opened_on != self.today)
                .then(|| r.opened_on.and_hms_opt(5, 0, 0).map(|t| t.and_utc()))
                .flatten();
            let new = NewCase {
                org_id: org,
                unit_id: c.unit,
                client_id: c.client,
                manager_id: c.manager,
                urgency: r.urgency.code().to_string(),
                sensitive: r.sensitive,
                case_types: r.case_types.clone(),
                referral_source: r.referral_source.clone(),
                referral_note: r.referral_note.clone(),
                presenting_problem: r.presenting_problem.clone(),
                safety_answers: "{}".into(),
                opened_at,
                legacy_number: r.legacy_number.clone(),
            };
            let id = store::insert_case(tx, &new, &number).await?;
            store::add_person(tx, id, c.client, "client").await?;
            crate::consent::insert_consent(
                tx,
                org,
                c.client,
                Some(id),
                "service_provision",
                None,
                r.consent_status.as_deref(),
                r.lawful_basis.as_deref(),
                r.consent_note.as_deref(),
                self.user.actor.id,
            )
            .await?;
            let t = NewTransition {
                kind: "open",
                to_status: Some("intake"),
                ..Default::default()
            };
            store::insert_transition(tx, id, &t, self.user.actor.id).await?;
            match &mut self.numbers {
                Some((_, last)) => *last = number,
                None => self.numbers = Some((number.clone(), number)),
            }
            ids.push(id);
        }
        Ok(ids)
    }

    fn audit_note(&self) -> String {
        match &self.numbers {
            Some((first, last)) => format!(" numbers={first}..{last}"),
            None => String::new(),
        }
    }
}

impl App {
    /// Imports a cases file as `user` (who must be allowed to register cases): each row opens
    /// a case for a client on record, as the intake form does.
    pub async fn import_cases(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        opts: &ImportOptions,
        obs: &mut dyn Observer,
    ) -> Result<ImportReport, ImportError> {
        self.authorize(user, ctx, Action::CreateCase, "case.import", ("case", None))
            .await?;
        let types = self.case_types_of(user.actor.org_id).await?;
        let mut vocabulary = opts.vocabulary.clone();
        // The organisation's own labels of its case types (the catalogue's come from the CLI).
        for t in &types {
            for label in [&t.label_th, &t.label_en].into_iter().flatten() {
                vocabulary.add("case_types", label, &t.code);
            }
        }
        let kind = CasesKind {
            user,
            era: Era::from_code(&user.era).unwrap_or_default(),
            today: bangkok_date(Utc::now()),
            vocabulary,
            types,
            managers: HashMap::new(),
            seen_legacy: HashSet::new(),
            numbers: None,
        };
        self.import(kind, user, ctx, opts, obs).await
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
