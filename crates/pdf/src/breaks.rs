//! Karuna's Thai word boundaries, the only places a Thai line may end.
//!
//! Thai is written without spaces between words, so a typesetter must find the places where a
//! line may end. Typst finds them with ICU4X's LSTM model, which breaks inside words Karuna's
//! segmenter (`karuna_thai::segment`, which knows the social-work vocabulary) keeps whole:
//! "ผู้จัด|การรายกรณี", "โรง|พยาบาล". A ZERO WIDTH SPACE between words only adds break
//! opportunities and cannot take Typst's away, so this module cuts each text into pieces
//! instead: [`Piece::Word`] is a stretch containing Thai that must stay on one line, which the
//! template sets in an unbreakable box, and [`Piece::Plain`] is everything else (spaces, Latin
//! words, numbers), which Typst breaks as usual. A line may end between two pieces.
//!
//! Two touching segmenter tokens are cut apart where at least one side is Thai and the other
//! is Thai or a letter or digit. Punctuation keeps to its word (no break before `)` or after
//! `(`), and nothing breaks before the repetition mark `ๆ` or the abbreviation mark `ฯ`.

use karuna_thai::segment::segment_into;
use serde::Serialize;

/// A piece of text as the template places it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub(crate) enum Piece {
    /// Text Typst may break at its spaces (JSON: a string).
    Plain(String),
    /// Text containing Thai that stays on one line (JSON: `{"w": text}`).
    Word {
        /// The word, with any punctuation that touches it.
        w: String,
    },
}

/// Cuts `text` into pieces; `ranges` is scratch space for the segmenter.
pub(crate) fn pieces(text: &str, ranges: &mut Vec<(usize, usize)>) -> Vec<Piece> {
    segment_into(text, ranges);
    let mut out = Vec::new();
    // Where the plain text not yet emitted starts.
    let mut plain_from = 0;
    let mut i = 0;
    while i < ranges.len() {
        // A word: tokens that touch with no break allowed between them.
        let (start, mut end) = ranges[i];
        let mut thai = contains_thai(text.get(start..end).unwrap_or_default());
        while let Some(&(next_start, next_end)) = ranges.get(i + 1) {
            if next_start != end || breakable(text, end) {
                break;
            }
            thai |= contains_thai(text.get(next_start..next_end).unwrap_or_default());
            end = next_end;
            i += 1;
        }
        i += 1;
        if thai {
            if plain_from < start {
                out.push(Piece::Plain(
                    text.get(plain_from..start).unwrap_or_default().into(),
                ));
            }
            out.push(Piece::Word {
                w: text.get(start..end).unwrap_or_default().into(),
            });
            plain_from = end;
        }
    }
    let rest = text.get(plain_from..).unwrap_or_default();
    if !rest.is_empty() {
        out.push(Piece::Plain(rest.into()));
    }
    out
}

/// Whether a line may end at byte `at` of `text`, between two touching tokens.
fn breakable(text: &str, at: usize) -> bool {
    let before = text.get(..at).and_then(|t| t.chars().next_back());
    let after = text.get(at..).and_then(|t| t.chars().next());
    match (before, after) {
        (Some(before), Some(after)) => may_break_between(before, after),
        _ => false,
    }
}

/// Whether a line may end between two touching tokens ending in `before` and starting with
/// `after`.
fn may_break_between(before: char, after: char) -> bool {
    if matches!(after, 'ๆ' | 'ฯ') {
        return false;
    }
    match (is_thai(before), is_thai(after)) {
        (true, true) => true,
        (true, false) => after.is_alphanumeric(),
        (false, true) => before.is_alphanumeric(),
        (false, false) => false,
    }
}

fn contains_thai(text: &str) -> bool {
    text.chars().any(is_thai)
}

/// Whether `c` is in the Thai block (letters, vowels, tone marks, digits, signs).
fn is_thai(c: char) -> bool {
    ('\u{0E00}'..='\u{0E7F}').contains(&c)
}
