//! Text for the search index, the same on both databases: normalised tokens (lowercase, Thai
//! digits as ASCII, letters, digits and marks only), the user's query parsed into terms that
//! are never passed through as FTS syntax, and highlighted snippets built in Rust.

use karuna_thai::segment::{segment_into, sub_words};
use std::collections::HashSet;

/// Queries longer than this many characters are cut (and the caller is told).
pub const MAX_QUERY_CHARS: usize = 256;
/// At most this many terms are searched; more are dropped (and the caller is told).
pub const MAX_TERMS: usize = 16;
/// Tokens longer than this many bytes are cut at a character boundary (PostgreSQL's lexeme
/// limit is 2046 bytes).
const MAX_TOKEN_BYTES: usize = 240;

/// Whether `ch` is a combining mark kept inside a token (Thai vowels and tone marks above and
/// below, Latin combining diacritics).
fn is_mark(ch: char) -> bool {
    matches!(ch as u32, 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E | 0x0300..=0x036F)
}

/// Normalises one segmenter token for the index; `None` when it has no letter or digit.
pub fn normalize_token(tok: &str) -> Option<String> {
    let mut out = String::with_capacity(tok.len());
    let mut any = false;
    for ch in tok.chars() {
        let ch = match ch as u32 {
            cp @ 0x0E50..=0x0E59 => char::from(b'0' + (cp - 0x0E50) as u8),
            _ => ch,
        };
        let keep = if ch.is_alphanumeric() {
            any = true;
            true
        } else {
            is_mark(ch)
        };
        if keep {
            if out.len() + ch.len_utf8() * 3 > MAX_TOKEN_BYTES {
                break;
            }
            out.extend(ch.to_lowercase());
        }
    }
    any.then_some(out)
}

/// Every index token of `text`, in order.
pub fn tokens(text: &str) -> Vec<String> {
    let mut ranges = Vec::new();
    segment_into(text, &mut ranges);
    ranges
        .iter()
        .filter_map(|&(s, e)| text.get(s..e))
        .filter_map(normalize_token)
        .collect()
}

/// The indexed body: the tokens of `text`, then `extra` tokens, then the parts of their
/// compounds, separated by single spaces.
pub fn body(text: &str, extra: &[String]) -> String {
    let mut all = tokens(text);
    all.extend(extra.iter().filter_map(|t| normalize_token(t)));
    add_parts(&mut all);
    all.join(" ")
}

/// Date ranges of at most this many months are matched by the index's month tokens; longer
/// ones by the date column alone.
pub const MAX_RANGE_MONTHS: usize = 36;

/// The month token of a document dated `doc_date` (a stored instant, `YYYY-MM-…`, UTC):
/// `zd` + year + month. Every body ends with it (before the access tokens), so a date filter
/// is also an index term and the index returns only the months asked for.
pub fn month_token(doc_date: &str) -> Option<String> {
    let b = doc_date.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    (digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7))
        .then(|| format!("zd{}{}", &doc_date[..4], &doc_date[5..7]))
}

/// `body` with the month token of `doc_date` appended (once).
pub fn with_month(body: String, doc_date: &str) -> String {
    match month_token(doc_date) {
        Some(m) if !body.split(' ').any(|t| t == m) => {
            if body.is_empty() {
                m
            } else {
                format!("{body} {m}")
            }
        }
        _ => body,
    }
}

/// The month tokens of the days `from` to `to` (both included, compared like stored
/// instants), or `None` when the range spans more than [`MAX_RANGE_MONTHS`] months.
pub fn month_tokens(from: chrono::NaiveDate, to: chrono::NaiveDate) -> Option<Vec<String>> {
    use chrono::Datelike;
    let index = |d: chrono::NaiveDate| d.year() * 12 + d.month0() as i32;
    let (a, b) = (index(from), index(to));
    if b < a || (b - a) as usize >= MAX_RANGE_MONTHS {
        return None;
    }
    Some(
        (a..=b)
            .map(|m| format!("zd{:04}{:02}", m.div_euclid(12), m.rem_euclid(12) + 1))
            .collect(),
    )
}

/// The tokens of `text` joined, without the parts of compounds: for bulk writers that build
/// a body from pieces and finish it once with [`with_parts`].
pub fn token_body(text: &str) -> String {
    tokens(text).join(" ")
}

/// A body of tokens (pieces of [`token_body`] joined by spaces) finished as [`body`] makes
/// it: the parts of its compounds appended.
pub fn with_parts(tokens: &str) -> String {
    let mut all: Vec<String> = tokens
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    add_parts(&mut all);
    all.join(" ")
}

/// Appends the parts of the compounds among `tokens` (`karuna_thai::segment::sub_words`:
/// ผู้เสียหาย gives ผู้ and เสียหาย) that are not already there, so a search for a part finds
/// the compound. They go after the text, so phrases still match only the words as written.
/// Applying it again adds nothing.
pub fn add_parts(tokens: &mut Vec<String>) {
    let mut seen: HashSet<String> = tokens.iter().cloned().collect();
    let mut parts = Vec::new();
    for t in tokens.iter() {
        for p in sub_words(t).into_iter().filter_map(normalize_token) {
            if seen.insert(p.clone()) {
                parts.push(p);
            }
        }
    }
    tokens.extend(parts);
}

/// One searched term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A word; with `prefix`, any word starting with it.
    Word {
        /// The normalised token.
        token: String,
        /// Prefix search (`word*`).
        prefix: bool,
    },
    /// Words that must be adjacent, in order (`"…"`).
    Phrase(Vec<String>),
}

/// A user's query as terms, all of which must match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedQuery {
    /// The terms, AND-ed.
    pub terms: Vec<Term>,
    /// The query was longer than [`MAX_QUERY_CHARS`] or had more than [`MAX_TERMS`] terms.
    pub truncated: bool,
}

impl ParsedQuery {
    /// No searchable word (empty, punctuation or marks only).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The FTS5 MATCH expression: every token double-quoted, so nothing is FTS syntax.
    pub fn fts5(&self) -> String {
        let parts: Vec<String> = self
            .terms
            .iter()
            .map(|t| match t {
                Term::Word { token, prefix } => {
                    format!("\"{token}\"{}", if *prefix { " *" } else { "" })
                }
                Term::Phrase(ts) => format!("\"{}\"", ts.join(" ")),
            })
            .collect();
        parts.join(" AND ")
    }

    /// The PostgreSQL tsquery text: quoted lexemes, `:*` for prefixes, `<->` inside phrases.
    pub fn tsquery(&self) -> String {
        let parts: Vec<String> = self
            .terms
            .iter()
            .map(|t| match t {
                Term::Word { token, prefix } => {
                    format!("'{token}'{}", if *prefix { ":*" } else { "" })
                }
                Term::Phrase(ts) => {
                    let q: Vec<String> = ts.iter().map(|x| format!("'{x}'")).collect();
                    format!("({})", q.join(" <-> "))
                }
            })
            .collect();
        parts.join(" & ")
    }

    fn push(&mut self, t: Term) {
        if self.terms.contains(&t) {
            return;
        }
        if self.terms.len() >= MAX_TERMS {
            self.truncated = true;
        } else {
            self.terms.push(t);
        }
    }
}

/// Digits of a chunk made only of digits and number punctuation (`081-234-5678`,
/// `1-1037-00123-45-6`), joined: how phones and ID numbers are indexed.
fn digits_only(chunk: &str) -> Option<String> {
    let mut out = String::new();
    for ch in chunk.chars() {
        match ch as u32 {
            0x30..=0x39 => out.push(ch),
            cp @ 0x0E50..=0x0E59 => out.push(char::from(b'0' + (cp - 0x0E50) as u8)),
            _ if matches!(ch, '-' | '.' | '(' | ')' | '/' | '+' | ' ') => {}
            _ => return None,
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Operator words a user may type expecting search syntax; ignored (all terms are AND-ed).
const OPERATORS: [&str; 4] = ["AND", "OR", "NOT", "NEAR"];

/// Parses a user's query: `"quoted phrases"` (an unclosed quote runs to the end), words
/// AND-ed, a trailing `*` for prefix search, numbers with dashes joined; every other
/// punctuation character is dropped, so user-typed FTS syntax is just text.
pub fn parse_query(q: &str) -> ParsedQuery {
    let mut out = ParsedQuery::default();
    let q: String = if q.chars().count() > MAX_QUERY_CHARS {
        out.truncated = true;
        let cut: String = q.chars().take(MAX_QUERY_CHARS).collect();
        // Not in the middle of a word: back to the last space, when there is one.
        let whole_word = q[cut.len()..].starts_with(char::is_whitespace);
        match cut.rfind(char::is_whitespace) {
            Some(i) if !whole_word => cut[..i].to_string(),
            _ => cut,
        }
    } else {
        q.to_string()
    };
    // A whole query that is a phone number in any Thai format.
    if let Ok(e164) = karuna_thai::phone::normalize_phone(q.trim()) {
        if q.chars().any(|c| c.is_ascii_digit()) {
            out.push(Term::Word {
                token: e164.trim_start_matches('+').to_string(),
                prefix: false,
            });
            return out;
        }
    }
    for (i, part) in q.split(['"', '\u{201C}', '\u{201D}']).enumerate() {
        if i % 2 == 1 {
            let ts = tokens(part);
            match ts.len() {
                0 => {}
                1 => out.push(Term::Word {
                    token: ts.into_iter().next().unwrap_or_default(),
                    prefix: false,
                }),
                _ => out.push(Term::Phrase(ts)),
            }
            continue;
        }
        for chunk in part.split_whitespace() {
            if OPERATORS.contains(&chunk) {
                continue;
            }
            let prefix = chunk.ends_with('*');
            let bare = chunk.trim_end_matches('*');
            if let Some(d) = digits_only(bare) {
                out.push(Term::Word { token: d, prefix });
                continue;
            }
            let ts = tokens(bare);
            let punctuated = bare.chars().any(|c| c.is_ascii_punctuation() && c != '*');
            if ts.len() > 1 && punctuated {
                out.push(Term::Phrase(ts));
                continue;
            }
            let n = ts.len();
            for (k, token) in ts.into_iter().enumerate() {
                out.push(Term::Word {
                    token,
                    prefix: prefix && k + 1 == n,
                });
            }
        }
    }
    out
}

/// A piece of a snippet: text, and whether it is a hit to mark.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SnippetPart {
    /// The text, unescaped (templates escape it).
    pub text: String,
    /// Part of a matched term.
    pub hit: bool,
}

/// Whether a token of the text is, or is a compound with a part that is, a searched word.
fn is_hit(token: &str, terms: &[Term]) -> bool {
    matches_term(token, terms)
        || sub_words(token)
            .into_iter()
            .filter_map(normalize_token)
            .any(|p| matches_term(&p, terms))
}

fn matches_term(token: &str, terms: &[Term]) -> bool {
    terms.iter().any(|t| match t {
        Term::Word { token: w, prefix } => {
            if *prefix {
                token.starts_with(w.as_str())
            } else {
                token == w
            }
        }
        Term::Phrase(ts) => ts.iter().any(|w| w == token),
    })
}

/// A window of about `max_chars` characters of `text` around its first hit, as plain and hit
/// parts, with `…` where text was left out.
pub fn snippet(text: &str, terms: &[Term], max_chars: usize) -> Vec<SnippetPart> {
    let mut ranges = Vec::new();
    segment_into(text, &mut ranges);
    let hits: Vec<bool> = ranges
        .iter()
        .map(|&(s, e)| {
            text.get(s..e)
                .and_then(normalize_token)
                .is_some_and(|t| is_hit(&t, terms))
        })
        .collect();
    let first = hits.iter().position(|h| *h).unwrap_or(0);
    // Start up to a fifth of the window before the first hit, at a token start.
    let mut start_tok = first;
    let mut back = 0;
    while start_tok > 0 {
        let (s, e) = ranges[start_tok - 1];
        back += text.get(s..e).map_or(0, |t| t.chars().count()) + 1;
        if back > max_chars / 5 {
            break;
        }
        start_tok -= 1;
    }
    let start = if start_tok == 0 {
        0
    } else {
        ranges[start_tok].0
    };
    let mut parts: Vec<SnippetPart> = Vec::new();
    if start > 0 {
        parts.push(SnippetPart {
            text: "…".into(),
            hit: false,
        });
    }
    let mut pos = start;
    let mut used = 0;
    let mut cut = false;
    for (k, &(s, e)) in ranges.iter().enumerate().skip(start_tok) {
        let len = text.get(pos..e).map_or(0, |t| t.chars().count());
        if used + len > max_chars && used > 0 {
            cut = true;
            break;
        }
        used += len;
        let gap = text.get(pos..s).unwrap_or("");
        let tok = text.get(s..e).unwrap_or("");
        push_part(&mut parts, gap, false);
        push_part(&mut parts, tok, hits[k]);
        pos = e;
    }
    if cut {
        parts.push(SnippetPart {
            text: "…".into(),
            hit: false,
        });
    }
    parts
}

fn push_part(parts: &mut Vec<SnippetPart>, text: &str, hit: bool) {
    if text.is_empty() {
        return;
    }
    match parts.last_mut() {
        Some(last) if last.hit == hit && last.text != "…" => last.text.push_str(text),
        _ => parts.push(SnippetPart {
            text: text.to_string(),
            hit,
        }),
    }
}

#[cfg(test)]
mod tests;
