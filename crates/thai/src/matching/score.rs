//! Similarity of two persons, 0–100, with the reasons behind it: names compared exactly, after
//! normalisation, by sound, across scripts through RTGS, with typo tolerance, swapped and as
//! nicknames; birth dates and years; identity documents by kind; phones.

use super::normalize::{is_consonant, is_thai, normalize_keeping_silent, normalize_name};
use super::phonetic::phonetic_key;
use super::romanize::{latin_key, romanize, romanize_readings, skeleton};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// The score from which a stored person is offered as a possible match (chosen on the
/// name-pair gold set, `data/gold/name-pairs.tsv`).
pub const THRESHOLD: u8 = 70;

/// The similarity of a three-letter name to one a letter apart (not two letters swapped): short
/// names a letter apart are as often two people (Nok/Noi, แดง/แตง, siblings) as a slip, so with
/// the same surname this stays just under the threshold, and the same birth date lifts it over.
const SHORT_TYPO: f64 = 0.58;

/// What a name match with a slip in both names is worth of one with a slip in one.
const TWO_SLIPS: f64 = 0.85;

/// Skeleton keys taken from the readings of one name (`match_keys`).
const MAX_SKELETONS: usize = 4;

/// Birth years an estimate may be off by and still count as matching.
const ESTIMATE_SPREAD: i32 = 3;

/// How two names matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameHow {
    /// Letter for letter (Latin case ignored).
    Exact,
    /// Equal after normalisation (marks, ไ/ใ, vowel length, spaces).
    Normalised,
    /// Sound alike (the phonetic key).
    Phonetic,
    /// One in Thai, one in Latin script, meeting through RTGS romanisation.
    Romanised,
    /// Close enough to be a typing slip.
    Typo,
}

impl NameHow {
    fn code(self) -> &'static str {
        match self {
            NameHow::Exact => "exact",
            NameHow::Normalised => "normalised",
            NameHow::Phonetic => "phonetic",
            NameHow::Romanised => "romanised",
            NameHow::Typo => "typo",
        }
    }
}

/// One reason a pair scored as it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// First names matched.
    FirstName(NameHow),
    /// Last names matched.
    LastName(NameHow),
    /// A nickname matched a first name or a nickname.
    Nickname(NameHow),
    /// First and last names were entered the other way round.
    Swapped,
    /// The same identity-document number, of the same kind.
    SameDocument,
    /// Documents of the same kind with different numbers (against a match).
    DifferentDocument,
    /// A phone number in common.
    SamePhone,
    /// The same birth date.
    SameBirthDate,
    /// The same birth year.
    SameBirthYear,
    /// Birth years one apart.
    BirthYearClose,
    /// Birth years more than three apart (against a match).
    BirthYearFar,
}

impl Reason {
    /// Every reason there is (for message catalogues and their completeness test).
    pub fn all() -> Vec<Reason> {
        let hows = [
            NameHow::Exact,
            NameHow::Normalised,
            NameHow::Phonetic,
            NameHow::Romanised,
            NameHow::Typo,
        ];
        let mut v: Vec<Reason> = Vec::new();
        for h in hows {
            v.extend([
                Reason::FirstName(h),
                Reason::LastName(h),
                Reason::Nickname(h),
            ]);
        }
        v.extend([
            Reason::Swapped,
            Reason::SameDocument,
            Reason::DifferentDocument,
            Reason::SamePhone,
            Reason::SameBirthDate,
            Reason::SameBirthYear,
            Reason::BirthYearClose,
            Reason::BirthYearFar,
        ]);
        v
    }

    /// A stable code (`first_name.phonetic`, `same_document`, …) for catalogues and the API.
    pub fn code(self) -> String {
        match self {
            Reason::FirstName(h) => format!("first_name.{}", h.code()),
            Reason::LastName(h) => format!("last_name.{}", h.code()),
            Reason::Nickname(h) => format!("nickname.{}", h.code()),
            Reason::Swapped => "swapped".into(),
            Reason::SameDocument => "same_document".into(),
            Reason::DifferentDocument => "different_document".into(),
            Reason::SamePhone => "same_phone".into(),
            Reason::SameBirthDate => "same_birth_date".into(),
            Reason::SameBirthYear => "same_birth_year".into(),
            Reason::BirthYearClose => "birth_year_close".into(),
            Reason::BirthYearFar => "birth_year_far".into(),
        }
    }
}

/// What matching needs to know about a person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchPerson {
    /// First name, Thai script.
    pub first_th: Option<String>,
    /// Last name, Thai script.
    pub last_th: Option<String>,
    /// First name, Latin script.
    pub first_latin: Option<String>,
    /// Last name, Latin script.
    pub last_latin: Option<String>,
    /// Nickname, either script.
    pub nickname: Option<String>,
    /// Exact birth date.
    pub birth_date: Option<NaiveDate>,
    /// Birth year (CE), exact or estimated.
    pub birth_year: Option<i32>,
    /// True when the birth year is only an estimate (no date known; or an approximate age):
    /// years a few apart then count as the same.
    pub birth_estimated: bool,
    /// Identity documents: (kind code, number as stored).
    pub documents: Vec<(String, String)>,
    /// Phones in E.164.
    pub phones: Vec<String>,
}

/// A comparison's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// 0–100.
    pub score: u8,
    /// Why, strongest first.
    pub reasons: Vec<Reason>,
}

/// The script-independent sound key of a name: the Latin key of its RTGS romanisation when it
/// is Thai, of itself otherwise.
pub fn sound_key(name: &str) -> String {
    if is_thai(name) {
        latin_key(&romanize(name))
    } else {
        latin_key(name)
    }
}

/// The sound keys of every RTGS reading of a Thai name (`romanize_readings`), the usual one
/// first; of a Latin name, its one sound key.
pub fn sound_keys(name: &str) -> Vec<String> {
    if !is_thai(name) {
        return vec![latin_key(name)];
    }
    let mut out: Vec<String> = Vec::new();
    for r in romanize_readings(name) {
        let k = latin_key(&r);
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

/// How alike two names are: a similarity 0–1, and how they matched when they do.
pub fn compare_names(a: &str, b: &str) -> (f64, Option<NameHow>) {
    compare_names_as(a, b, false)
}

/// `compare_names`; for two surnames (`surname`) a short one is no weaker for a slip: siblings
/// share their surname, so two surnames a letter apart are rarely two families.
fn compare_names_as(a: &str, b: &str, surname: bool) -> (f64, Option<NameHow>) {
    let (a, b) = (a.trim(), b.trim());
    if a.is_empty() || b.is_empty() {
        return (0.0, None);
    }
    if a == b || a.to_lowercase() == b.to_lowercase() {
        return (1.0, Some(NameHow::Exact));
    }
    let (ta, tb) = (is_thai(a), is_thai(b));
    if ta && tb {
        let (na, nb) = (normalize_name(a), normalize_name(b));
        if na == nb || normalize_keeping_silent(a) == normalize_keeping_silent(b) {
            return (0.97, Some(NameHow::Normalised));
        }
        let (pa, pb) = (phonetic_key(a), phonetic_key(b));
        if !pa.is_empty() && pa == pb {
            return (0.93, Some(NameHow::Phonetic));
        }
        return typo_or_not(&na, &nb, surname);
    }
    let (sa, sb) = (sound_key(a), sound_key(b));
    if !sa.is_empty() && sa == sb {
        return if ta != tb {
            (0.92, Some(NameHow::Romanised))
        } else {
            (0.95, Some(NameHow::Normalised))
        };
    }
    if ta == tb {
        // Two letters swapped, seen in the letters as typed (the sound key may hide it:
        // Anna has one n there).
        let letters = |s: &str| -> String {
            s.chars()
                .filter(char::is_ascii_alphabetic)
                .map(|c| c.to_ascii_lowercase())
                .collect()
        };
        let (la, lb) = (letters(a), letters(b));
        if la.len() >= 3 && transposed(&la, &lb) {
            return (0.8, Some(NameHow::Typo));
        }
        return typo_or_not(&sa, &sb, surname);
    }
    // Thai against Latin: the Latin spelling may follow any reading of the Thai one; a typo
    // is allowed against the usual reading only (against the others it would let siblings in:
    // วรวิทย์ is wo-ra-wit, and Worawut is his brother).
    let (thai, latin) = if ta { (a, &sb) } else { (b, &sa) };
    if !latin.is_empty() && sound_keys(thai).contains(latin) {
        return (0.92, Some(NameHow::Romanised));
    }
    let (x, how) = typo_or_not(&sa, &sb, surname);
    (x, how.map(|_| NameHow::Romanised))
}

/// A near miss counts as a typo: one edit (Damerau–Levenshtein: a letter added, dropped,
/// changed or two swapped) in a name of four letters or more, two in one of nine or more. A
/// short given name or nickname (three Latin letters; a Thai one of two consonants, such as
/// มานี, ธีระ, สุดา, whose vowels are already unified; a surname only of three letters) with two
/// letters swapped counts as fully, with any other one edit weaker: short names a letter apart
/// are often different names (Nok/Noi, มานี/มานะ).
/// Otherwise the Jaro–Winkler similarity, halved, says how far apart they are.
fn typo_or_not(a: &str, b: &str, surname: bool) -> (f64, Option<NameHow>) {
    if a.is_empty() || b.is_empty() {
        return (0.0, None);
    }
    let len = a.chars().count().min(b.chars().count());
    let consonants = |s: &str| s.chars().filter(|c| is_consonant(*c)).count();
    let short = if surname {
        len <= 3
    } else if is_thai(a) {
        consonants(a).min(consonants(b)) <= 2
    } else {
        len <= 3
    };
    let d = strsim::damerau_levenshtein(a, b);
    let swapped = d == 1 && transposed(a, b);
    if (d == 1 && len >= 4 && !short) || (d == 2 && len >= 9) || (swapped && len >= 3) {
        (0.8, Some(NameHow::Typo))
    } else if d == 1 && len >= 3 {
        (SHORT_TYPO, Some(NameHow::Typo))
    } else {
        (strsim::jaro_winkler(a, b) * 0.5, None)
    }
}

/// True when `b` is `a` with two neighbouring letters swapped.
fn transposed(a: &str, b: &str) -> bool {
    strsim::damerau_levenshtein(a, b) == 1 && strsim::levenshtein(a, b) == 2
}

fn best(xs: &[&str], ys: &[&str]) -> (f64, Option<NameHow>) {
    best_as(xs, ys, false)
}

fn best_as(xs: &[&str], ys: &[&str], surname: bool) -> (f64, Option<NameHow>) {
    let mut out = (0.0, None);
    for x in xs {
        for y in ys {
            let c = compare_names_as(x, y, surname);
            if c.0 > out.0 {
                out = c;
            }
        }
    }
    out
}

fn opt(parts: &[&Option<String>]) -> Vec<String> {
    parts
        .iter()
        .filter_map(|p| p.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// Joins a first-name and a last-name similarity: both must be good for the whole to be good.
/// A slip in each of the two names is taken for two other names (บุญมี ชูใจ, บุญมา ชูชาติ).
fn combine(first: (f64, Option<NameHow>), last: Option<(f64, Option<NameHow>)>) -> f64 {
    match last {
        Some(l) => {
            let avg = (first.0 + l.0) / 2.0;
            let both = (avg + first.0.min(l.0)) / 2.0;
            if first.1 == Some(NameHow::Typo) && l.1 == Some(NameHow::Typo) {
                both * TWO_SLIPS
            } else {
                both
            }
        }
        None => first.0 * 0.8,
    }
}

/// The name part of a comparison: 0–1 and its reasons.
fn name_score(a: &MatchPerson, b: &MatchPerson) -> (f64, Vec<Reason>) {
    let af = opt(&[&a.first_th, &a.first_latin]);
    let al = opt(&[&a.last_th, &a.last_latin]);
    let an = opt(&[&a.nickname]);
    let bf = opt(&[&b.first_th, &b.first_latin]);
    let bl = opt(&[&b.last_th, &b.last_latin]);
    let bn = opt(&[&b.nickname]);
    let (af, al, an, bf, bl, bn) = (
        strs(&af),
        strs(&al),
        strs(&an),
        strs(&bf),
        strs(&bl),
        strs(&bn),
    );
    let has_last = !al.is_empty() && !bl.is_empty();
    let f = best(&af, &bf);
    let l = best_as(&al, &bl, true);
    let mut options: Vec<(f64, Vec<Reason>)> = Vec::new();
    let name_reasons =
        |f: (f64, Option<NameHow>), l: (f64, Option<NameHow>), first: fn(NameHow) -> Reason| {
            let mut v = Vec::new();
            if let Some(h) = f.1 {
                v.push(first(h));
            }
            if let Some(h) = l.1 {
                v.push(Reason::LastName(h));
            }
            v
        };
    options.push((
        combine(f, has_last.then_some(l)),
        name_reasons(f, l, Reason::FirstName),
    ));
    if has_last {
        let sf = best(&af, &bl);
        let sl = best(&al, &bf);
        if sf.1.is_some() && sl.1.is_some() {
            let mut v = vec![Reason::Swapped];
            v.extend(name_reasons(sf, sl, Reason::FirstName));
            options.push((combine(sf, Some(sl)) * 0.95, v));
        }
    }
    let nick = [best(&an, &bf), best(&af, &bn), best(&an, &bn)]
        .into_iter()
        .fold((0.0, None), |x, y| if y.0 > x.0 { y } else { x });
    if nick.1.is_some() {
        options.push((
            combine(nick, has_last.then_some(l)) * 0.9,
            name_reasons(nick, l, Reason::Nickname),
        ));
    }
    options
        .into_iter()
        .fold((0.0, Vec::new()), |x, y| if y.0 > x.0 { y } else { x })
}

/// Documents of these kinds share one number space (13-digit DOPA numbers).
fn doc_family(kind: &str) -> &str {
    match kind {
        "thai_national_id" | "non_thai_id" | "pink_card" => "dopa13",
        k => k,
    }
}

fn clean_number(n: &str) -> String {
    n.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Compares two persons: 0–100 and the reasons (names, birth, documents, phones).
pub fn compare_persons(a: &MatchPerson, b: &MatchPerson) -> Match {
    let (n, mut reasons) = name_score(a, b);
    let mut score = n * 100.0;
    let year = |p: &MatchPerson| p.birth_date.map(|d| d.year()).or(p.birth_year);
    match (a.birth_date, b.birth_date, year(a), year(b)) {
        (Some(x), Some(y), _, _) if x == y => {
            score += 5.0;
            reasons.push(Reason::SameBirthDate);
        }
        (_, _, Some(x), Some(y)) => {
            let d = (x - y).abs();
            // An estimated year (from an approximate age) is taken as ± a few years.
            let spread = if a.birth_estimated || b.birth_estimated {
                ESTIMATE_SPREAD
            } else {
                0
            };
            match (d, d - spread) {
                (0, _) => reasons.push(Reason::SameBirthYear),
                (_, ..=0) => reasons.push(Reason::BirthYearClose),
                (_, 1) => {
                    score -= 5.0;
                    reasons.push(Reason::BirthYearClose);
                }
                (_, 2..=3) => score -= 15.0,
                (_, e) => {
                    score -= if e > 10 { 50.0 } else { 35.0 };
                    reasons.push(Reason::BirthYearFar);
                }
            }
        }
        _ => {}
    }
    let mut same_doc = false;
    let mut diff_doc = false;
    for (ka, na) in &a.documents {
        for (kb, nb) in &b.documents {
            if doc_family(ka) != doc_family(kb) {
                continue;
            }
            let (na, nb) = (clean_number(na), clean_number(nb));
            if na.is_empty() || nb.is_empty() {
                continue;
            }
            if na == nb {
                same_doc = true;
            } else {
                diff_doc = true;
            }
        }
    }
    if same_doc {
        score = score.max(95.0);
        reasons.insert(0, Reason::SameDocument);
    } else if diff_doc {
        score -= 30.0;
        reasons.push(Reason::DifferentDocument);
    }
    if a.phones.iter().any(|p| b.phones.contains(p)) {
        score += 10.0;
        reasons.push(Reason::SamePhone);
    }
    Match {
        score: score.clamp(0.0, 100.0).round() as u8,
        reasons,
    }
}

/// The blocking keys of a person: what the store indexes so candidates are found by key
/// lookups. `widen` gives the keys to look up for a query (birth years ±1, names swapped);
/// without it, the keys to store. Kinds: `n` full name, `f` first name or nickname with birth
/// year, `l` last name with birth year and without (Thai surnames are rare enough to block on
/// alone: a mistyped first name or a nickname is still found), each by phonetic (`t`) or
/// sound (`r`) key; `e` first name or nickname (sound key) with the surname and each of its
/// one-letter deletions (a surname a letter off, or with two letters swapped, shares one; a
/// Thai surname normalised, a Latin one by sound key);
/// `s` the consonant skeletons of first name or nickname and surname over every RTGS reading
/// of a Thai name (a correct romanisation with linking vowels, วรวิทย์ = Worawit); `d`
/// document number by kind family; `p` phone. None of `e`, `s` and year-less `l` needs a birth
/// date, so a query without one still finds the person.
pub fn match_keys(p: &MatchPerson, widen: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let keys = |parts: &[&Option<String>]| -> Vec<String> {
        let mut v = Vec::new();
        for s in opt(parts) {
            if is_thai(&s) {
                v.push(format!("t{}", phonetic_key(&s)));
            }
            v.push(format!("r{}", sound_key(&s)));
        }
        v.retain(|k| k.len() > 1);
        v.sort();
        v.dedup();
        v
    };
    let firsts = keys(&[&p.first_th, &p.first_latin, &p.nickname]);
    let given = keys(&[&p.first_th, &p.first_latin]);
    let lasts = keys(&[&p.last_th, &p.last_latin]);
    let year = p.birth_date.map(|d| d.year()).or(p.birth_year);
    let years: Vec<String> = match year {
        Some(y) if widen => vec![
            (y - 1).to_string(),
            y.to_string(),
            (y + 1).to_string(),
            String::new(),
        ],
        Some(y) => vec![y.to_string()],
        None => vec![String::new()],
    };
    for f in &given {
        for l in lasts.iter().filter(|l| l.as_bytes()[0] == f.as_bytes()[0]) {
            out.push(format!("n{f}:{l}"));
            if widen {
                out.push(format!("n{l}:{f}"));
            }
        }
    }
    for y in &years {
        for f in &firsts {
            out.push(format!("f{f}:{y}"));
            if widen {
                out.push(format!("l{f}:{y}"));
            }
        }
        for l in &lasts {
            out.push(format!("l{l}:{y}"));
            if widen {
                out.push(format!("f{l}:{y}"));
            }
        }
    }
    if !widen && year.is_some() {
        for l in &lasts {
            out.push(format!("l{l}:"));
        }
    }
    let sounds = |parts: &[&Option<String>]| -> Vec<String> {
        let mut v: Vec<String> = opt(parts)
            .iter()
            .map(|s| sound_key(s))
            .filter(|k| !k.is_empty())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let first_sounds = sounds(&[&p.first_th, &p.first_latin, &p.nickname]);
    // A Latin surname by its sound key; a Thai one as written (normalised), where a slip of
    // the keyboard is one letter (its sound key may change more: ใจดี, ใจดร).
    let mut surnames = sounds(&[&p.last_latin]);
    surnames.extend(opt(&[&p.last_th]).iter().map(|s| {
        if is_thai(s) {
            normalize_name(s)
        } else {
            sound_key(s)
        }
    }));
    surnames.retain(|s| !s.is_empty());
    surnames.sort();
    surnames.dedup();
    for l in surnames {
        let chars: Vec<char> = l.chars().collect();
        for f in &first_sounds {
            out.push(format!("e{f}:{l}"));
            if chars.len() >= 3 {
                for i in 0..chars.len() {
                    let d: String = chars[..i].iter().chain(&chars[i + 1..]).collect();
                    out.push(format!("e{f}:{d}"));
                }
            }
        }
    }
    let skeletons = |parts: &[&Option<String>]| -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for s in opt(parts) {
            for k in sound_keys(&s)
                .iter()
                .map(|k| skeleton(k))
                .take(MAX_SKELETONS)
            {
                if !k.is_empty() && !v.contains(&k) {
                    v.push(k);
                }
            }
        }
        v
    };
    let first_skeletons = skeletons(&[&p.first_th, &p.first_latin, &p.nickname]);
    for l in skeletons(&[&p.last_th, &p.last_latin]) {
        for f in &first_skeletons {
            out.push(format!("s{f}:{l}"));
        }
    }
    for (kind, number) in &p.documents {
        let n = clean_number(number);
        if !n.is_empty() {
            out.push(format!("d{}:{n}", doc_family(kind)));
        }
    }
    for ph in &p.phones {
        out.push(format!("p{ph}"));
    }
    out.sort();
    out.dedup();
    out
}
