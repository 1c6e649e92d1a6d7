//! What `karuna backup` and `karuna restore` ask of the database itself: a consistent copy of
//! a SQLite database into a file while writers go on, and whether a database is empty (a
//! restore never writes over one that is not).

use crate::db::{Backend, Db};
use crate::error::{Result, StoreError};
use std::path::Path;

/// Copies a SQLite database into `path` with `VACUUM INTO` on a reading connection: one read
/// transaction, so the copy is the database at one instant while writers go on (WAL), and
/// compacted. PostgreSQL is copied with `pg_dump`, not here.
pub async fn sqlite_copy(db: &Db, path: &Path) -> Result<()> {
    if db.backend() != Backend::Sqlite {
        return Err(StoreError::Open("VACUUM INTO is SQLite's".into()));
    }
    sqlx::query("VACUUM INTO $1")
        .bind(path.to_string_lossy().to_string())
        .execute(db.read())
        .await?;
    Ok(())
}

/// True when the database holds no table yet (a fresh target for a restore).
pub async fn is_empty(db: &Db) -> Result<bool> {
    let sql = match db.backend() {
        Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
        Backend::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"
        }
    };
    let n: i64 = sqlx::query_scalar(sql).fetch_one(db.read()).await?;
    Ok(n == 0)
}
