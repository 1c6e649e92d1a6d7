//! `karuna gen`: a synthetic agency written straight into the database — an organisation
//! with units, case managers, supervisors and team members; persons; cases over five years
//! in every lifecycle state with contacts, notes, promises, assessments, plans and closures;
//! the search documents and person match keys of all of them.
//!
//! Deterministic for a seed: every record draws from its own random stream (module `rng`),
//! ids are UUIDv7 built from the record's own time, and times count from a fixed base date,
//! never the clock. The only exceptions are the password hash (salted) and the one audit
//! event of the run.
//!
//! Fast: one generator thread makes rows while the database writes the previous batch, in
//! multi-row inserts (module `bulk`), all in **one transaction** (an interrupted run leaves
//! nothing); the bulk tables' secondary indexes and SQLite's FTS5 rows are made once at the
//! end (module `defer`).
//! On SQLite the writer connection runs with `synchronous = OFF`, `foreign_keys = OFF` (the
//! generator writes parents first; PostgreSQL checks them anyway), a 1 GiB page cache,
//! in-memory temporary tables and a rollback journal instead of the write-ahead log for the
//! duration, restored afterwards; then `ANALYZE`.
//!
//! Audit: one `gen.run` event per run (a bulk action, like a migration), naming the seed and
//! the counts — not one event per generated row.

pub mod bulk;
pub mod case;
pub mod defer;
pub mod names;
pub mod person;
pub mod rng;
mod setup;
mod tables;
pub mod text;

use crate::audit::{append, NewEvent};
use crate::db::{Backend, Db, Tx};
use crate::error::StoreError;
use bulk::Table;
use chrono::{DateTime, TimeZone, Utc};
use std::time::Instant;
use uuid::Uuid;

/// The random streams, one per kind of record.
pub mod stream {
    /// Persons.
    pub const PERSON: u64 = 1;
    /// A person's phone, address and document rows.
    pub const PERSON_ROWS: u64 = 2;
    /// Cases.
    pub const CASE: u64 = 3;
    /// A case's opening time.
    pub const OPENED: u64 = 4;
    /// Returning clients.
    pub const CLIENT: u64 = 5;
    /// Organisation, units, accounts, templates.
    pub const SETUP: u64 = 6;
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenOptions {
    /// Persons.
    pub persons: u64,
    /// Cases.
    pub cases: u64,
    /// Contacts (with notes) per case.
    pub notes_per_case: u64,
    /// The seed.
    pub seed: u64,
    /// Generate even though the database holds cases already (into a new organisation).
    pub force: bool,
    /// The argon2id hash every generated account gets (computed once by the caller).
    pub password_hash: String,
}

/// Why generation refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    /// The options do not make sense.
    #[error("{0}")]
    Invalid(String),
    /// A previous run's data are there.
    #[error("this database already holds generated data (a `karuna gen` run); generate into a new data directory or database")]
    AlreadyGenerated,
    /// The database holds cases (real or demo).
    #[error("this database already holds {0} cases; refusing to add generated data beside them (use --force to add a separate generated organisation anyway)")]
    HasCases(i64),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for GenError {
    fn from(e: sqlx::Error) -> GenError {
        GenError::Store(e.into())
    }
}

/// Where the run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Writing persons.
    Persons,
    /// Writing cases.
    Cases,
    /// Making the deferred indexes.
    Indexing,
    /// Committing and analysing.
    Finishing,
}

/// Progress: records of the phase done so far and in all.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Phase.
    pub phase: Phase,
    /// Done.
    pub done: u64,
    /// In all.
    pub total: u64,
}

/// What a run made.
#[derive(Debug, Clone)]
pub struct GenReport {
    /// The generated organisation.
    pub org_id: Uuid,
    /// Units.
    pub units: usize,
    /// Usernames: the first and last case manager, supervisor and team member, and the admin.
    pub managers: (String, String),
    /// Supervisors.
    pub supervisors: (String, String),
    /// Team members.
    pub team: (String, String),
    /// The administrator.
    pub admin: String,
    /// Rows written in all tables.
    pub rows: u64,
    /// Seconds spent writing (without the final `ANALYZE`).
    pub write_secs: f64,
    /// Seconds of `ANALYZE`.
    pub analyze_secs: f64,
    /// On SQLite, the run had to stay in WAL mode (another connection held the file), so a
    /// log as large as the run was written beside the file.
    pub stayed_in_wal: bool,
}

/// The completed holistic assessments cases draw from.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Answers JSON.
    pub answers: String,
    /// Scores JSON.
    pub scores: String,
    /// Total score.
    pub total: i64,
    /// Level.
    pub level: Option<String>,
}

/// The shipped holistic template as stored for the organisation.
#[derive(Debug, Clone)]
pub struct Holistic {
    /// Its id.
    pub template_id: Uuid,
    /// Its version.
    pub version: i64,
    /// Domain (section) codes.
    pub sections: Vec<String>,
    /// Answer sets, in order of the domains they put in need (the fewest first).
    pub variants: Vec<Variant>,
}

/// Everything generation depends on besides the record's index.
#[derive(Debug, Clone)]
pub struct World {
    /// Seed.
    pub seed: u64,
    /// Organisation.
    pub org_id: Uuid,
    /// "Now" of the generated world.
    pub base: DateTime<Utc>,
    /// The first case's opening.
    pub start: DateTime<Utc>,
    /// Persons.
    pub persons: u64,
    /// Cases.
    pub cases: u64,
    /// Notes per case.
    pub notes: u64,
    /// Units.
    pub units: Vec<Uuid>,
    /// Case managers and their unit's index.
    pub managers: Vec<(Uuid, usize)>,
    /// Team members and their profession.
    pub team: Vec<(Uuid, &'static str)>,
    /// The holistic assessment template.
    pub holistic: Holistic,
}

/// The generated world's "now": 1 November 2026, 10:00 in Bangkok.
pub fn base_date() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 3, 0, 0)
        .single()
        .unwrap_or_default()
}

/// Checks the options and the database: refuses a database with a previous run, or with
/// cases unless forced.
pub async fn check(db: &Db, o: &GenOptions) -> Result<(), GenError> {
    if o.cases > 0 && o.persons == 0 {
        return Err(GenError::Invalid(
            "--persons must be at least 1 when --cases is given (every case has a client)".into(),
        ));
    }
    if o.persons > 100_000_000 || o.cases > 100_000_000 {
        return Err(GenError::Invalid(
            "--persons and --cases are limited to 100,000,000".into(),
        ));
    }
    if o.notes_per_case > 1000 {
        return Err(GenError::Invalid(
            "--notes-per-case is limited to 1000".into(),
        ));
    }
    let runs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_event WHERE action = 'gen.run'")
        .fetch_one(db.read())
        .await?;
    if runs > 0 {
        return Err(GenError::AlreadyGenerated);
    }
    let cases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_file")
        .fetch_one(db.read())
        .await?;
    if cases > 0 && !o.force {
        return Err(GenError::HasCases(cases));
    }
    Ok(())
}

const SQLITE_BULK: &[&str] = &[
    "PRAGMA foreign_keys = OFF",
    "PRAGMA synchronous = OFF",
    "PRAGMA cache_size = -1048576",
    "PRAGMA temp_store = MEMORY",
];
const SQLITE_NORMAL: &[&str] = &[
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA cache_size = -2000",
    "PRAGMA temp_store = DEFAULT",
];

/// Leaves WAL mode for a rollback journal; true when the file is in that mode. SQLite refuses
/// while another connection has the file open, which a pool's closing connections may still
/// do for a moment: the switch is retried for up to five seconds (a 1M run once stayed in
/// WAL mode and wrote a 36 GB log for want of this).
async fn rollback_journal(db: &Db) -> bool {
    for _ in 0..50 {
        let mode: Result<String, _> = sqlx::query_scalar("PRAGMA journal_mode = TRUNCATE")
            .fetch_one(db.write_pool())
            .await;
        if mode.is_ok_and(|m| m.eq_ignore_ascii_case("truncate")) {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

/// Generates the agency (after [`check`]); `progress` is called after every batch.
pub async fn run(
    db: &Db,
    o: &GenOptions,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<GenReport, GenError> {
    check(db, o).await?;
    let sqlite = db.backend() == Backend::Sqlite;
    let mut stayed_in_wal = false;
    if sqlite {
        for p in SQLITE_BULK {
            db.execute_on_writer(p).await?;
        }
        // A rollback journal instead of the write-ahead log for the run: pages added to the
        // file are written once instead of twice, and the log does not grow to the size of
        // the whole run. Needs the only connection to the file ([`Db::single_connection`]);
        // when another process has it open the run stays in WAL mode.
        stayed_in_wal = !rollback_journal(db).await;
    }
    let result = write_all(db, o, progress).await;
    if sqlite {
        for p in SQLITE_NORMAL {
            db.execute_on_writer(p).await?;
        }
        db.execute_on_writer("PRAGMA journal_mode = WAL").await?;
    }
    let mut report = result?;
    report.stayed_in_wal = stayed_in_wal;
    progress(Progress {
        phase: Phase::Finishing,
        done: 0,
        total: 1,
    });
    let t = Instant::now();
    db.execute_on_writer("ANALYZE").await?;
    report.analyze_secs = t.elapsed().as_secs_f64();
    Ok(report)
}

/// One batch from the generator thread: its tables and how many records it advances.
struct Batch {
    phase: Phase,
    records: u64,
    tables: Vec<Table>,
}

async fn write_all(
    db: &Db,
    o: &GenOptions,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<GenReport, GenError> {
    let started = Instant::now();
    let mut tx = db.begin().await?;
    let (world, mut report) = setup::setup(&mut tx, o).await?;
    let deferred = defer::drop_indexes(&mut tx, db.backend()).await?;
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Batch>(2);
    let w = world.clone();
    let generator = std::thread::spawn(move || generate(&w, &sender));
    let literal = db.backend() == Backend::Sqlite;
    let mut rows = 0u64;
    let mut done = [0u64; 2];
    let mut failed = None;
    while let Some(batch) = receiver.recv().await {
        let k = usize::from(batch.phase == Phase::Cases);
        for t in batch.tables {
            rows += t.len() as u64;
            if let Err(e) = bulk::insert(&mut tx, t, literal).await {
                failed = Some(e);
                break;
            }
        }
        if failed.is_some() {
            break;
        }
        done[k] += batch.records;
        progress(Progress {
            phase: batch.phase,
            done: done[k],
            total: if k == 0 { o.persons } else { o.cases },
        });
    }
    drop(receiver);
    let seq = generator
        .join()
        .map_err(|_| GenError::Invalid("the generator thread failed".into()))?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    progress(Progress {
        phase: Phase::Indexing,
        done: 0,
        total: deferred.index_count() as u64,
    });
    defer::restore(&mut tx, deferred).await?;
    finish(&mut tx, &world, o, &seq).await?;
    tx.commit().await?;
    report.rows = rows;
    report.write_secs = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Makes every batch (persons first, then cases); returns the last case number per year.
fn generate(
    w: &World,
    sender: &tokio::sync::mpsc::Sender<Batch>,
) -> std::collections::BTreeMap<i32, i64> {
    const PERSONS_PER_BATCH: u64 = 5_000;
    let mut j = 0;
    while j < w.persons {
        let end = (j + PERSONS_PER_BATCH).min(w.persons);
        let mut t = person::PersonTables::new();
        for k in j..end {
            let created = case::opened_at(w, case::first_case_of(w, k));
            t.push(w, &person::person(w, k, created));
        }
        let b = Batch {
            phase: Phase::Persons,
            records: end - j,
            tables: t.into_tables(),
        };
        if sender.blocking_send(b).is_err() {
            return Default::default();
        }
        j = end;
    }
    let per_batch = (20_000 / (w.notes + 2)).clamp(100, 5_000);
    let mut gen = case::CaseGen::new();
    let mut i = 0;
    while i < w.cases {
        let end = (i + per_batch).min(w.cases);
        let mut t = case::CaseTables::new();
        for k in i..end {
            gen.push(w, k, &mut t);
        }
        let b = Batch {
            phase: Phase::Cases,
            records: end - i,
            tables: t.into_tables(),
        };
        if sender.blocking_send(b).is_err() {
            break;
        }
        i = end;
    }
    gen.seq
}

/// The case-number counters (so cases created later continue the sequence) and the run's
/// audit event.
async fn finish(
    tx: &mut Tx,
    w: &World,
    o: &GenOptions,
    seq: &std::collections::BTreeMap<i32, i64>,
) -> Result<(), GenError> {
    for (year, last) in seq {
        sqlx::query("INSERT INTO case_number_seq (org_id, year_be, last_seq) VALUES ($1, $2, $3)")
            .bind(w.org_id.to_string())
            .bind(i64::from(*year))
            .bind(*last)
            .execute(&mut **tx)
            .await?;
    }
    let e = NewEvent {
        org_id: Some(w.org_id),
        actor_username: Some("karuna gen".into()),
        action: "gen.run".into(),
        entity_type: Some("org".into()),
        entity_id: Some(w.org_id.to_string()),
        outcome: "success".into(),
        reason: Some(format!(
            "seed={} persons={} cases={} notes_per_case={}",
            o.seed, o.persons, o.cases, o.notes_per_case
        )),
        ..Default::default()
    };
    append(tx, &e).await?;
    Ok(())
}
