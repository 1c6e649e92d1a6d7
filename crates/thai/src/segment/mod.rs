//! Thai word segmentation, so search can index and find words in text written without spaces.
//!
//! Thai runs are segmented by dictionary maximal matching over Thai character clusters: the
//! fewest dictionary words that cover the run, never breaking inside a cluster (module `tcc`),
//! with stretches no word covers kept together as one unknown token (module `lattice`). The
//! dictionary is pythainlp's CC0 word list plus Karuna's social-work vocabulary (module `dict`,
//! `data/thai-words.txt`).
//!
//! Everything else is split by script: a Latin (or other non-Thai) word with its digits
//! (`LINE`, `MA1234567`), a number with its thousands separators and decimal point (`1,250.50`,
//! `๒๕๖๙`, `10.30`), and every other character as a token of its own (`/`, `-`, `(`, `"`), so
//! `14/02/2569` gives `14 / 02 / 2569`. White space (and the zero-width space U+200B) separates
//! tokens and is dropped. A full stop right after Thai letters belongs to the Thai run, so
//! dictionary abbreviations keep it (`พ.ศ.`, `พมจ.`, `ต.`); otherwise it is a token.
//!
//! Tokens are slices of the input, in order and never overlapping; what lies between them is
//! white space only.

mod compound;
mod dict;
mod lattice;
mod tcc;
#[cfg(test)]
mod tests;

pub use compound::sub_words;
use lattice::{Mode, Scratch};
use std::cell::RefCell;

thread_local! {
    /// Per-thread buffers, so repeated calls allocate nothing.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Splits `text` into words: Thai by dictionary, Latin words, numbers, punctuation; spaces dropped.
pub fn segment(text: &str) -> Vec<&str> {
    let mut ranges = Vec::new();
    segment_into(text, &mut ranges);
    ranges
        .into_iter()
        .filter_map(|(start, end)| text.get(start..end))
        .collect()
}

/// Like [`segment`] as byte ranges into `out` (cleared first), so a reused vector allocates nothing.
pub fn segment_into(text: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            scan(text, &mut scratch, out);
            scratch.trim();
        }
        Err(_) => scan(text, &mut Scratch::default(), out),
    });
}

/// Walks the text once, emitting non-Thai tokens directly and handing each Thai run to the
/// lattice.
fn scan(text: &str, scratch: &mut Scratch, out: &mut Vec<(usize, usize)>) {
    let trie = dict::dictionary();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i = match b {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => i + 1,
                b'0'..=b'9' => push(out, i, number_end(bytes, i)),
                b'a'..=b'z' | b'A'..=b'Z' => push(out, i, word_end(text, i)),
                _ => push(out, i, i + 1),
            };
            continue;
        }
        if thai_code(bytes, i).is_some() {
            i = thai_run(bytes, i, scratch, trie, out);
            continue;
        }
        let Some(ch) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let end = i + ch.len_utf8();
        i = if is_space(ch) {
            end
        } else if digit_len(bytes, i).is_some() {
            push(out, i, number_end(bytes, i))
        } else if is_word_char(ch) {
            push(out, i, word_end(text, i))
        } else {
            push(out, i, end)
        };
    }
}

/// Records a token and returns where scanning continues.
#[inline]
fn push(out: &mut Vec<(usize, usize)>, start: usize, end: usize) -> usize {
    out.push((start, end));
    end
}

/// Collects the Thai run starting at byte `start` (Thai letters, vowels and marks, and full
/// stops after them), segments it, and returns the byte after it.
fn thai_run(
    bytes: &[u8],
    start: usize,
    scratch: &mut Scratch,
    trie: &dict::Trie,
    out: &mut Vec<(usize, usize)>,
) -> usize {
    scratch.codes.clear();
    let mut j = start;
    loop {
        if let Some(code) = thai_code(bytes, j) {
            scratch.codes.push(code);
            j += 3;
        } else if bytes.get(j) == Some(&b'.') && scratch.codes.last() != Some(&tcc::DOT) {
            scratch.codes.push(tcc::DOT);
            j += 1;
        } else {
            break;
        }
    }
    lattice::segment_run(trie, scratch, start, Mode::Text, out);
    j
}

/// The run code of the Thai character encoded at byte `i`, read straight from UTF-8
/// (U+0E00..U+0E7F is `E0 B8 80`..`E0 B9 BF`).
#[inline]
fn thai_code(bytes: &[u8], i: usize) -> Option<u8> {
    match bytes.get(i..i + 3)? {
        [0xE0, b1 @ (0xB8 | 0xB9), b2] => tcc::run_code(((b1 & 1) << 6) | (b2 & 0x3F)),
        _ => None,
    }
}

/// Length in bytes of the decimal digit (ASCII or Thai ๐-๙) at byte `i`.
#[inline]
fn digit_len(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes.get(i)? {
        b'0'..=b'9' => Some(1),
        0xE0 => match bytes.get(i + 1..i + 3)? {
            [0xB9, 0x90..=0x99] => Some(3),
            _ => None,
        },
        _ => None,
    }
}

/// End of the number starting at byte `i`: digits, with single `,` or `.` between digits.
fn number_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(len) = digit_len(bytes, i) {
        i += len;
        if matches!(bytes.get(i), Some(b',' | b'.')) && digit_len(bytes, i + 1).is_some() {
            i += 1;
        }
    }
    i
}

/// End of the non-Thai word starting at byte `i`: letters, digits and combining marks, with
/// apostrophes between letters ("don't").
fn word_end(text: &str, i: usize) -> usize {
    let Some(rest) = text.get(i..) else {
        return text.len();
    };
    let mut end = i;
    let mut chars = rest.char_indices().peekable();
    while let Some((offset, ch)) = chars.next() {
        let keep = if ch == '\'' || ch == '\u{2019}' {
            offset > 0 && chars.peek().is_some_and(|&(_, next)| is_word_char(next))
        } else {
            is_word_char(ch)
        };
        if !keep {
            break;
        }
        end = i + offset + ch.len_utf8();
    }
    end
}

/// Whether `ch` continues a non-Thai word: letters and digits of other scripts, combining
/// marks, and the scripts without spaces that this segmenter does not split (Lao, Myanmar,
/// Khmer), kept whole.
fn is_word_char(ch: char) -> bool {
    if ch.is_ascii() {
        return ch.is_ascii_alphanumeric();
    }
    let cp = ch as u32;
    if (0x0E00..=0x0E7F).contains(&cp) {
        return false;
    }
    ch.is_alphanumeric()
        || matches!(
            cp,
            0x0300..=0x036F
                | 0x0E80..=0x0EFF
                | 0x1000..=0x109F
                | 0x1780..=0x17FF
                | 0x1AB0..=0x1AFF
                | 0x1DC0..=0x1DFF
                | 0x20D0..=0x20FF
                | 0xFE20..=0xFE2F
        )
}

/// Whether `ch` separates tokens and is dropped: white space, zero-width space, BOM.
fn is_space(ch: char) -> bool {
    ch.is_whitespace() || ch == '\u{200B}' || ch == '\u{FEFF}'
}
