//! Thai syllables read from spelling, for the RTGS romanisation and the phonetic key. A
//! heuristic reader (names have no dictionary): explicit vowels are read as written; a run of
//! consonants with no written vowel is read as Thai readers do with names (CC → CoC, CCC →
//! Ca-CoC, CCCC → CoC-CoC); a consonant after a vowel closes its syllable unless it carries a
//! vowel itself.

use super::normalize::{clean, is_consonant, is_dependent_vowel, is_pre_vowel};

/// One syllable: initial consonant(s), vowel sound and final consonant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Syllable {
    /// The consonant letters that begin it (one, or two for a cluster or a leading ห/อ).
    pub initial: Vec<char>,
    /// The vowel sound, in RTGS spelling (`a`, `i`, `ue`, `u`, `e`, `ae`, `o`, `oe`, `ia`, `uea`,
    /// `ua`, `ai`, `ao`, `am`, `rue`).
    pub vowel: &'static str,
    /// The final consonant letter, if any.
    pub last: Option<char>,
    /// Non-Thai text kept as it is (Latin letters, digits in a mixed name).
    pub other: Option<char>,
    /// Read CoC from two bare consonants (วร in วรวิทย์, ธน in ธนพร), which names often say
    /// Co-Ca or Ca-Ca instead (wo-ra-wit, tha-na-phon).
    pub pair: bool,
    /// The Ca that begins three bare consonants read Ca-CoC before another syllable, which
    /// may also be CoC-Ca (วงศ์สวัสดิ์: wa-ngot-wat or wong-sa-wat).
    pub triple: bool,
}

/// RTGS value of a consonant at the start of a syllable.
pub(crate) fn initial_rtgs(c: char) -> &'static str {
    match c {
        'ก' => "k",
        'ข' | 'ฃ' | 'ค' | 'ฅ' | 'ฆ' => "kh",
        'ง' => "ng",
        'จ' | 'ฉ' | 'ช' | 'ฌ' => "ch",
        'ซ' | 'ศ' | 'ษ' | 'ส' => "s",
        'ญ' | 'ย' => "y",
        'ฎ' | 'ด' => "d",
        'ฏ' | 'ต' => "t",
        'ฐ' | 'ฑ' | 'ฒ' | 'ถ' | 'ท' | 'ธ' => "th",
        'ณ' | 'น' => "n",
        'บ' => "b",
        'ป' => "p",
        'ผ' | 'พ' | 'ภ' => "ph",
        'ฝ' | 'ฟ' => "f",
        'ม' => "m",
        'ร' => "r",
        'ล' | 'ฬ' => "l",
        'ว' => "w",
        'ห' | 'ฮ' => "h",
        _ => "",
    }
}

/// RTGS value of a consonant closing a syllable.
pub(crate) fn final_rtgs(c: char) -> &'static str {
    match c {
        'ก' | 'ข' | 'ฃ' | 'ค' | 'ฅ' | 'ฆ' => "k",
        'ง' => "ng",
        'บ' | 'ป' | 'พ' | 'ฟ' | 'ภ' | 'ผ' | 'ฝ' => "p",
        'ม' => "m",
        'ญ' | 'ณ' | 'น' | 'ร' | 'ล' | 'ฬ' => "n",
        'ย' => "i",
        'ว' => "o",
        'อ' | 'ห' | 'ฮ' => "",
        _ => "t",
    }
}

/// True when `a` then `b` begin one syllable together (a cluster, or a silent leading ห/อ).
fn joins(a: char, b: char) -> bool {
    let cluster = match b {
        'ว' => matches!(a, 'ก' | 'ข' | 'ค'),
        'ร' => matches!(
            a,
            'ก' | 'ข'
                | 'ค'
                | 'ต'
                | 'ป'
                | 'พ'
                | 'บ'
                | 'ด'
                | 'ท'
                | 'ศ'
                | 'ส'
                | 'จ'
                | 'ผ'
                | 'ฟ'
        ),
        'ล' => matches!(a, 'ก' | 'ข' | 'ค' | 'ป' | 'พ' | 'ผ' | 'บ' | 'ฟ'),
        _ => false,
    };
    cluster
        || (a == 'ห' && matches!(b, 'ง' | 'ญ' | 'น' | 'ม' | 'ย' | 'ร' | 'ล' | 'ว'))
        || (a == 'อ' && b == 'ย')
}

/// True when the consonant at `i` carries a vowel of its own (written after it, or a pre-vowel
/// right before it or before the cluster it ends).
fn bears_vowel(s: &[char], i: usize) -> bool {
    let next = s.get(i + 1).copied();
    if next.is_some_and(is_dependent_vowel) {
        return true;
    }
    if next == Some('ร') && s.get(i + 2) == Some(&'ร') {
        return true;
    }
    if i > 0 && is_pre_vowel(s[i - 1]) {
        return true;
    }
    // ั is always closed: the consonant after it is its final (ชัยวงศ์ is chai-wong).
    if i > 0 && s[i - 1] == 'ั' {
        return false;
    }
    // -อ as a vowel (พ่อ, ขอ) or -ว- as ua (สวน), but only when what follows is no vowel of its
    // own, and not a ว that begins -วรร- (กมลวรรณ).
    if let Some(n @ ('อ' | 'ว')) = next {
        let after = s.get(i + 2).copied();
        let vowel_ahead = after.is_some_and(is_dependent_vowel);
        let rr = after == Some('ร') && s.get(i + 3) == Some(&'ร');
        return !vowel_ahead && !rr && (n == 'อ' || after.is_some_and(is_consonant));
    }
    false
}

/// Reads the syllables of a name.
pub(crate) fn syllables(name: &str) -> Vec<Syllable> {
    let mut s = clean(name);
    // เ-ิ, เ-ีย, เ-ือ wrap one consonant: with two inside that make no cluster, the first is a
    // syllable of its own (เฉลิม: cha-loem), so it is moved before the เ.
    for k in 0..s.len().saturating_sub(3) {
        if s[k] == 'เ'
            && is_consonant(s[k + 1])
            && is_consonant(s[k + 2])
            && !joins(s[k + 1], s[k + 2])
            && matches!(s[k + 3], 'ิ' | 'ี' | 'ื')
        {
            s.swap(k, k + 1);
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if !('\u{0E01}'..='\u{0E4E}').contains(&c) {
            out.push(Syllable {
                initial: vec![],
                vowel: "",
                last: None,
                other: Some(c),
                pair: false,
                triple: false,
            });
            i += 1;
            continue;
        }
        if c == 'ฤ' || c == 'ฦ' {
            out.push(Syllable {
                initial: vec![],
                vowel: if c == 'ฤ' { "rue" } else { "lue" },
                last: None,
                other: None,
                pair: false,
                triple: false,
            });
            i += 1;
            continue;
        }
        let pre = is_pre_vowel(c).then_some(c);
        if pre.is_some() {
            i += 1;
        }
        let Some(&first) = s.get(i).filter(|c| is_consonant(**c)) else {
            // A stray vowel: read it alone.
            out.push(Syllable {
                initial: vec![],
                vowel: pre.map(pre_alone).unwrap_or(""),
                last: None,
                other: None,
                pair: false,
                triple: false,
            });
            if pre.is_none() {
                i += 1;
            }
            continue;
        };
        let mut initial = vec![first];
        i += 1;
        if let Some(&second) = s.get(i) {
            // After เ/แ/โ a second consonant joins if a vowel or a closing consonant follows
            // (แขวง, เพลง); -ว- only before a vowel or a final that ends the name (แก้วมณี).
            let more = match s.get(i + 1) {
                Some(c) if is_dependent_vowel(*c) => true,
                Some(c) if is_consonant(*c) => second != 'ว' || i + 2 >= s.len(),
                _ => false,
            };
            let open_pre = matches!(pre, Some('ไ' | 'ใ'));
            if is_consonant(second)
                && joins(first, second)
                && ((pre.is_some() && (more || open_pre)) || bears_vowel(&s, i))
            {
                initial.push(second);
                i += 1;
            }
        }
        let (vowel, open) = read_vowel(&s, &mut i, pre);
        if vowel.is_empty() {
            // No written vowel: count the bare consonants from here.
            bare_run(&s, &mut i, initial, &mut out);
            continue;
        }
        // ไชย, ไทย: a bare ย after ไ is not read.
        if pre == Some('ไ')
            && s.get(i) == Some(&'ย')
            && !s.get(i + 1).is_some_and(|c| is_dependent_vowel(*c))
        {
            i += 1;
        }
        let mut last = None;
        if vowel == "an_rr" {
            let f = s
                .get(i)
                .copied()
                .filter(|f| is_consonant(*f) && !bears_vowel(&s, i));
            if f.is_some() {
                i += 1;
            }
            out.push(Syllable {
                initial,
                vowel: "a",
                last: f.or(Some('น')),
                other: None,
                pair: false,
                triple: false,
            });
            continue;
        }
        // ศรี in a name is a syllable of its own (ศรีสวัสดิ์, ศรีวงศ์).
        let si = matches!(initial.as_slice(), ['ศ' | 'ส', 'ร']) && vowel == "i";
        // Two bare consonants ending the name read CoC (ศิริพร), so the first is no final.
        let coc = pre.is_none() && bare_count(&s, i) == 2 && i + 2 == s.len();
        if !open && !si && !coc {
            if let Some(&f) = s.get(i) {
                if is_consonant(f)
                    && !bears_vowel(&s, i)
                    && !(f == 'ร' && s.get(i + 1) == Some(&'ร'))
                {
                    last = Some(f);
                    i += 1;
                    // A ร after a final at the end of the name is silent (เพชร, ภัทร, มิตร).
                    if s.get(i) == Some(&'ร') && i + 1 == s.len() {
                        i += 1;
                    }
                }
            }
        }
        out.push(Syllable {
            initial,
            vowel,
            last,
            other: None,
            pair: false,
            triple: false,
        });
    }
    out
}

/// How many consonants from `i` carry no vowel of their own.
fn bare_count(s: &[char], i: usize) -> usize {
    let mut k = i;
    while k < s.len() && is_consonant(s[k]) && !bears_vowel(s, k) {
        k += 1;
    }
    k - i
}

fn pre_alone(c: char) -> &'static str {
    match c {
        'เ' => "e",
        'แ' => "ae",
        'โ' => "o",
        _ => "ai",
    }
}

/// Reads the written vowel after the initial at `*i`; returns its sound and whether it is open
/// (takes no final consonant).
fn read_vowel(s: &[char], i: &mut usize, pre: Option<char>) -> (&'static str, bool) {
    let p = *i;
    let at = |k: usize| s.get(k).copied();
    let c = at(p);
    let take = |n: usize, v: &'static str, open: bool| (n, v, open);
    let (n, v, open) = match pre {
        Some('ไ' | 'ใ') => take(0, "ai", true),
        Some('โ') => match c {
            Some('ะ') => take(1, "o", true),
            _ => take(0, "o", false),
        },
        Some('แ') => match c {
            Some('ะ') => take(1, "ae", true),
            Some('็') => take(1, "ae", false),
            _ => take(0, "ae", false),
        },
        Some(_) => match (c, at(p + 1), at(p + 2)) {
            (Some('า'), Some('ะ'), _) => take(2, "o", true),
            (Some('า'), _, _) => take(1, "ao", true),
            (Some('ี'), Some('ย'), Some('ะ')) => take(3, "ia", true),
            (Some('ี'), Some('ย'), _) => take(2, "ia", false),
            (Some('ื'), Some('อ'), Some('ะ')) => take(3, "uea", true),
            (Some('ื'), Some('อ'), _) => take(2, "uea", false),
            (Some('ิ'), _, _) => take(1, "oe", false),
            (Some('อ'), _, _) => take(1, "oe", true),
            (Some('ะ'), _, _) => take(1, "e", true),
            (Some('็'), _, _) => take(1, "e", false),
            _ => take(0, "e", false),
        },
        None => match (c, at(p + 1)) {
            (Some('ั'), Some('ว')) => take(2, "ua", false),
            (Some('ั'), _) => take(1, "a", false),
            (Some('า'), _) => take(1, "a", false),
            (Some('ะ'), _) => take(1, "a", true),
            (Some('ำ'), _) => take(1, "am", true),
            (Some('ิ' | 'ี'), Some('ย')) if !at(p + 2).is_some_and(is_dependent_vowel) => {
                take(2, "ia", false)
            }
            (Some('ิ' | 'ี'), _) => take(1, "i", false),
            (Some('ึ'), _) => take(1, "ue", false),
            (Some('ื'), Some('อ')) => take(2, "ue", false),
            (Some('ื'), _) => take(1, "ue", false),
            (Some('ุ' | 'ู'), _) => take(1, "u", false),
            (Some('็'), _) => take(1, "o", false),
            (Some('อ'), _) if !at(p + 1).is_some_and(is_dependent_vowel) => take(1, "o", false),
            (Some('ว'), Some(n))
                if is_consonant(n) && !at(p + 2).is_some_and(is_dependent_vowel) =>
            {
                take(1, "ua", false)
            }
            (Some('ร'), Some('ร')) => take(2, "an_rr", false),
            _ => (0, "", false),
        },
    };
    *i += n;
    (v, open)
}

/// A syllable with no written vowel, and the bare consonants after it: CC → CoC, CCC → Ca-CoC,
/// CCCC → CoC-CoC; a lone consonant before a consonant that carries a vowel reads Ca.
fn bare_run(s: &[char], i: &mut usize, initial: Vec<char>, out: &mut Vec<Syllable>) {
    let mut run = vec![initial];
    while let Some(&c) = s.get(*i) {
        if !is_consonant(c) || bears_vowel(s, *i) {
            break;
        }
        if c == 'ร' && s.get(*i + 1) == Some(&'ร') {
            break;
        }
        if s.get(*i + 1)
            .is_some_and(|n| joins(c, *n) && bears_vowel(s, *i + 1))
        {
            break;
        }
        run.push(vec![c]);
        *i += 1;
    }
    let mut k = 0;
    if run.len() % 2 == 1 {
        let mut init = std::mem::take(&mut run[0]);
        // รร after a lone consonant: -an (วรรณ), the next consonant its final.
        if s.get(*i) == Some(&'ร') && s.get(*i + 1) == Some(&'ร') {
            *i += 2;
            let last = s
                .get(*i)
                .copied()
                .filter(|c| is_consonant(*c) && !bears_vowel(s, *i));
            if last.is_some() {
                *i += 1;
            }
            out.push(Syllable {
                initial: init,
                vowel: "a",
                last: last.or(Some('น')),
                other: None,
                pair: false,
                triple: false,
            });
            return;
        }
        let vowel = if *i >= s.len() && run.len() == 1 {
            "o"
        } else {
            "a"
        };
        out.push(Syllable {
            initial: std::mem::take(&mut init),
            vowel,
            last: None,
            other: None,
            pair: false,
            triple: run.len() == 3 && *i < s.len(),
        });
        k = 1;
    }
    while k + 1 < run.len() {
        let last = run[k + 1].first().copied();
        out.push(Syllable {
            initial: std::mem::take(&mut run[k]),
            vowel: "o",
            last,
            other: None,
            pair: true,
            triple: false,
        });
        k += 2;
    }
}
