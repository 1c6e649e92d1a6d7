//! The name lists synthetic persons are drawn from, embedded from `data/gen/`: samples of the
//! Thai Male and Female Names Corpus (CC BY-SA 4.0, produced by `data/scripts/thai_names.py`;
//! see NOTICE), a short hand-made list of very common given names (so that namesakes and
//! near-duplicates occur as they do in real registers) and common nicknames.

use std::sync::OnceLock;

const FEMALE: &str = include_str!("../../../../data/gen/given-female.txt");
const MALE: &str = include_str!("../../../../data/gen/given-male.txt");
const SURNAMES: &str = include_str!("../../../../data/gen/surnames.txt");
const COMMON: &str = include_str!("../../../../data/gen/given-common.txt");
const NICKNAMES: &str = include_str!("../../../../data/gen/nicknames.txt");

/// The parsed lists.
#[derive(Debug)]
pub struct Names {
    /// Female given names (corpus sample).
    pub female: Vec<&'static str>,
    /// Male given names (corpus sample).
    pub male: Vec<&'static str>,
    /// Very common female given names.
    pub common_female: Vec<&'static str>,
    /// Very common male given names.
    pub common_male: Vec<&'static str>,
    /// Family names.
    pub surnames: Vec<&'static str>,
    /// Nicknames.
    pub nicknames: Vec<&'static str>,
}

fn lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The lists, parsed once.
pub fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut common_female = Vec::new();
        let mut common_male = Vec::new();
        for l in lines(COMMON) {
            let mut parts = l.split('\t');
            let name = parts.next().unwrap_or_default();
            match parts.next() {
                Some("m") => common_male.push(name),
                _ => common_female.push(name),
            }
        }
        Names {
            female: lines(FEMALE).collect(),
            male: lines(MALE).collect(),
            common_female,
            common_male,
            surnames: lines(SURNAMES).collect(),
            nicknames: lines(NICKNAMES).collect(),
        }
    })
}

/// A romanised name as written in a passport: RTGS with a capital first letter.
pub fn latin(thai: &str) -> String {
    let r = karuna_thai::matching::romanize(thai);
    let mut c = r.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_full_and_thai() {
        let n = names();
        assert!(n.female.len() >= 300 && n.male.len() >= 300 && n.surnames.len() >= 600);
        assert!(n.common_female.len() > 30 && n.common_male.len() > 30);
        assert!(n.nicknames.len() > 50);
        assert!(n.surnames.iter().all(|s| karuna_thai::matching::is_thai(s)));
        assert_eq!(latin("สมชาย"), "Somchai");
    }
}
