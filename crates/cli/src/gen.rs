//! `karuna gen`: generates a synthetic agency into the configured database (see
//! `karuna_store::gen`), with a progress bar on stderr that falls back to a line every few
//! seconds when stderr is not a terminal.

use crate::config::DbOptions;
use crate::Failure;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use karuna_store::gen::{GenError, GenOptions, Phase, Progress};
use std::io::{BufRead, IsTerminal};
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
pub struct GenArgs {
    #[command(flatten)]
    db: DbOptions,
    /// Persons to generate (clients and their family members).
    #[arg(long, default_value_t = 1000)]
    persons: u64,
    /// Cases to generate.
    #[arg(long, default_value_t = 1000)]
    cases: u64,
    /// Contacts (with Thai narrative notes) per case.
    #[arg(long, default_value_t = 5)]
    notes_per_case: u64,
    /// Seed: the same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Generate even though the database already holds cases (demo or real ones): the
    /// generated agency is a separate organisation. A database that already holds generated
    /// data is always refused.
    #[arg(long)]
    force: bool,
    /// Read the generated accounts' password from the first line of stdin instead of
    /// generating one.
    #[arg(long)]
    password_stdin: bool,
}

/// The bar, or plain lines when stderr is not a terminal.
struct Bar {
    bar: Option<ProgressBar>,
    phase: Option<Phase>,
    last_line: Instant,
    started: Instant,
}

impl Bar {
    fn new() -> Bar {
        Bar {
            bar: None,
            phase: None,
            last_line: Instant::now(),
            started: Instant::now(),
        }
    }

    fn update(&mut self, p: Progress) {
        let label = match p.phase {
            Phase::Persons => "persons",
            Phase::Cases => "cases",
            Phase::Indexing => "indexes",
            Phase::Finishing => "commit + ANALYZE",
        };
        if !std::io::stderr().is_terminal() {
            let new_phase = self.phase != Some(p.phase);
            if new_phase || self.last_line.elapsed() > Duration::from_secs(5) || p.done == p.total {
                eprintln!(
                    "karuna gen: {label} {}/{} ({:.0} s)",
                    p.done,
                    p.total,
                    self.started.elapsed().as_secs_f64()
                );
                self.last_line = Instant::now();
            }
            self.phase = Some(p.phase);
            return;
        }
        if self.phase != Some(p.phase) {
            if let Some(b) = self.bar.take() {
                b.finish();
            }
            let b = if matches!(p.phase, Phase::Finishing | Phase::Indexing) {
                let b = ProgressBar::new_spinner();
                b.enable_steady_tick(Duration::from_millis(200));
                b
            } else {
                ProgressBar::new(p.total)
            };
            b.set_draw_target(ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{prefix:>16} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} {per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            if !matches!(p.phase, Phase::Finishing | Phase::Indexing) {
                b.set_style(style);
            }
            b.set_prefix(label);
            self.bar = Some(b);
            self.phase = Some(p.phase);
        }
        if let Some(b) = &self.bar {
            b.set_position(p.done);
        }
    }

    fn finish(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

fn password(from_stdin: bool) -> Result<String, Failure> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure(format!("cannot read the password from stdin: {e}"), 2))?;
        let p = line.trim_end_matches(['\r', '\n']).to_string();
        if p.chars().count() < karuna_domain::account::PASSWORD_MIN_CHARS {
            return Err(Failure(
                format!(
                    "--password-stdin: the password needs at least {} characters",
                    karuna_domain::account::PASSWORD_MIN_CHARS
                ),
                2,
            ));
        }
        return Ok(p);
    }
    // The random bits of a UUIDv7 (the first 12 hex digits are the time).
    let hex = uuid::Uuid::now_v7().simple().to_string();
    Ok(format!("gen-{}", &hex[12..]))
}

/// Runs `karuna gen`.
pub async fn run(args: GenArgs) -> Result<(), Failure> {
    let (app, _) = crate::open(&args.db, false).await?;
    // The run's only connection (on SQLite), so that it may switch the journal mode.
    let db = app.db.clone().single_connection().await;
    let secret = password(args.password_stdin)?;
    let hash = karuna_app::session::hash_password(secret.clone()).await?;
    let options = GenOptions {
        persons: args.persons,
        cases: args.cases,
        notes_per_case: args.notes_per_case,
        seed: args.seed,
        force: args.force,
        password_hash: hash,
    };
    karuna_store::gen::check(&db, &options)
        .await
        .map_err(gen_failure)?;
    eprintln!(
        "karuna gen: {} persons, {} cases, {} notes per case, seed {} ({:?})",
        args.persons,
        args.cases,
        args.notes_per_case,
        args.seed,
        db.backend()
    );
    let started = Instant::now();
    let mut bar = Bar::new();
    let result = karuna_store::gen::run(&db, &options, &mut |p| bar.update(p)).await;
    bar.finish();
    let report = result.map_err(gen_failure)?;
    let total = started.elapsed().as_secs_f64();
    let _ = app.seal_audit().await;
    app.db.close().await;
    println!(
        "generated {} rows in {:.1} s ({:.0} rows/s; writing {:.1} s, ANALYZE {:.1} s)",
        report.rows,
        total,
        report.rows as f64 / report.write_secs.max(1e-9),
        report.write_secs,
        report.analyze_secs
    );
    println!(
        "organisation {} with {} units; accounts {}…{}, {}…{}, {}…{}, {}",
        report.org_id,
        report.units,
        report.managers.0,
        report.managers.1,
        report.supervisors.0,
        report.supervisors.1,
        report.team.0,
        report.team.1,
        report.admin
    );
    if report.stayed_in_wal {
        eprintln!(
            "karuna gen: another connection had the database open, so the run used the \
             write-ahead log (as large as the run) instead of a rollback journal"
        );
    }
    if args.password_stdin {
        println!("every generated account has the password read from stdin");
    } else {
        println!("password of every generated account (shown once): {secret}");
    }
    Ok(())
}

fn gen_failure(e: GenError) -> Failure {
    match e {
        GenError::Store(s) => Failure(s.to_string(), 1),
        other => Failure(other.to_string(), 2),
    }
}
