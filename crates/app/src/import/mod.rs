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
use columns::Mapping;
use contacts::Vocabulary;
use karuna_domain::audit::Outcome;
use karuna_domain::FieldError;
use karuna_store::{audit, Tx};
use source::{Msg, Record, SourceOptions};
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

impl App {
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
