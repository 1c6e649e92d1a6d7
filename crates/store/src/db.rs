//! Opening the database: SQLite (one writer connection, a pool of readers) or PostgreSQL (one
//! pool), behind one type, and the embedded migrations.

use crate::error::{Result, StoreError};
use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::path::Path;
use std::time::Duration;

/// A write transaction; every multi-row change runs in one.
pub type Tx = Transaction<'static, Any>;

/// Which database engine is behind the pools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file (the default).
    Sqlite,
    /// A PostgreSQL server shared by any number of `karuna serve` processes.
    Postgres,
}

/// The handle every use case goes through.
#[derive(Clone, Debug)]
pub struct Db {
    writer: AnyPool,
    reader: AnyPool,
    backend: Backend,
    /// The committer of events written on their own (see `audit_group`).
    audit: crate::audit_group::GroupCommit,
}

/// The migrations, embedded in the binary, applied in order, each in its own transaction.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "platform",
        include_str!("../migrations/0001_platform.sql"),
    ),
    (2, "intake", include_str!("../migrations/0002_intake.sql")),
    (
        3,
        "contact_participants",
        include_str!("../migrations/0003_contact_participants.sql"),
    ),
    (
        4,
        "attachment",
        include_str!("../migrations/0004_attachment.sql"),
    ),
    (5, "search", include_str!("../migrations/0005_search.sql")),
    (
        6,
        "person_match_key",
        include_str!("../migrations/0006_person_match_key.sql"),
    ),
    (
        7,
        "assessment",
        include_str!("../migrations/0007_assessment.sql"),
    ),
    (
        8,
        "case_type",
        include_str!("../migrations/0008_case_type.sql"),
    ),
    (9, "plan", include_str!("../migrations/0009_plan.sql")),
    (
        10,
        "review_closure",
        include_str!("../migrations/0010_review_closure.sql"),
    ),
    (
        11,
        "intervention_event",
        include_str!("../migrations/0011_intervention_event.sql"),
    ),
    (
        12,
        "person_merge",
        include_str!("../migrations/0012_person_merge.sql"),
    ),
    (
        15,
        "search_scope",
        include_str!("../migrations/0015_search_scope.sql"),
    ),
    (
        16,
        "case_legacy_number",
        include_str!("../migrations/0016_case_legacy_number.sql"),
    ),
    (
        17,
        "search_parts_and_months",
        include_str!("../migrations/0017_search_parts_and_months.sql"),
    ),
    (
        20,
        "login_failure",
        include_str!("../migrations/0020_login_failure.sql"),
    ),
    (
        30,
        "worklists",
        include_str!("../migrations/0030_worklists.sql"),
    ),
    (
        40,
        "case_type_template",
        include_str!("../migrations/0040_case_type_template.sql"),
    ),
    (
        50,
        "person_match_key_readings",
        include_str!("../migrations/0050_person_match_key_readings.sql"),
    ),
    (
        60,
        "attachment_links",
        include_str!("../migrations/0060_attachment_links.sql"),
    ),
    (
        61,
        "contact_time_known",
        include_str!("../migrations/0061_contact_time_known.sql"),
    ),
    (70, "task", include_str!("../migrations/0070_task.sql")),
    (
        71,
        "notification",
        include_str!("../migrations/0071_notification.sql"),
    ),
    (
        72,
        "conference",
        include_str!("../migrations/0072_conference.sql"),
    ),
    (
        73,
        "consultation",
        include_str!("../migrations/0073_consultation.sql"),
    ),
    (
        74,
        "caseload_limit",
        include_str!("../migrations/0074_caseload_limit.sql"),
    ),
    (
        75,
        "case_handover",
        include_str!("../migrations/0075_case_handover.sql"),
    ),
    (
        76,
        "supervision",
        include_str!("../migrations/0076_supervision.sql"),
    ),
    (
        77,
        "notification_digest",
        include_str!("../migrations/0077_notification_digest.sql"),
    ),
    (
        78,
        "resource_directory",
        include_str!("../migrations/0078_resource_directory.sql"),
    ),
    (
        79,
        "referral",
        include_str!("../migrations/0079_referral.sql"),
    ),
    (
        80,
        "gatekeeping",
        include_str!("../migrations/0080_gatekeeping.sql"),
    ),
    (
        81,
        "payment_receipts",
        include_str!("../migrations/0081_payment_receipts.sql"),
    ),
    (
        82,
        "dashboard_indexes",
        include_str!("../migrations/0082_dashboard_indexes.sql"),
    ),
    (
        83,
        "advocacy_report",
        include_str!("../migrations/0083_advocacy_report.sql"),
    ),
    (
        84,
        "policy_review",
        include_str!("../migrations/0084_policy_review.sql"),
    ),
    (
        85,
        "decision_support",
        include_str!("../migrations/0085_decision_support.sql"),
    ),
    (
        86,
        "case_file_opened_cover",
        include_str!("../migrations/0086_case_file_opened_cover.sql"),
    ),
    (
        87,
        "screening_model",
        include_str!("../migrations/0087_screening_model.sql"),
    ),
    (
        88,
        "emergency_access",
        include_str!("../migrations/0088_emergency_access.sql"),
    ),
    (
        89,
        "session_device",
        include_str!("../migrations/0089_session_device.sql"),
    ),
    (90, "mfa", include_str!("../migrations/0090_mfa.sql")),
    (
        91,
        "data_request",
        include_str!("../migrations/0091_data_request.sql"),
    ),
    (92, "oidc", include_str!("../migrations/0092_oidc.sql")),
];

impl Db {
    /// The SQLite URL for a data directory, creating the directory when missing.
    /// A folder it creates is readable by its owner only (0700 on Unix).
    pub fn sqlite_url_for_dir(dir: &Path) -> Result<String> {
        create_private_dir(dir).map_err(|e| StoreError::Open(format!("{}: {e}", dir.display())))?;
        let abs = dir
            .canonicalize()
            .map_err(|e| StoreError::Open(format!("{}: {e}", dir.display())))?;
        Ok(format!(
            "sqlite://{}?mode=rwc",
            abs.join("karuna.db").display()
        ))
    }

    /// Connects to `url` (`sqlite://…` or `postgres://…`). A SQLite file it creates is
    /// readable by its owner only (0600 on Unix; SQLite gives the `-wal` and `-shm` files the
    /// database file's permissions).
    pub async fn connect(url: &str) -> Result<Db> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::Open(
                "the database URL must start with sqlite: or postgres://".into(),
            ));
        };
        match backend {
            Backend::Sqlite => {
                if let Some(path) = sqlite_file(url) {
                    create_private_file(&path)
                        .map_err(|e| StoreError::Open(format!("{}: {e}", path.display())))?;
                }
                let writer = sqlite_pool(url, 1).connect(url).await?;
                let reader = sqlite_pool(url, 4).connect(url).await?;
                Ok(Db {
                    audit: crate::audit_group::GroupCommit::start(writer.clone()),
                    writer,
                    reader,
                    backend,
                })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?;
                Ok(Db {
                    audit: crate::audit_group::GroupCommit::start(pool.clone()),
                    writer: pool.clone(),
                    reader: pool,
                    backend,
                })
            }
        }
    }

    /// Which engine this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// On SQLite, closes the reader connections and returns a handle whose reads go through
    /// the writer connection too: a bulk command's only connection to the file, which lets it
    /// change file-wide settings such as the journal mode. On PostgreSQL, the same handle.
    pub async fn single_connection(self) -> Db {
        match self.backend {
            Backend::Sqlite => {
                self.reader.close().await;
                Db {
                    reader: self.writer.clone(),
                    writer: self.writer,
                    backend: self.backend,
                    audit: self.audit,
                }
            }
            Backend::Postgres => self,
        }
    }

    /// The committer of audit events written on their own.
    pub fn audit_commit(&self) -> &crate::audit_group::GroupCommit {
        &self.audit
    }

    /// The pool for reads.
    pub fn read(&self) -> &AnyPool {
        &self.reader
    }

    /// Starts a write transaction (on SQLite through the single writer connection, so writers
    /// queue in the pool instead of failing with `SQLITE_BUSY`).
    pub async fn begin(&self) -> Result<Tx> {
        Ok(self.writer.begin().await?)
    }

    /// Runs one statement outside any transaction on the writer connection (SQLite pragmas for
    /// a bulk load, `karuna gen`); on PostgreSQL on a pooled connection.
    pub async fn execute_on_writer(&self, sql: &str) -> Result<()> {
        self.writer.execute(sql).await?;
        Ok(())
    }

    /// The writer pool (a bulk command's statements that return rows outside a transaction).
    pub(crate) fn write_pool(&self) -> &AnyPool {
        &self.writer
    }

    /// True when a trivial query answers: the readiness probe.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.reader).await.is_ok()
    }

    /// Applies every migration not yet applied, then seeds the shipped assessment templates of
    /// every organisation that lacks them; returns how many migrations ran.
    pub async fn migrate(&self) -> Result<usize> {
        let ran = self.apply(MIGRATIONS).await?;
        crate::assessment::seed_shipped_all(self).await?;
        Ok(ran)
    }

    /// Applies the listed migrations not yet applied, each looked up by its own number (so
    /// gaps and numbers merged out of order are fine).
    async fn apply(&self, migrations: &[(i64, &str, &str)]) -> Result<usize> {
        self.writer
            .execute(
                "CREATE TABLE IF NOT EXISTS schema_migration (version BIGINT PRIMARY KEY, \
                 name TEXT NOT NULL, applied_at TEXT NOT NULL)",
            )
            .await?;
        let mut ran = 0;
        for (version, name, sql) in migrations {
            let mut tx = self.begin().await?;
            let done: Option<i64> =
                sqlx::query_scalar("SELECT version FROM schema_migration WHERE version = $1")
                    .bind(*version)
                    .fetch_optional(&mut *tx)
                    .await?;
            if done.is_some() {
                continue;
            }
            for statement in split_statements(&for_backend(sql, self.backend)) {
                tx.execute(statement.as_str()).await?;
            }
            if *version == 6 || *version == 50 {
                // Keys are computed in Rust (crates/thai), so existing persons get theirs here
                // (again at 50, when the key set grew).
                crate::matching::backfill(&mut tx).await?;
            }
            if *name == "search" {
                crate::search::index::backfill(&mut tx).await?;
            }
            if *version == 15 {
                crate::search::scope::backfill(&mut tx).await?;
            }
            if *version == 17 {
                crate::search::scope::backfill_parts(&mut tx).await?;
                if self.backend == Backend::Sqlite {
                    // Every document was rewritten: merge the index's segments into one.
                    tx.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
                        .await?;
                }
            }
            sqlx::query(
                "INSERT INTO schema_migration (version, name, applied_at) VALUES ($1, $2, $3)",
            )
            .bind(*version)
            .bind(*name)
            .bind(crate::time::now_db())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_insert)?;
            tx.commit().await?;
            ran += 1;
        }
        Ok(ran)
    }

    /// Closes every connection (graceful shutdown).
    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }
}

/// Creates a folder (and missing parents) readable by its owner only; an existing folder is
/// left as it is.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Creates an empty file readable by its owner only, unless it exists.
fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// The file a `sqlite:` URL names, when it names one (not `sqlite::memory:`).
fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or(url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    (!path.is_empty() && !path.starts_with(':') && !url.contains("mode=memory"))
        .then(|| std::path::PathBuf::from(path))
}

fn sqlite_pool(_url: &str, max: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                // A page cache of up to 32 MiB per connection (SQLite's default is 2 MiB),
                // filled only as pages are read: at a million notes a search reads the
                // doclists of its words and its candidates' rows, and with the default it
                // read them from the OS again on every search (see docs/PERFORMANCE.md).
                conn.execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                     PRAGMA cache_size = -32768;",
                )
                .await?;
                Ok(())
            })
        })
}

/// The lines of a migration for one backend: after a `-- backend: sqlite` or `-- backend:
/// postgres` line only that backend's, until `-- backend: all` (for what genuinely differs,
/// such as full-text search).
fn for_backend(sql: &str, backend: Backend) -> String {
    let mut keep = true;
    let mut out = String::with_capacity(sql.len());
    for line in sql.lines() {
        if let Some(which) = line.trim().strip_prefix("-- backend:") {
            keep = match which.trim() {
                "sqlite" => backend == Backend::Sqlite,
                "postgres" => backend == Backend::Postgres,
                _ => true,
            };
            continue;
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Splits a migration file into statements at semicolons that end a line; comments dropped.
fn split_statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in sql.lines() {
        let line = line.split("--").next().unwrap_or("");
        if line.trim().is_empty() {
            continue;
        }
        current.push_str(line);
        current.push('\n');
        if line.trim_end().ends_with(';') {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_numbers_are_unique_and_ascending() {
        assert!(MIGRATIONS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn splits_migration_into_statements() {
        let s =
            split_statements("-- c\nCREATE TABLE a (x TEXT); -- t\n\nCREATE INDEX i\n ON a(x);\n");
        assert_eq!(s.len(), 2);
        assert!(s[1].contains("ON a(x);"));
    }

    #[test]
    fn keeps_only_the_backends_sections() {
        let sql = "A;\n-- backend: sqlite\nB;\n-- backend: postgres\nC;\n-- backend: all\nD;\n";
        assert_eq!(for_backend(sql, Backend::Sqlite), "A;\nB;\nD;\n");
        assert_eq!(for_backend(sql, Backend::Postgres), "A;\nC;\nD;\n");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn the_data_folder_and_database_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir()
            .join(format!("karuna-perm-{}", uuid::Uuid::now_v7()))
            .join("data");
        let db = Db::connect(&Db::sqlite_url_for_dir(&dir).unwrap())
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let mode = |name: &str| {
            std::fs::metadata(dir.join(name))
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or_else(|e| panic!("{name}: {e}"))
        };
        assert_eq!(
            std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
            0o700
        );
        for file in ["karuna.db", "karuna.db-wal", "karuna.db-shm"] {
            assert_eq!(mode(file), 0o600, "{file}");
        }
        db.close().await;
        let _ = std::fs::remove_dir_all(dir.parent().unwrap());
    }

    #[test]
    fn finds_the_file_of_a_sqlite_url() {
        assert_eq!(
            sqlite_file("sqlite:///srv/k/karuna.db?mode=rwc"),
            Some("/srv/k/karuna.db".into())
        );
        assert_eq!(sqlite_file("sqlite:karuna.db"), Some("karuna.db".into()));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
    }

    #[tokio::test]
    async fn migrates_sqlite_twice_without_error() {
        let dir = std::env::temp_dir().join(format!("karuna-store-{}", uuid::Uuid::now_v7()));
        let db = Db::connect(&Db::sqlite_url_for_dir(&dir).unwrap())
            .await
            .unwrap();
        assert_eq!(db.migrate().await.unwrap(), MIGRATIONS.len());
        assert_eq!(db.migrate().await.unwrap(), 0);
        // A migration numbered below the latest applied one (merged from another branch
        // later) still runs, once.
        let late = [(5_000, "late", "CREATE TABLE late_probe (x TEXT);")];
        assert_eq!(db.apply(&late).await.unwrap(), 1);
        let late = [(4_999, "late", "CREATE TABLE gap_probe (x TEXT);")];
        assert_eq!(db.apply(&late).await.unwrap(), 1);
        assert_eq!(db.apply(&late).await.unwrap(), 0);
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
