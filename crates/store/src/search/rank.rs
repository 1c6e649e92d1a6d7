//! Ranking, the same on both databases. Every candidate holds every searched term (they are
//! AND-ed), so what tells candidates apart is how often each term occurs and how long the
//! document is: BM25's term-frequency saturation and length normalisation, without its
//! inverse document frequency. FTS5's `bm25()` computes that frequency by reading the whole
//! index entry of every term on each search (at a million notes, 7–15 ms for a common word,
//! growing with the database), and PostgreSQL's `ts_rank` has none; this score is computed in
//! SQL over the candidates' stored bodies only, with the same arithmetic on both engines, so
//! both order hits alike.
//!
//! A term's frequency is the number of times its pattern occurs in the body padded with
//! spaces: ` word ` for a word, ` word` for a prefix (a token starting with it), ` w1 w2 ` for
//! a phrase; counted as (bytes of the body − bytes without the pattern) / bytes of the pattern.

use super::text::{ParsedQuery, Term};
use crate::db::Backend;

/// BM25's saturation constant.
const K1: f64 = 1.2;
/// BM25's weight of document length.
const B: f64 = 0.75;
/// A typical body, in bytes (a few Thai sentences and the access tokens).
const TYPICAL_BYTES: f64 = 1200.0;

/// The counting pattern of each term, in the order of `q.terms`.
pub(super) fn patterns(q: &ParsedQuery) -> Vec<String> {
    q.terms
        .iter()
        .map(|t| match t {
            Term::Word {
                token,
                prefix: false,
            } => format!(" {token} "),
            Term::Word {
                token,
                prefix: true,
            } => format!(" {token}"),
            Term::Phrase(ts) => format!(" {} ", ts.join(" ")),
        })
        .collect()
}

fn bytes(backend: Backend, expr: &str) -> String {
    match backend {
        Backend::Sqlite => format!("length(CAST({expr} AS BLOB))"),
        Backend::Postgres => format!("octet_length(CAST({expr} AS TEXT))"),
    }
}

/// The candidate columns ranking needs (`len`, `tf0`, `tf1`, …), each term's pattern bound at
/// the parameter numbers in `params`; `d` is the candidate's `search_doc` row.
pub(super) fn columns(backend: Backend, params: &[String]) -> String {
    let padded = "(' ' || d.body || ' ')";
    let mut out = format!("{} AS len", bytes(backend, "d.body"));
    for (i, p) in params.iter().enumerate() {
        let without = format!("replace({padded}, CAST({p} AS TEXT), '')");
        out.push_str(&format!(
            ", ({} - {}) / {} AS tf{i}",
            bytes(backend, padded),
            bytes(backend, &without),
            bytes(backend, p)
        ));
    }
    out
}

/// The score of a candidate row `r` with `n` term columns: higher is better.
pub(super) fn score(n: usize) -> String {
    let norm = format!(
        "{K1:?} * ({:?} + {B:?} * CAST(r.len AS DOUBLE PRECISION) / {TYPICAL_BYTES:?})",
        1.0 - B
    );
    let parts: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "CAST(r.tf{i} AS DOUBLE PRECISION) / (CAST(r.tf{i} AS DOUBLE PRECISION) + {norm})"
            )
        })
        .collect();
    match parts.is_empty() {
        true => "0.0".to_string(),
        false => parts.join(" + "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::text::parse_query;

    #[test]
    fn patterns_match_whole_tokens_prefixes_and_phrases() {
        let q = parse_query("ผู้เสียหาย lin* \"ได้รับ การ\"");
        assert_eq!(patterns(&q), [" ผู้เสียหาย ", " lin", " ได้รับ การ "]);
    }

    #[test]
    fn the_score_adds_one_saturated_part_per_term() {
        assert_eq!(score(0), "0.0");
        let s = score(2);
        assert_eq!(s.matches(" / (CAST(r.tf").count(), 2);
        assert!(s.contains("1.2 * (0.25 + 0.75 * CAST(r.len AS DOUBLE PRECISION) / 1200.0)"));
        assert!(columns(Backend::Sqlite, &["$5".into()]).contains("AS tf0"));
        assert!(columns(Backend::Postgres, &["$5".into()]).starts_with("octet_length"));
    }
}
