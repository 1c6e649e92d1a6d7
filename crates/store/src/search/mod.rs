//! Full-text search inside the database: SQLite FTS5 or PostgreSQL `tsvector` over the same
//! segmented tokens (module `text`), kept current in each write's transaction (module
//! `index`). The case list's need-to-know predicate is part of the query, before ranking,
//! counting and paging; person documents of a sensitive case are only searched for those who
//! may see its client's identity.

pub mod index;
mod rank;
pub mod scope;
pub mod synthetic;
pub mod text;

use crate::case_list::{scope_sql, ClientName, Scope};
use crate::db::{Backend, Db};
use crate::error::Result;
use crate::row::{date_db, flag, uuid};
use chrono::NaiveDate;
use sqlx::Row;
use text::ParsedQuery;
use uuid::Uuid;

/// Counts stop here (shown as "more than …").
pub const COUNT_CAP: i64 = 1000;

/// Search filters, on the case (type, status, unit) and on the document's date.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    /// Case type code.
    pub case_type: Option<String>,
    /// Case status code.
    pub status: Option<String>,
    /// The case's unit.
    pub unit_id: Option<Uuid>,
    /// Documents dated on or after this day.
    pub from: Option<NaiveDate>,
    /// Documents dated on or before this day.
    pub to: Option<NaiveDate>,
    /// Only this kind of record (`contact`, `case`, `person`).
    pub entity_type: Option<String>,
}

/// One hit, with what a result line shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// `contact`, `case`, `person`.
    pub entity_type: String,
    /// The record.
    pub entity_id: Uuid,
    /// Its case.
    pub case_id: Uuid,
    /// The case number.
    pub case_number: String,
    /// The case status.
    pub case_status: String,
    /// The case's unit.
    pub unit_id: Uuid,
    /// The case manager.
    pub manager_id: Uuid,
    /// The case is sensitive.
    pub sensitive: bool,
    /// The client's name parts.
    pub client: ClientName,
    /// The document's date (stored instant text).
    pub doc_date: String,
    /// The document's text (for the snippet).
    pub text: String,
}

/// A page of hits and how many there are in all (up to [`COUNT_CAP`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPage {
    /// The hits, best first.
    pub hits: Vec<Hit>,
    /// Hits in all, at most [`COUNT_CAP`].
    pub total: i64,
    /// There are more than [`COUNT_CAP`].
    pub more: bool,
}

/// When more documents match, the newest this many are ranked: ranking every match of a
/// common word in a national database would cost more than a search may. One more than
/// [`COUNT_CAP`], so the ranked candidates also give the count, in the same query.
pub const RANK_CAP: i64 = COUNT_CAP + 1;

/// The FROM clause, match condition and the newest-first key of each backend; `$4` is the
/// query.
fn backend_sql(backend: Backend) -> (&'static str, &'static str, &'static str) {
    match backend {
        Backend::Sqlite => (
            "search_fts JOIN search_doc d ON d.rid = search_fts.rowid",
            "search_fts MATCH $4",
            "search_fts.rowid",
        ),
        Backend::Postgres => ("search_doc d", "d.tsv @@ CAST($4 AS tsquery)", "d.rid"),
    }
}

/// The index condition of a date filter with both ends: its month tokens, quoted with `quote`
/// and joined with `or`, after `open`; empty without one (or for a range too long for it).
/// The date column is checked as well, to the day.
fn months(f: &SearchFilter, open: &str, quote: &str, or: &str) -> String {
    let (Some(from), Some(to)) = (f.from, f.to) else {
        return String::new();
    };
    match text::month_tokens(from, to) {
        Some(ms) => {
            let quoted: Vec<String> = ms.iter().map(|m| format!("{quote}{m}{quote}")).collect();
            format!("{open}{})", quoted.join(or))
        }
        None => String::new(),
    }
}

/// Hits for `q` in the cases of `scope`, filtered; `offset`/`limit` page them.
pub async fn search(
    db: &Db,
    scope: Scope,
    q: &ParsedQuery,
    f: &SearchFilter,
    limit: i64,
    offset: i64,
) -> Result<SearchPage> {
    if q.is_empty() {
        return Ok(SearchPage {
            hits: Vec::new(),
            total: 0,
            more: false,
        });
    }
    let (from, matches, newest) = backend_sql(db.backend());
    let mut binds: Vec<String> = vec![
        scope.org_id.to_string(),
        scope.actor_id.to_string(),
        scope
            .supervisor_unit
            .map(|u| u.to_string())
            .unwrap_or_default(),
        // The words AND the user's access tokens (the index returns her cases' documents only)
        // AND, for a date range, its months.
        match db.backend() {
            Backend::Sqlite => format!(
                "({}) AND {}{}",
                q.fts5(),
                scope::fts5_filter(scope),
                months(f, " AND (", "\"", " OR ")
            ),
            Backend::Postgres => format!(
                "({}) & {}{}",
                q.tsquery(),
                scope::tsquery_filter(scope),
                months(f, " & (", "'", " | ")
            ),
        },
    ];
    // The cases the user may open, filtered: one set, built once per query, that each
    // matching document is checked against (before ranking, counting and paging).
    let mut case_conds = vec![scope_sql(1)];
    let mut doc_conds = vec![
        matches.to_string(),
        // Names and numbers of persons on a sensitive case: only for who may see its client.
        "(d.entity_type <> 'person' OR c.sensitive = 0 OR c.manager_id = $2 OR c.unit_id = $3)"
            .to_string(),
    ];
    let mut param = |v: String| {
        binds.push(v);
        format!("${}", binds.len())
    };
    if let Some(t) = &f.case_type {
        case_conds.push(format!(
            "(',' || c.case_types || ',') LIKE {}",
            param(format!("%,{t},%"))
        ));
    }
    if let Some(s) = &f.status {
        case_conds.push(format!("c.status = {}", param(s.clone())));
    }
    if let Some(u) = f.unit_id {
        case_conds.push(format!("c.unit_id = {}", param(u.to_string())));
    }
    if let Some(e) = &f.entity_type {
        doc_conds.push(format!("d.entity_type = {}", param(e.clone())));
    }
    if let Some(d) = f.from {
        doc_conds.push(format!("d.doc_date >= {}", param(date_db(d))));
    }
    if let Some(d) = f.to.and_then(|d| d.succ_opt()) {
        doc_conds.push(format!("d.doc_date < {}", param(date_db(d))));
    }
    let patterns: Vec<String> = rank::patterns(q).into_iter().map(&mut param).collect();
    let bound_before_patterns = binds.len() - patterns.len();
    // Each candidate is checked against its case (the scope predicate again, and the filters).
    let from = format!("{from} JOIN case_file c ON c.id = d.case_id");
    let where_ = format!(
        "{} AND {}",
        doc_conds.join(" AND "),
        case_conds.join(" AND ")
    );
    // The newest RANK_CAP candidates are ranked (module `rank`) and counted; ids only, the
    // page's text and case columns are read for its rows alone.
    let sql = format!(
        "SELECT d.entity_type, d.entity_id, d.case_id, d.doc_date, d.text, c.number, c.status, c.unit_id, \
         c.manager_id, c.sensitive, p.prefix, p.first_name_th, p.last_name_th, p.first_name_latin, \
         p.last_name_latin, p.nickname, h.total FROM (SELECT r.rid, {score} AS score, r.doc_date, \
         r.entity_id, r.case_id, COUNT(*) OVER () AS total FROM \
         (SELECT d.rid, d.doc_date, d.entity_id, d.case_id, {columns} \
         FROM {from} WHERE {where_} ORDER BY {newest} DESC LIMIT {RANK_CAP}) r \
         ORDER BY score DESC, r.doc_date DESC, r.entity_id DESC, r.case_id DESC \
         LIMIT {} OFFSET {}) h JOIN search_doc d ON d.rid = h.rid JOIN case_file c ON c.id = d.case_id \
         JOIN person p ON p.id = c.client_id \
         ORDER BY h.score DESC, h.doc_date DESC, h.entity_id DESC, h.case_id DESC",
        limit.clamp(1, 100),
        offset.clamp(0, COUNT_CAP),
        score = rank::score(patterns.len()),
        columns = rank::columns(db.backend(), &patterns),
    );
    let mut query = sqlx::query(&sql);
    for b in &binds {
        query = query.bind(b.clone());
    }
    let rows = query.fetch_all(db.read()).await?;
    let counted: Option<i64> = rows.first().map(|r| r.try_get("total")).transpose()?;
    let hits = rows
        .iter()
        .map(|r| {
            Ok(Hit {
                entity_type: r.try_get("entity_type")?,
                entity_id: uuid(r, "entity_id")?,
                case_id: uuid(r, "case_id")?,
                case_number: r.try_get("number")?,
                case_status: r.try_get("status")?,
                unit_id: uuid(r, "unit_id")?,
                manager_id: uuid(r, "manager_id")?,
                sensitive: flag(r, "sensitive")?,
                client: ClientName {
                    prefix: r.try_get("prefix")?,
                    first_th: r.try_get("first_name_th")?,
                    last_th: r.try_get("last_name_th")?,
                    first_latin: r.try_get("first_name_latin")?,
                    last_latin: r.try_get("last_name_latin")?,
                    nickname: r.try_get("nickname")?,
                },
                doc_date: r.try_get("doc_date")?,
                text: r.try_get("text")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let total = match counted {
        Some(n) => n,
        None if offset <= 0 => 0,
        // A page past the end: the count needs a query of its own.
        None => {
            let count_sql = format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM {from} WHERE {where_} LIMIT {RANK_CAP}) t"
            );
            let mut query = sqlx::query_scalar::<_, i64>(&count_sql);
            // The ranking patterns, bound last, are not part of this statement.
            for b in binds.into_iter().take(bound_before_patterns) {
                query = query.bind(b);
            }
            query.fetch_one(db.read()).await?
        }
    };
    Ok(SearchPage {
        hits,
        total: total.min(COUNT_CAP),
        more: total > COUNT_CAP,
    })
}
