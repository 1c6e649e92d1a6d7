//! `karuna import persons|cases|contacts FILE`: the command-line adapter over `karuna_app::import` — flags,
//! a progress bar on stderr (hidden when stderr is not a terminal), every row problem on
//! stdout in the acting user's language, Ctrl-C rolling everything back.

use crate::config::DbOptions;
use crate::Failure;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use karuna_app::import::contacts::Vocabulary;
use karuna_app::import::source::{Format, SourceOptions};
use karuna_app::import::{ImportError, ImportOptions, Mode, Observer, Problem};
use karuna_app::intake::{CONSENT_STATES, LAWFUL_BASES};
use karuna_app::Ctx;
use karuna_domain::case::{Urgency, CASE_TYPES, REFERRAL_SOURCES};
use karuna_domain::contact::{CONTACT_KINDS, SOURCES};
use karuna_thai::calendar::Era;
use karuna_thai::lang::Lang;
use karuna_web::i18n::{Catalog, Tr};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// What an import or export file holds.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    /// Persons (clients and others), with documents, phones and an address.
    Persons,
    /// Cases opened for clients on record, found by a document number.
    Cases,
    /// Contacts (the contact log) on existing cases, named by case number.
    Contacts,
}

/// File formats on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Comma-separated values (`;`, tab and `|` are detected too).
    Csv,
    /// Excel workbook (the first sheet).
    Xlsx,
}

impl FormatArg {
    /// The application's format.
    pub fn format(self) -> Format {
        match self {
            FormatArg::Csv => Format::Csv,
            FormatArg::Xlsx => Format::Xlsx,
        }
    }
}

/// Text encodings a CSV may be read in.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum EncodingArg {
    /// UTF-8, with or without a byte-order mark (the default).
    #[value(name = "utf-8")]
    Utf8,
    /// TIS-620 / windows-874 (older Thai Excel's "CSV"), converted to UTF-8.
    #[value(name = "tis-620")]
    Tis620,
}

/// `karuna import`.
#[derive(Args, Debug)]
pub struct ImportArgs {
    #[command(flatten)]
    db: DbOptions,
    /// What the file holds.
    kind: Kind,
    /// The CSV or XLSX file (see docs/IMPORT.md for the columns).
    file: PathBuf,
    /// The account the import acts as (must be allowed to register cases).
    #[arg(long = "as", value_name = "USERNAME")]
    acting_as: String,
    /// The file's format (default: from its extension).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// A CSV's text encoding; TIS-620 files are refused unless this says so.
    #[arg(long, value_enum, default_value = "utf-8")]
    encoding: EncodingArg,
    /// Check every row and report every problem; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Write the good rows and copy the bad ones to the rejected-rows file (default: all or
    /// nothing).
    #[arg(long)]
    skip_bad_rows: bool,
    /// Where rejected rows go with --skip-bad-rows (default: FILE.rejected.csv).
    #[arg(long, value_name = "PATH")]
    rejected: Option<PathBuf>,
    /// Language of the problem messages (default: the acting user's).
    #[arg(long, value_parser = ["th", "en"])]
    lang: Option<String>,
}

/// Progress and problems on the terminal.
struct Console {
    bar: ProgressBar,
    tr: Tr,
    out: std::io::BufWriter<std::io::Stdout>,
    stop: Arc<AtomicBool>,
    terminal: bool,
    rows: u64,
    started: Instant,
}

impl Observer for Console {
    fn rows_done(&mut self, n: u64) {
        self.bar.inc(n);
        self.rows += n;
        if !self.terminal && self.rows % 100_000 < n {
            eprintln!(
                "karuna: {} rows checked ({:.0} s)",
                self.rows,
                self.started.elapsed().as_secs_f64()
            );
        }
    }

    fn problem(&mut self, p: &Problem) {
        // The catalogue's message in the user's language; the importer's own sentence when
        // it says more (a row's cell count) or the catalogue has no such code.
        let m = self.tr.error(&p.code, &p.args);
        let message = match &p.text {
            Some(t) if p.code == "import.row" || m.starts_with("error-") => t.clone(),
            _ if m.starts_with("error-") => p.code.clone(),
            _ => format!("{m} [{}]", p.code),
        };
        let line = if p.column.is_empty() {
            format!("row {}: {message}", p.row)
        } else {
            format!("row {}, column \"{}\": {message}", p.row, p.column)
        };
        self.bar.suspend(|| {
            let _ = writeln!(self.out, "{line}");
        });
    }

    fn cancelled(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// The UI's labels of codes (contact kinds and sources, case types, referral sources,
/// urgencies, consent states, lawful bases), in Thai and English, from the catalogue: a file
/// may say เยี่ยมบ้าน or "Home visit" where the code is `home_visit`.
fn vocabulary(catalog: &Catalog) -> Vocabulary {
    let mut v = Vocabulary::default();
    let urgencies = Urgency::ALL.map(Urgency::code);
    let fields: [(&'static str, &str, &[&str]); 7] = [
        ("kind", "contact-kind-", &CONTACT_KINDS),
        ("sources", "source-", &SOURCES),
        ("case_types", "case-type-", &CASE_TYPES),
        ("referral_source", "referral-", &REFERRAL_SOURCES),
        ("urgency", "urgency-", &urgencies),
        ("consent", "consent-status-", &CONSENT_STATES),
        ("lawful_basis", "consent-basis-", &LAWFUL_BASES),
    ];
    for (field, prefix, codes) in fields {
        for code in codes {
            let key = format!("{prefix}{}", code.replace('_', "-"));
            for lang in [Lang::Th, Lang::En] {
                if catalog.keys(lang).contains(&key) {
                    v.add(field, &catalog.message(lang, &key, &[]), code);
                }
            }
        }
    }
    v
}

/// Builds the terminal observer: a bar when stderr is a terminal, nothing otherwise.
fn console(lang: Lang, era: Era, catalog: Arc<Catalog>) -> Result<Console, Failure> {
    let terminal = std::io::stderr().is_terminal();
    let bar = if terminal {
        let b = ProgressBar::new_spinner();
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} {human_pos} rows  {per_sec}  {elapsed}")
        {
            b.set_style(style);
        }
        b.enable_steady_tick(std::time::Duration::from_millis(200));
        b
    } else {
        ProgressBar::hidden()
    };
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            flag.store(true, Ordering::Relaxed);
        }
    });
    Ok(Console {
        bar,
        tr: Tr::new(catalog, lang, era),
        out: std::io::BufWriter::new(std::io::stdout()),
        stop,
        terminal,
        rows: 0,
        started: Instant::now(),
    })
}

/// `karuna import …`.
pub async fn run(args: ImportArgs) -> Result<(), Failure> {
    let (app, _) = crate::open(&args.db, false).await?;
    let ctx = Ctx::default();
    let user = app.acting_as(&args.acting_as).await.map_err(|_| {
        Failure(
            format!("--as {}: no such active account", args.acting_as),
            2,
        )
    })?;
    let lang = Lang::from_code(args.lang.as_deref().unwrap_or(&user.lang)).unwrap_or(Lang::Th);
    let era = Era::from_code(&user.era).unwrap_or_default();
    let catalog =
        Arc::new(Catalog::load().map_err(|e| Failure(format!("message catalogue: {e}"), 1))?);
    let mut obs = console(lang, era, catalog.clone())?;
    let opts = ImportOptions {
        source: SourceOptions {
            path: args.file.clone(),
            format: args.format.map(FormatArg::format),
            tis620: args.encoding == EncodingArg::Tis620,
        },
        dry_run: args.dry_run,
        mode: if args.skip_bad_rows {
            Mode::SkipBadRows
        } else {
            Mode::AllOrNothing
        },
        rejected_path: args.rejected.clone(),
        vocabulary: vocabulary(&catalog),
    };
    let started = Instant::now();
    let result = match args.kind {
        Kind::Persons => app.import_persons(&user, &ctx, &opts, &mut obs).await,
        Kind::Cases => app.import_cases(&user, &ctx, &opts, &mut obs).await,
        Kind::Contacts => app.import_contacts(&user, &ctx, &opts, &mut obs).await,
    };
    obs.bar.finish_and_clear();
    let _ = obs.out.flush();
    let _ = app.seal_audit().await;
    app.db.close().await;
    let report = match result {
        Ok(r) => r,
        Err(ImportError::File(problems)) => {
            return Err(Failure(
                format!(
                    "{}: cannot import:\n  {}",
                    args.file.display(),
                    problems.join("\n  ")
                ),
                2,
            ))
        }
        Err(ImportError::Interrupted) => {
            return Err(Failure(
                "interrupted: nothing was written (the transaction was rolled back)".into(),
                130,
            ))
        }
        Err(ImportError::App(e)) => return Err(e.into()),
    };
    let secs = started.elapsed().as_secs_f64();
    for n in &report.notes {
        eprintln!("karuna: note: {n}");
    }
    let mut summary = format!(
        "{} rows read, {} valid, {} rejected ({} problems)",
        report.rows, report.valid, report.rejected, report.problems
    );
    if report.empty_rows > 0 {
        summary.push_str(&format!(", {} empty rows skipped", report.empty_rows));
    }
    let summary = format!("{summary}; {:.1} s", secs);
    if args.dry_run {
        eprintln!("karuna: dry run: {summary}; nothing written");
    } else if report.rejected > 0 && !args.skip_bad_rows {
        return Err(Failure(
            format!("{summary}; nothing written (all or nothing: fix the rows above, or use --skip-bad-rows)"),
            3,
        ));
    } else {
        eprintln!("karuna: {summary}; {} written", report.written);
        if let (Some(path), true) = (&report.rejected_file, report.rejected > 0) {
            eprintln!("karuna: rejected rows copied to {}", path.display());
        }
    }
    if args.dry_run && report.rejected > 0 {
        return Err(Failure(
            format!("{} rows would be rejected", report.rejected),
            3,
        ));
    }
    Ok(())
}
