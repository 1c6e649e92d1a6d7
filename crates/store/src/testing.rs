//! Test support shared by every crate's integration tests (not used by the application): a
//! fresh database per test on the backend chosen by `KARUNA_TEST_DB` — `sqlite` (default) in
//! a new temporary folder, or `postgres`, creating a new database on the server at
//! `KARUNA_TEST_PG_URL` (which must name an existing database the user may connect to).

use crate::error::Result;
use crate::{Db, StoreError};
use std::path::{Path, PathBuf};

/// True when the tests run against PostgreSQL.
pub fn postgres_selected() -> bool {
    std::env::var("KARUNA_TEST_DB").is_ok_and(|v| v == "postgres")
}

/// A new empty temporary folder.
pub fn temp_dir() -> Result<PathBuf> {
    let d = std::env::temp_dir().join(format!("karuna-test-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&d).map_err(|e| StoreError::Open(format!("{}: {e}", d.display())))?;
    Ok(d)
}

/// The URL of a new, empty database for one test (`dir` holds the SQLite file).
pub async fn fresh_database_url(dir: &Path) -> Result<String> {
    if !postgres_selected() {
        return Db::sqlite_url_for_dir(dir);
    }
    let admin = std::env::var("KARUNA_TEST_PG_URL")
        .map_err(|_| StoreError::Open("KARUNA_TEST_DB=postgres needs KARUNA_TEST_PG_URL".into()))?;
    let (head, _) = admin
        .rsplit_once('/')
        .ok_or_else(|| StoreError::Open("KARUNA_TEST_PG_URL must end in /database".into()))?;
    let name = format!("karuna_t_{}", uuid::Uuid::now_v7().simple());
    let db = Db::connect(&admin).await?;
    sweep_old_databases(&db).await;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(db.read())
        .await?;
    db.close().await;
    Ok(format!("{head}/{name}"))
}

/// How long a test's database is kept: far longer than the slowest test (about 30 s).
const KEEP_TEST_DATABASE: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// Drops the test databases created more than [`KEEP_TEST_DATABASE`] ago (their names carry
/// a v7 UUID, which carries the time) that no one is connected to, so that a whole run keeps
/// a few hundred megabytes on the server rather than every test's database (some 3.7 GB for
/// 490 tests). A database still in use is never dropped: PostgreSQL refuses while a session
/// is connected, and the error is ignored.
async fn sweep_old_databases(db: &Db) {
    let Ok(names) = sqlx::query_scalar::<_, String>(
        "SELECT datname::text FROM pg_database WHERE datname LIKE 'karuna\\_t\\_%'",
    )
    .fetch_all(db.read())
    .await
    else {
        return;
    };
    let now = std::time::SystemTime::now();
    for name in names {
        let created = name
            .strip_prefix("karuna_t_")
            .and_then(|hex| uuid::Uuid::try_parse(hex).ok())
            .and_then(|id| id.get_timestamp())
            .map(|t| {
                let (secs, nanos) = t.to_unix();
                std::time::UNIX_EPOCH + std::time::Duration::new(secs, nanos)
            });
        let old = created
            .and_then(|c| now.duration_since(c).ok())
            .is_some_and(|age| age > KEEP_TEST_DATABASE);
        if old {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(db.read())
                .await;
        }
    }
}

/// A connected, migrated fresh database and its folder.
pub async fn fresh_db() -> Result<(Db, PathBuf)> {
    let dir = temp_dir()?;
    let db = Db::connect(&fresh_database_url(&dir).await?).await?;
    db.migrate().await?;
    Ok((db, dir))
}
