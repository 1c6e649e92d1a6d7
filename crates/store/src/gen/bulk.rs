//! Rows collected per table and written by multi-row `INSERT`s: on PostgreSQL prepared (the
//! same statement text for every full chunk, so the driver prepares it once per table); on
//! SQLite as SQL literals, because binding each value through sqlx's `Any` driver (into
//! `AnyArguments`, then SQLite's arguments, on the async thread) cost more than SQLite's own
//! work — the generated values are made here, never typed by a user, and every text value is
//! quoted by [`push_literal`].

use crate::db::Tx;
use crate::error::Result;

/// One value of a generated row.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    /// Text.
    T(String),
    /// Integer.
    I(i64),
    /// SQL NULL (a text column).
    N,
}

impl From<String> for V {
    fn from(s: String) -> V {
        V::T(s)
    }
}

impl From<&str> for V {
    fn from(s: &str) -> V {
        V::T(s.to_string())
    }
}

impl From<i64> for V {
    fn from(i: i64) -> V {
        V::I(i)
    }
}

impl From<Option<String>> for V {
    fn from(s: Option<String>) -> V {
        s.map_or(V::N, V::T)
    }
}

/// The rows of one table, flattened.
#[derive(Debug, Clone)]
pub struct Table {
    /// Table name.
    pub name: &'static str,
    /// Column names.
    pub cols: &'static [&'static str],
    /// Values, row after row.
    pub values: Vec<V>,
}

impl Table {
    /// An empty table.
    pub fn new(name: &'static str, cols: &'static [&'static str]) -> Table {
        Table {
            name,
            cols,
            values: Vec::new(),
        }
    }

    /// Adds a row (exactly one value per column).
    pub fn push(&mut self, row: Vec<V>) {
        debug_assert_eq!(row.len(), self.cols.len(), "{}", self.name);
        self.values.extend(row);
    }

    /// Rows held.
    pub fn len(&self) -> usize {
        self.values.len() / self.cols.len().max(1)
    }

    /// No rows.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Rows per statement: as many as fit under both databases' bound-parameter limits (SQLite
/// 32,766, PostgreSQL 65,535), at most 500.
fn rows_per_statement(cols: usize) -> usize {
    (30_000 / cols.max(1)).clamp(1, 500)
}

fn insert_sql(t: &Table, rows: usize) -> String {
    let w = t.cols.len();
    let mut sql = format!("INSERT INTO {} ({}) VALUES ", t.name, t.cols.join(", "));
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..w {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(r * w + c + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

/// Appends `v` to `sql` as an SQL literal: a text value single-quoted with its quotes doubled.
fn push_literal(sql: &mut String, v: &V) {
    match v {
        V::T(s) => {
            sql.push('\'');
            for part in s.split_inclusive('\'') {
                sql.push_str(part);
                if part.ends_with('\'') {
                    sql.push('\'');
                }
            }
            sql.push('\'');
        }
        V::I(i) => sql.push_str(&i.to_string()),
        V::N => sql.push_str("NULL"),
    }
}

/// About this many bytes of SQL per literal statement.
const LITERAL_STATEMENT_BYTES: usize = 1 << 20;

/// Writes a table's rows as literal multi-row statements of about a mebibyte each.
async fn insert_literal(tx: &mut Tx, t: Table) -> Result<()> {
    let w = t.cols.len();
    let head = format!("INSERT INTO {} ({}) VALUES ", t.name, t.cols.join(", "));
    let mut sql = String::with_capacity(LITERAL_STATEMENT_BYTES + 4096);
    for row in t.values.chunks(w) {
        if sql.is_empty() {
            sql.push_str(&head);
        } else {
            sql.push_str(", ");
        }
        sql.push('(');
        for (c, v) in row.iter().enumerate() {
            if c > 0 {
                sql.push_str(", ");
            }
            push_literal(&mut sql, v);
        }
        sql.push(')');
        if sql.len() >= LITERAL_STATEMENT_BYTES {
            sqlx::raw_sql(&sql).execute(&mut **tx).await?;
            sql.clear();
        }
    }
    if !sql.is_empty() {
        sqlx::raw_sql(&sql).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Writes a table's rows in multi-row statements: literal ones when `literal` (SQLite),
/// prepared ones otherwise.
pub async fn insert(tx: &mut Tx, t: Table, literal: bool) -> Result<()> {
    let w = t.cols.len();
    if w == 0 || t.values.is_empty() {
        return Ok(());
    }
    if literal {
        return insert_literal(tx, t).await;
    }
    let per = rows_per_statement(w);
    let full_sql = insert_sql(&t, per);
    let mut values = t.values.into_iter();
    let mut left = values.len() / w;
    while left > 0 {
        let n = left.min(per);
        let tail_sql;
        let sql = if n == per {
            &full_sql
        } else {
            tail_sql = insert_sql(
                &Table {
                    name: t.name,
                    cols: t.cols,
                    values: Vec::new(),
                },
                n,
            );
            &tail_sql
        };
        let mut q = sqlx::query(sql);
        for v in values.by_ref().take(n * w) {
            q = match v {
                V::T(s) => q.bind(s),
                V::I(i) => q.bind(i),
                V::N => q.bind(None::<String>),
            };
        }
        q.execute(&mut **tx).await?;
        left -= n;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_numbered_placeholders() {
        let t = Table::new("t", &["a", "b"]);
        assert_eq!(
            insert_sql(&t, 2),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
        assert_eq!(rows_per_statement(7), 500);
        assert_eq!(rows_per_statement(100), 300);
    }

    #[test]
    fn quotes_literals() {
        let mut sql = String::new();
        for v in [V::from("it's 'x'"), V::I(-3), V::N, V::from("")] {
            push_literal(&mut sql, &v);
            sql.push(',');
        }
        assert_eq!(sql, "'it''s ''x''',-3,NULL,'',");
    }
}
