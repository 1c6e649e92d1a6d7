//! Rows collected per table and written by multi-row prepared `INSERT`s (the same statement
//! text for every full chunk, so the driver prepares it once per table).

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

/// Writes a table's rows in multi-row statements.
pub async fn insert(tx: &mut Tx, t: Table) -> Result<()> {
    let w = t.cols.len();
    if w == 0 || t.values.is_empty() {
        return Ok(());
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
}
