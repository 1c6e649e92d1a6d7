//! The segmenter's dictionary: `data/thai-words.txt` (pythainlp's CC0 word list plus Karuna's
//! social-work vocabulary, made by `data/scripts/thai_dict.py`; see NOTICE), embedded in the
//! binary and built on first use into a double-array trie over Thai run codes.
//!
//! A double array keeps one transition to two array reads (`base[s] + code`, then `check`),
//! which is what lets the segmenter walk every cluster start at tens of millions of characters a
//! second. Building it from the ~62,000 words takes a few tens of milliseconds, once.

use super::tcc::{code_of, ALPHABET, DOT};
use std::sync::OnceLock;

/// The embedded word list: one word a line, UTF-8.
const WORDS: &str = include_str!("../../../../data/thai-words.txt");

/// `check` of a free slot.
const FREE: u32 = u32::MAX;
/// `check` of the root's own slot, which no node id equals.
const ROOT_SLOT: u32 = u32::MAX - 1;
/// Bit of `base` set on nodes where a word ends.
const TERMINAL: u32 = 1 << 31;

/// A state of the trie: the index of its slot.
pub(super) type State = u32;

/// The root state, where every match starts.
pub(super) const ROOT: State = 0;

/// One slot of the double array.
#[derive(Clone, Copy)]
struct Unit {
    /// Offset of this node's children (plus [`TERMINAL`] when a word ends here).
    base: u32,
    /// The parent of the node in this slot, or [`FREE`].
    check: u32,
}

/// A double-array trie of the dictionary's words, as Thai run codes.
pub(super) struct Trie {
    units: Box<[Unit]>,
}

impl Trie {
    /// The state after reading `code` in `state`, if some word continues that way.
    #[inline]
    pub(super) fn next(&self, state: State, code: u8) -> Option<State> {
        let base = self.units.get(state as usize)?.base & !TERMINAL;
        let target = base.wrapping_add(u32::from(code));
        match self.units.get(target as usize) {
            Some(unit) if unit.check == state => Some(target),
            _ => None,
        }
    }

    /// Whether a dictionary word ends in `state`.
    #[inline]
    pub(super) fn is_word(&self, state: State) -> bool {
        self.units
            .get(state as usize)
            .is_some_and(|unit| unit.base & TERMINAL != 0)
    }

    /// Number of distinct words in the trie.
    #[cfg(test)]
    fn len(&self) -> usize {
        (0..self.units.len() as State)
            .filter(|&s| self.units[s as usize].check != FREE && self.is_word(s))
            .count()
    }

    /// Whether `word` is in the dictionary exactly.
    #[cfg(test)]
    fn contains(&self, word: &str) -> bool {
        let mut state = ROOT;
        let mut any = false;
        for ch in word.chars() {
            let Some(code) = run_code(ch) else {
                return false;
            };
            match self.next(state, code) {
                Some(next) => state = next,
                None => return false,
            }
            any = true;
        }
        any && self.is_word(state)
    }
}

/// The dictionary, built from the embedded list on first use.
pub(super) fn dictionary() -> &'static Trie {
    static TRIE: OnceLock<Trie> = OnceLock::new();
    TRIE.get_or_init(|| build(WORDS))
}

/// The run code of a character of a dictionary word; a word with any other character (digits,
/// Latin, hyphens) could never match inside a Thai run and is left out.
#[inline]
fn run_code(ch: char) -> Option<u8> {
    if ch == '.' {
        Some(DOT)
    } else {
        code_of(ch)
    }
}

/// Builds the trie from a word list, one word a line; lines that cannot match are skipped.
pub(super) fn build(text: &str) -> Trie {
    // All keys in one buffer, addressed by (start, len), sorted and deduplicated.
    let mut buffer: Vec<u8> = Vec::with_capacity(text.len() / 3 + 1);
    let mut keys: Vec<(u32, u32)> = Vec::new();
    'lines: for line in text.lines() {
        let word = line.trim();
        let start = buffer.len();
        for ch in word.chars() {
            match run_code(ch) {
                Some(code) => buffer.push(code),
                None => {
                    buffer.truncate(start);
                    continue 'lines;
                }
            }
        }
        // A word must start with a Thai letter: a lone "." or "ๆ" is no word.
        if buffer.get(start).is_some_and(|&c| c != DOT) {
            keys.push((start as u32, (buffer.len() - start) as u32));
        } else {
            buffer.truncate(start);
        }
    }
    let key = |k: &(u32, u32)| &buffer[k.0 as usize..(k.0 + k.1) as usize];
    keys.sort_unstable_by(|a, b| key(a).cmp(key(b)));
    keys.dedup_by(|a, b| key(a) == key(b));
    let sorted: Vec<&[u8]> = keys.iter().map(key).collect();

    let mut builder = Builder {
        units: vec![
            Unit {
                base: 0,
                check: FREE
            };
            sorted.len() * 4 + ALPHABET
        ],
        first_free: 1,
    };
    builder.units[0].check = ROOT_SLOT;
    // (node, first key, end of keys, depth): keys[first..end] all share the node's prefix.
    let mut stack: Vec<(u32, usize, usize, usize)> = vec![(ROOT, 0, sorted.len(), 0)];
    let mut children: Vec<(u8, usize, usize)> = Vec::with_capacity(ALPHABET);
    while let Some((node, mut first, end, depth)) = stack.pop() {
        if first < end && sorted[first].len() == depth {
            builder.units[node as usize].base |= TERMINAL;
            first += 1;
        }
        if first == end {
            continue;
        }
        children.clear();
        let mut k = first;
        while k < end {
            let code = sorted[k][depth];
            let from = k;
            while k < end && sorted[k][depth] == code {
                k += 1;
            }
            children.push((code, from, k));
        }
        let base = builder.place(&children);
        builder.units[node as usize].base |= base;
        for &(code, from, to) in &children {
            let slot = base + u32::from(code);
            builder.units[slot as usize].check = node;
            stack.push((slot, from, to, depth + 1));
        }
    }
    let mut units = builder.units;
    let used = units
        .iter()
        .rposition(|unit| unit.check != FREE)
        .unwrap_or(0);
    units.truncate(used + 1);
    units.shrink_to_fit();
    Trie {
        units: units.into_boxed_slice(),
    }
}

/// Working state while the double array is laid out.
struct Builder {
    units: Vec<Unit>,
    /// No slot below this one is free.
    first_free: usize,
}

impl Builder {
    /// Finds a base where every child's slot is free (the caller claims them at once by
    /// writing `check`); grows the array as needed.
    fn place(&mut self, children: &[(u8, usize, usize)]) -> u32 {
        while self.units[self.first_free].check != FREE {
            self.first_free += 1;
            self.grow(self.first_free);
        }
        let lowest = usize::from(children[0].0);
        let mut slot = self.first_free.max(lowest + 1);
        loop {
            self.grow(slot + ALPHABET);
            if self.units[slot].check == FREE {
                let base = slot - lowest;
                let fits = children
                    .iter()
                    .all(|&(code, _, _)| self.units[base + usize::from(code)].check == FREE);
                if fits {
                    return base as u32;
                }
            }
            slot += 1;
        }
    }

    /// Makes sure `index` is inside the array.
    fn grow(&mut self, index: usize) {
        if index >= self.units.len() {
            let len = (index + 1).max(self.units.len() * 3 / 2);
            self.units.resize(
                len,
                Unit {
                    base: 0,
                    check: FREE,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_dictionary_loads() {
        let trie = dictionary();
        assert!(trie.len() > 60_000, "{} words", trie.len());
        for word in [
            "ผู้เสียหาย",
            "นักสังคมสงเคราะห์",
            "บ้านพักเด็กและครอบครัว",
            "ค้ามนุษย์",
            "พมจ.",
            "กรุงเทพฯ",
            "ที่",
            "การ",
        ] {
            assert!(trie.contains(word), "{word} missing");
        }
        assert!(!trie.contains("ผู้เสียหา"));
        assert!(!trie.contains(""));
        assert!(!trie.contains("abc"));
    }

    #[test]
    fn small_trie_matches_exact_words_and_prefixes() {
        let trie = build("กา\nกาย\nข\nกา\nabc\n.\nก.ค.\n\n");
        assert_eq!(trie.len(), 4);
        assert!(trie.contains("กา"));
        assert!(trie.contains("กาย"));
        assert!(trie.contains("ข"));
        assert!(trie.contains("ก.ค."));
        assert!(!trie.contains("ก"));
        assert!(!trie.contains("ก."));
        assert!(!trie.contains("abc"));
        assert!(!trie.contains("."));
        let empty = build("");
        assert_eq!(empty.len(), 0);
        assert!(!empty.contains("ก"));
    }
}
