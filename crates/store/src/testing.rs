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
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(db.read())
        .await?;
    db.close().await;
    Ok(format!("{head}/{name}"))
}

/// A connected, migrated fresh database and its folder.
pub async fn fresh_db() -> Result<(Db, PathBuf)> {
    let dir = temp_dir()?;
    let db = Db::connect(&fresh_database_url(&dir).await?).await?;
    db.migrate().await?;
    Ok((db, dir))
}
