//! Bulk import from CSV or XLSX (`karuna import persons|contacts FILE`): every row validated
//! by the same functions as the UI's forms, every problem reported (row, column, message), and
//! then either all rows written in one transaction or none (the default), or the good rows
//! written and the bad ones copied to a rejected-rows file. Rows stream from a reader thread in
//! batches; memory stays flat whatever the file's size. The import is audited as one bulk
//! event with its counts.
//!
//! One driver (`App::import`) runs every kind of file; a kind (`FileKind`) says which columns
//! it reads, how a row is validated, what it checks against the database, and how good rows
//! are written.

pub mod cases;
pub mod columns;
pub mod contacts;
pub mod decode;
pub mod persons;
pub mod source;

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use cases::CaseRow;
use chrono::Datelike;
use chrono::{DateTime, NaiveDate, Utc};
use columns::{
    Mapping, CASE_COLUMNS, CASE_REQUIRED, CONTACT_COLUMNS, CONTACT_REQUIRED, PERSON_COLUMNS,
    PERSON_NAME_COLUMNS,
};
use contacts::{ContactRow, Vocabulary};
use karuna_domain::access::{decide, Action, CaseFacts};
use karuna_domain::audit::Outcome;
use karuna_domain::FieldError;
use karuna_store::person_bulk::{insert_persons, numbers_on_record, BulkPerson};
use karuna_store::{audit, Tx};
use karuna_thai::calendar::{bangkok_date, be_year, Era};
use source::{Msg, Record, SourceOptions};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use uuid::Uuid;

/// What to do with the rows that pass when some do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// One transaction: the database holds the whole import or none of it.
    #[default]
    AllOrNothing,
    /// Good rows are written; bad ones are copied to the rejected-rows file.
    SkipBadRows,
}

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The file and how to read it.
    pub source: SourceOptions,
    /// Validate and report only; write nothing.
    pub dry_run: bool,
    /// All-or-nothing or skip-bad-rows.
    pub mode: Mode,
    /// Where rejected rows go in skip mode (default `<FILE>.rejected.csv`).
    pub rejected_path: Option<PathBuf>,
    /// The UI's labels of codes, accepted in place of the codes (contacts' kinds, sources).
    pub vocabulary: Vocabulary,
}

/// One problem with one row: where, and what (a catalogue code with its arguments, or a
/// sentence when the file itself is at fault).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The row number in the file.
    pub row: u64,
    /// The column's header as the file spells it (empty for the whole row).
    pub column: String,
    /// Message-catalogue code (`thai.id.checksum`, …) or `import.row`.
    pub code: String,
    /// The code's arguments.
    pub args: Vec<(String, String)>,
    /// A sentence, for problems that have no code.
    pub text: Option<String>,
}

/// Receives progress and problems as they happen; may ask the import to stop.
pub trait Observer: Send {
    /// `n` more rows were read and checked.
    fn rows_done(&mut self, n: u64);
    /// A row problem (every one is reported).
    fn problem(&mut self, p: &Problem);
    /// True to stop now (Ctrl-C): nothing is written.
    fn cancelled(&self) -> bool {
        false
    }
}

/// The import's outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Data rows read (not counting empty ones).
    pub rows: u64,
    /// Rows that passed validation.
    pub valid: u64,
    /// Rows with at least one problem.
    pub rejected: u64,
    /// Rows written to the database (0 in a dry run or a refused all-or-nothing import).
    pub written: u64,
    /// Empty rows skipped.
    pub empty_rows: u64,
    /// Problems reported.
    pub problems: u64,
    /// What was noticed about the file (delimiter, BOM, encoding, sheet).
    pub notes: Vec<String>,
    /// Where rejected rows were copied (skip mode).
    pub rejected_file: Option<PathBuf>,
}

/// Why an import did not run to its end.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be imported at all (encoding, header, format); every problem listed.
    #[error("{}", .0.join("\n"))]
    File(Vec<String>),
    /// Stopped by the operator; nothing was written.
    #[error("interrupted: nothing was written")]
    Interrupted,
    /// Refused, or the database failed.
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<karuna_store::StoreError> for ImportError {
    fn from(e: karuna_store::StoreError) -> Self {
        ImportError::App(e.into())
    }
}

/// Rows are written in transactions' chunks of this many.
const WRITE_BATCH: usize = 1000;

/// Copies rejected rows with their problems to a CSV file.
struct Rejected {
    writer: csv::Writer<std::fs::File>,
    path: PathBuf,
}

impl Rejected {
    fn create(path: PathBuf, headers: &[String]) -> Result<Rejected, ImportError> {
        let mut writer = csv::Writer::from_path(&path).map_err(|e| {
            ImportError::File(vec![format!("cannot create {}: {e}", path.display())])
        })?;
        let mut h = headers.to_vec();
        h.push("error".into());
        writer
            .write_record(&h)
            .map_err(|e| ImportError::File(vec![e.to_string()]))?;
        Ok(Rejected { writer, path })
    }

    fn write(&mut self, rec: &Record, problems: &[Problem]) -> Result<(), ImportError> {
        let text: Vec<String> = problems
            .iter()
            .map(|p| {
                let what = p.text.clone().unwrap_or_else(|| p.code.clone());
                if p.column.is_empty() {
                    what
                } else {
                    format!("{}: {what}", p.column)
                }
            })
            .collect();
        let mut row = rec.cells.clone();
        row.push(text.join("; "));
        self.writer
            .write_record(&row)
            .map_err(|e| ImportError::File(vec![e.to_string()]))
    }
}

fn row_problem(row: u64, column: String, code: &str, text: Option<String>) -> Problem {
    Problem {
        row,
        column,
        code: code.to_string(),
        args: Vec::new(),
        text,
    }
}

/// The problems the file itself gives a record (bad cells, a wrong cell count).
fn record_problems(m: &Mapping, rec: &Record) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Some(t) = &rec.row_problem {
        out.push(row_problem(
            rec.row,
            String::new(),
            "import.row",
            Some(t.clone()),
        ));
    }
    for (col, code) in &rec.cell_problems {
        let text = match *code {
            "import.formula" => "the cell holds a formula: type its value instead",
            _ => "the cell holds an error value",
        };
        out.push(row_problem(
            rec.row,
            m.header_at(*col),
            code,
            Some(text.into()),
        ));
    }
    out
}

/// A row's result after validation and the database checks.
type Checked<R> = (Record, Result<R, Vec<Problem>>);

/// One kind of import file: its columns, its rows' validation and checks, how they are written.
pub(crate) trait FileKind {
    /// A valid row.
    type Row;
    /// The entity in the audit event (`person` → `person.import`).
    const ENTITY: &'static str;
    /// The file's header row read as this kind's columns.
    fn mapping(&self, headers: &[String]) -> Result<Mapping, Vec<String>>;
    /// Validates one row by the UI's rules; errors carry their column key.
    fn validate(
        &self,
        m: &Mapping,
        cells: &[String],
    ) -> Result<Self::Row, Vec<(String, FieldError)>>;
    /// Checks a batch's valid rows against the database and the file's earlier rows; a row
    /// may become rejected.
    async fn check(
        &mut self,
        app: &App,
        m: &Mapping,
        batch: &mut [Checked<Self::Row>],
    ) -> Result<(), ImportError>;
    /// Writes good rows in the import's transaction; returns their new ids in order.
    async fn write(&mut self, tx: &mut Tx, rows: &[&Self::Row]) -> Result<Vec<Uuid>, ImportError>;
    /// Runs once after the last write, in the same transaction.
    async fn finish(&mut self, _tx: &mut Tx) -> Result<(), ImportError> {
        Ok(())
    }
    /// What the audit event adds to the counts.
    fn audit_note(&self) -> String {
        String::new()
    }
}

/// A persons file (docs/IMPORT.md): persons with documents, phones and an address.
struct PersonsKind {
    org: Uuid,
    by: Uuid,
    era: Era,
    today: NaiveDate,
    seen_ids: HashSet<u64>,
}

impl FileKind for PersonsKind {
    type Row = persons::PersonRow;
    const ENTITY: &'static str = "person";

    fn mapping(&self, headers: &[String]) -> Result<Mapping, Vec<String>> {
        Mapping::new(headers, PERSON_COLUMNS, PERSON_NAME_COLUMNS, &[])
    }

    fn validate(
        &self,
        m: &Mapping,
        cells: &[String],
    ) -> Result<Self::Row, Vec<(String, FieldError)>> {
        persons::validate_row(m, cells, self.era, self.today)
    }

    async fn check(
        &mut self,
        app: &App,
        m: &Mapping,
        batch: &mut [Checked<Self::Row>],
    ) -> Result<(), ImportError> {
        // A national ID may be on record once: not twice in the file, not again.
        let ids: Vec<String> = batch
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok().and_then(|p| p.national_id.clone()))
            .collect();
        let on_record = numbers_on_record(&app.db, self.org, "thai_national_id", &ids).await?;
        let column = m.header_of("national_id");
        for (rec, result) in batch.iter_mut() {
            let Ok(p) = result else { continue };
            let Some(id) = p.national_id.clone() else {
                continue;
            };
            let code = if on_record.contains(&id) {
                Some("import.national_id_on_record")
            } else if id.parse::<u64>().is_ok_and(|n| !self.seen_ids.insert(n)) {
                Some("import.national_id_repeated")
            } else {
                None
            };
            if let Some(code) = code {
                let text = if code.ends_with("on_record") {
                    "a person with this national ID is already on record"
                } else {
                    "this national ID is on an earlier row of the file"
                };
                *result = Err(vec![row_problem(
                    rec.row,
                    column.clone(),
                    code,
                    Some(text.into()),
                )]);
            }
        }
        Ok(())
    }

    async fn write(&mut self, tx: &mut Tx, rows: &[&Self::Row]) -> Result<Vec<Uuid>, ImportError> {
        let bulk: Vec<BulkPerson<'_>> = rows
            .iter()
            .map(|p| BulkPerson {
                person: &p.person,
                documents: &p.documents,
                address: p.address.as_ref(),
            })
            .collect();
        Ok(insert_persons(tx, self.org, Some(self.by), &bulk).await?)
    }
}

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
        contacts::validate_row(m, cells, &self.vocabulary, self.era, self.now)
            .map(|r| (r, Uuid::nil()))
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
        cases::validate_row(
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
            karuna_store::case::legacy_numbers_on_record(&app.db, org, &legacy).await?;
        for (rec, result) in batch.iter_mut() {
            let Ok(c) = result else { continue };
            let mut problems = Vec::new();
            match holders.get(&c.row.client_number).map(|h| h.len()) {
                Some(1) => {
                    if let Some(id) = holders[&c.row.client_number].iter().next() {
                        c.client = *id;
                    }
                }
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

    /// Imports a persons file as `user` (who must be allowed to register cases). See the
    /// module documentation for the modes.
    pub async fn import_persons(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        opts: &ImportOptions,
        obs: &mut dyn Observer,
    ) -> Result<ImportReport, ImportError> {
        self.authorize(
            user,
            ctx,
            Action::CreateCase,
            "person.import",
            ("person", None),
        )
        .await?;
        let kind = PersonsKind {
            org: user.actor.org_id,
            by: user.actor.id,
            era: Era::from_code(&user.era).unwrap_or_default(),
            today: bangkok_date(Utc::now()),
            seen_ids: HashSet::new(),
        };
        self.import(kind, user, ctx, opts, obs).await
    }

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

    /// The driver every kind of file runs through.
    async fn import<K: FileKind>(
        &self,
        mut kind: K,
        user: &CurrentUser,
        ctx: &Ctx,
        opts: &ImportOptions,
        obs: &mut dyn Observer,
    ) -> Result<ImportReport, ImportError> {
        let mut rx = source::spawn(opts.source.clone());
        let info = match rx.recv().await {
            Some(Msg::Header(info)) => info,
            Some(Msg::Fatal(m)) => return Err(ImportError::File(vec![m])),
            _ => return Err(ImportError::File(vec!["the file has no header row".into()])),
        };
        let mapping = kind.mapping(&info.headers).map_err(ImportError::File)?;
        let mut report = ImportReport {
            notes: info.notes.clone(),
            ..ImportReport::default()
        };
        let mut rejected = match (opts.mode, opts.dry_run) {
            (Mode::SkipBadRows, false) => {
                let path = opts.rejected_path.clone().unwrap_or_else(|| {
                    let mut p = opts.source.path.clone().into_os_string();
                    p.push(".rejected.csv");
                    PathBuf::from(p)
                });
                Some(Rejected::create(path, &info.headers)?)
            }
            _ => None,
        };
        let mut tx = if opts.dry_run {
            None
        } else {
            Some(self.db.begin().await?)
        };
        let mut first_id = None;
        let mut last_id = None;
        loop {
            let batch = match rx.recv().await {
                Some(Msg::Rows(b)) => b,
                Some(Msg::End { empty_rows }) => {
                    report.empty_rows = empty_rows;
                    break;
                }
                Some(Msg::Fatal(m)) => return Err(ImportError::File(vec![m])),
                Some(Msg::Header(_)) | None => {
                    return Err(ImportError::File(
                        vec!["the file ended unexpectedly".into()],
                    ))
                }
            };
            if obs.cancelled() {
                return Err(ImportError::Interrupted);
            }
            let n = batch.len() as u64;
            let mut checked: Vec<Checked<K::Row>> = Vec::with_capacity(batch.len());
            for rec in batch {
                let mut problems = record_problems(&mapping, &rec);
                let result = match kind.validate(&mapping, &rec.cells) {
                    Ok(p) if problems.is_empty() => Ok(p),
                    Ok(_) => Err(problems),
                    Err(errors) => {
                        problems.extend(errors.into_iter().map(|(col, e)| Problem {
                            row: rec.row,
                            column: mapping.header_of(&col),
                            code: e.code,
                            args: e.args,
                            text: None,
                        }));
                        Err(problems)
                    }
                };
                checked.push((rec, result));
            }
            kind.check(self, &mapping, &mut checked).await?;
            let mut good: Vec<&K::Row> = Vec::new();
            for (rec, result) in &checked {
                match result {
                    Ok(p) => {
                        report.valid += 1;
                        good.push(p);
                    }
                    Err(problems) => {
                        report.rejected += 1;
                        report.problems += problems.len() as u64;
                        for p in problems {
                            obs.problem(p);
                        }
                        if let Some(r) = rejected.as_mut() {
                            r.write(rec, problems)?;
                        }
                    }
                }
            }
            report.rows += n;
            let writing = opts.mode == Mode::SkipBadRows || report.rejected == 0;
            if let (Some(tx), true) = (tx.as_mut(), writing) {
                for chunk in good.chunks(WRITE_BATCH) {
                    let ids = kind.write(tx, chunk).await?;
                    first_id = first_id.or(ids.first().copied());
                    last_id = ids.last().copied().or(last_id);
                    report.written += ids.len() as u64;
                }
            }
            obs.rows_done(n);
        }
        if let Some(r) = rejected.as_mut() {
            r.writer
                .flush()
                .map_err(|e| ImportError::File(vec![e.to_string()]))?;
            report.rejected_file = Some(r.path.clone());
        }
        if obs.cancelled() {
            return Err(ImportError::Interrupted);
        }
        let refused = opts.mode == Mode::AllOrNothing && report.rejected > 0;
        if refused {
            report.written = 0;
        }
        let action = if opts.dry_run {
            format!("{}.import.dry_run", K::ENTITY)
        } else {
            format!("{}.import", K::ENTITY)
        };
        let mut e = on(
            event(
                Some(user),
                ctx,
                &action,
                if refused && !opts.dry_run {
                    Outcome::Failure
                } else {
                    Outcome::Success
                },
            ),
            K::ENTITY,
            None,
        );
        let range = match (first_id, last_id, refused) {
            (Some(a), Some(b), false) => format!(" ids={a}..{b}"),
            _ => String::new(),
        };
        e.reason = Some(format!(
            "rows={} valid={} rejected={} written={}{range}{}",
            report.rows,
            report.valid,
            report.rejected,
            report.written,
            kind.audit_note()
        ));
        match tx {
            Some(mut tx) if !refused => {
                kind.finish(&mut tx).await?;
                audit::append(&mut tx, &e).await?;
                tx.commit().await.map_err(karuna_store::StoreError::from)?;
            }
            Some(tx) => {
                tx.rollback()
                    .await
                    .map_err(karuna_store::StoreError::from)?;
                audit::append_alone(&self.db, &e).await?;
            }
            None => {
                audit::append_alone(&self.db, &e).await?;
            }
        }
        Ok(report)
    }
}
