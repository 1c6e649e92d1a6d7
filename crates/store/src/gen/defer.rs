//! Index work deferred to the end of a `karuna gen` run, inside its one transaction: the
//! secondary indexes of the tables the generator fills are dropped after the setup and made
//! again, each in one sorted pass, before the commit — instead of one random B-tree insert
//! per row and index. On SQLite the FTS5 index is filled the same way, by one
//! `INSERT … SELECT` over the new search documents instead of a trigger per row.
//!
//! The definitions are read from the database's own catalogue and replayed as they were, so
//! the schema after a run is exactly the migrations' one. Indexes behind a constraint
//! (primary keys, `UNIQUE` in a table definition) stay: they guard the data while it is
//! written. An interrupted run rolls the drops back with everything else (DDL is
//! transactional on both databases).

use super::case::CaseTables;
use super::person::PersonTables;
use crate::db::{Backend, Tx};
use crate::error::Result;
use sqlx::Row;

/// The tables the generator writes row by row: read off its own table sets, so a table it
/// learns to fill is deferred too.
fn bulk_tables() -> Vec<&'static str> {
    PersonTables::new()
        .into_tables()
        .into_iter()
        .chain(CaseTables::new().into_tables())
        .map(|t| t.name)
        .collect()
}

/// What was dropped, to make again.
#[derive(Debug, Default)]
pub struct Deferred {
    /// `CREATE INDEX` statements, as the catalogue holds them.
    indexes: Vec<String>,
    /// SQLite: the FTS5 insert trigger's definition and the last search document before the
    /// run.
    fts: Option<(String, i64)>,
}

impl Deferred {
    /// Indexes that will be made again at the end.
    pub fn index_count(&self) -> usize {
        self.indexes.len()
    }
}

/// Drops the bulk tables' secondary indexes (and on SQLite the FTS5 insert trigger).
pub async fn drop_indexes(tx: &mut Tx, backend: Backend) -> Result<Deferred> {
    let mut d = Deferred::default();
    let tables = bulk_tables()
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let list_sql = match backend {
        Backend::Sqlite => format!(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
             AND tbl_name IN ({tables}) ORDER BY name"
        ),
        Backend::Postgres => format!(
            "SELECT indexname::text AS name, indexdef AS sql FROM pg_indexes \
             WHERE schemaname = current_schema() AND tablename IN ({tables}) \
             AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname"
        ),
    };
    let rows = sqlx::query(&list_sql).fetch_all(&mut **tx).await?;
    for r in rows {
        let name: String = r.try_get("name")?;
        let sql: String = r.try_get("sql")?;
        sqlx::query(&format!("DROP INDEX {name}"))
            .execute(&mut **tx)
            .await?;
        d.indexes.push(sql);
    }
    if backend == Backend::Sqlite {
        let trigger: Option<String> = sqlx::query_scalar(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'search_doc_ai'",
        )
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(sql) = trigger {
            let last: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(rid), 0) FROM search_doc")
                .fetch_one(&mut **tx)
                .await?;
            sqlx::query("DROP TRIGGER search_doc_ai")
                .execute(&mut **tx)
                .await?;
            d.fts = Some((sql, last));
        }
    }
    Ok(d)
}

/// Makes again what [`drop_indexes`] dropped: the FTS5 rows of the new documents, the
/// trigger, then every index.
pub async fn restore(tx: &mut Tx, d: Deferred) -> Result<()> {
    if let Some((trigger, last)) = d.fts {
        sqlx::query("INSERT INTO search_fts (rowid, body) SELECT rid, body FROM search_doc WHERE rid > $1 ORDER BY rid")
            .bind(last)
            .execute(&mut **tx)
            .await?;
        sqlx::query(&trigger).execute(&mut **tx).await?;
    }
    for sql in d.indexes {
        sqlx::query(&sql).execute(&mut **tx).await?;
    }
    Ok(())
}
