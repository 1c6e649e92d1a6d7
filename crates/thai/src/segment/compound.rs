//! The parts of a compound word, so a search for a part finds the whole (เสียหาย finds
//! ผู้เสียหาย). The segmenter keeps a dictionary compound as one token, which is right for
//! phrases and ranking; an index adds its parts as extra tokens.
//!
//! Only compounds a Thai reader takes apart are split, so that a short word does not start
//! matching every longer word that happens to begin with it (ตา must not find ตาราง):
//! - words formed with a productive head: a nominaliser (การ, ความ), a person (ผู้, นัก, คน,
//!   ช่าง, ชาว, หมอ, เจ้าหน้าที่) or a place or body (โรง, ศูนย์, สถาน, บ้าน, หน่วย, สำนักงาน);
//! - the social-work vocabulary Karuna adds to the dictionary (`data/thai-words-socialwork.txt`:
//!   ค้ามนุษย์, ทีมสหวิชาชีพ, บ้านพักเด็กและครอบครัว …), whose entries are compounds by design.
//!
//! A compound is split into the fewest dictionary words other than itself (the segmenter's
//! lattice with the whole-word edge removed), only when every part is a dictionary word, and the
//! parts are split again by the same rule.

use super::lattice::{self, Mode, Scratch};
use super::{dict, thai_code};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Heads of productive compounds.
const HEADS: [&str; 16] = [
    "การ",
    "ความ",
    "ผู้",
    "นัก",
    "คน",
    "ช่าง",
    "ชาว",
    "หมอ",
    "เจ้าหน้าที่",
    "โรง",
    "ศูนย์",
    "สถาน",
    "บ้าน",
    "หน่วย",
    "สำนักงาน",
    "สถานี",
];

/// Karuna's social-work vocabulary (comment and blank lines left out).
const VOCABULARY: &str = include_str!("../../../../data/thai-words-socialwork.txt");

/// How deep parts are split again (ผู้ใช้บริการ → ผู้ | ใช้บริการ → ใช้ | บริการ).
const MAX_DEPTH: usize = 3;

fn vocabulary() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        VOCABULARY
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Whether `word` may be split: a vocabulary entry, or it starts with a head and is longer.
fn splittable(word: &str) -> bool {
    vocabulary().contains(word)
        || HEADS
            .iter()
            .any(|h| word.len() > h.len() && word.starts_with(h))
}

/// The parts of `word` (a whole Thai token), every level, each once, in order of first
/// appearance; empty when it is not a compound split by the rules above.
pub fn sub_words(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut scratch = Scratch::default();
    collect(word, 0, &mut scratch, &mut out);
    out
}

fn collect<'a>(word: &'a str, depth: usize, scratch: &mut Scratch, out: &mut Vec<&'a str>) {
    if depth >= MAX_DEPTH || !splittable(word) {
        return;
    }
    let Some(parts) = parts(word, scratch) else {
        return;
    };
    // The rule for heads: the compound's first part is the head itself.
    if !vocabulary().contains(word) && !parts.first().is_some_and(|p| HEADS.contains(p)) {
        return;
    }
    for p in parts {
        if !out.contains(&p) {
            out.push(p);
        }
        collect(p, depth + 1, scratch, out);
    }
}

/// The fewest dictionary words, other than `word` itself, that make up `word`; `None` when
/// that needs an unknown stretch or `word` is not all Thai letters.
fn parts<'a>(word: &'a str, scratch: &mut Scratch) -> Option<Vec<&'a str>> {
    let bytes = word.as_bytes();
    scratch.codes.clear();
    let mut i = 0;
    while i < bytes.len() {
        scratch.codes.push(thai_code(bytes, i)?);
        i += 3;
    }
    let mut ranges = Vec::new();
    let all_words = lattice::segment_run(dict::dictionary(), scratch, 0, Mode::Parts, &mut ranges);
    if !all_words || ranges.len() < 2 {
        return None;
    }
    ranges.iter().map(|&(s, e)| word.get(s..e)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn social_work_compounds_give_their_parts() {
        assert_eq!(sub_words("ผู้เสียหาย"), ["ผู้", "เสียหาย"]);
        assert_eq!(sub_words("นักสังคมสงเคราะห์"), ["นัก", "สังคมสงเคราะห์"]);
        assert_eq!(sub_words("ค้ามนุษย์"), ["ค้า", "มนุษย์"]);
        let shelter = sub_words("บ้านพักเด็กและครอบครัว");
        for part in ["บ้านพัก", "บ้าน", "พัก", "เด็ก", "ครอบครัว"]
        {
            assert!(shelter.contains(&part), "{part} in {shelter:?}");
        }
        assert!(sub_words("ความรุนแรง").contains(&"รุนแรง"));
    }

    #[test]
    fn ordinary_words_are_not_taken_apart() {
        for word in [
            "ตาราง",
            "ตาม",
            "ตาย",
            "ครอบครัว",
            "ประเทศ",
            "เสียหาย",
            "การ",
            "ผู้",
        ] {
            assert!(sub_words(word).is_empty(), "{word}: {:?}", sub_words(word));
        }
    }

    #[test]
    fn non_thai_and_unknown_input_gives_nothing() {
        assert!(sub_words("").is_empty());
        assert!(sub_words("hello").is_empty());
        assert!(sub_words("ผู้xyz").is_empty());
        assert!(sub_words("การฆฬฆฬ").is_empty());
    }
}
