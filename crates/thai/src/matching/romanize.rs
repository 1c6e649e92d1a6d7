//! RTGS romanisation of Thai names (Royal Institute rules: initial and final consonant values,
//! vowels, no tones) and the Latin-side sound key where Thai and Latin spellings of one name
//! meet.

use super::normalize::clean;
use super::syllable::{final_rtgs, initial_rtgs, syllables, Syllable};

/// The RTGS romanisation of a Thai name, lowercase, no spaces (สมชาย → `somchai`, ศรีวรรณ →
/// `siwan`). Latin letters and digits in the input are kept.
pub fn romanize(name: &str) -> String {
    let mut out = String::new();
    for s in syllables(name) {
        push_rtgs(&mut out, &s);
    }
    out
}

/// At most this many readings of one name (`romanize_readings`).
const MAX_READINGS: usize = 16;

/// Every RTGS reading the spelling of a Thai name allows, the usual one (`romanize`) first, at
/// most 16. Names of Pali and Sanskrit origin are said with a linking vowel the spelling does
/// not show, and RTGS writes what is said: a final consonant is also read as the start of a
/// syllable of its own (ณัฐพล nat-tha-phon, รัตนา rat-ta-na, กัลยา kan-la-ya; a final ร only
/// starts one: สุรเชษฐ์ su-ra-chet); two bare consonants read CoC are also read Co-Ca or Ca-Ca
/// (วรวิทย์ wo-ra-wit, ธนพร tha-na-phon, อรพิน o-ra-phin); three read Ca-CoC also CoC-Ca
/// (วงศ์สวัสดิ์ wong-sa-wat); and a last consonant with ิ after an open syllable is also that
/// syllable's final (วุฒิ wut, ชาติ chat, เกียรติ kiat). A Latin name is its own only reading.
pub fn romanize_readings(name: &str) -> Vec<String> {
    let mut syl = syllables(name);
    let mut out = readings_of(&syl);
    // The last consonant with ิ read as the final of the syllable before (วุฒิ, ภูมิ, ชาติ).
    let n = syl.len();
    if n >= 2 && clean(name).last() == Some(&'ิ') {
        let (head, tail) = syl.split_at_mut(n - 1);
        let (prev, last) = (&mut head[n - 2], &tail[0]);
        if let ([c], "i", None, None, None | Some('ร')) = (
            last.initial.as_slice(),
            last.vowel,
            last.last,
            last.other,
            prev.last,
        ) {
            if prev.other.is_none() && !prev.vowel.is_empty() {
                prev.last = Some(*c);
                syl.pop();
                for r in readings_of(&syl) {
                    if out.len() < MAX_READINGS && !out.contains(&r) {
                        out.push(r);
                    }
                }
            }
        }
    }
    out
}

/// The readings of a run of syllables (see `romanize_readings`).
fn readings_of(syl: &[Syllable]) -> Vec<String> {
    let mut outs: Vec<String> = vec![String::new()];
    let mut i = 0;
    while i < syl.len() {
        let s = &syl[i];
        let mut plain = String::new();
        push_rtgs(&mut plain, s);
        let mut opts = vec![plain.clone()];
        let more = syl.get(i + 1).is_some_and(|n| n.other.is_none());
        let mut step = 1;
        if let (true, Some(next), true) = (s.triple, syl.get(i + 1), more) {
            // Ca-CoC, or CoC-Ca when another syllable follows the three.
            let mut both = plain.clone();
            push_rtgs(&mut both, next);
            opts = vec![both];
            if let ([b], Some(c)) = (next.initial.as_slice(), next.last) {
                opts.push(format!(
                    "{}o{}{}a",
                    initial_of(s),
                    final_rtgs(*b),
                    initial_rtgs(c)
                ));
            }
            step = 2;
        } else if let (Some(f), None, true) = (s.last, s.other, more) {
            let again = initial_rtgs(f);
            if s.pair {
                let init = initial_of(s);
                opts.push(format!("{init}o{again}a"));
                opts.push(format!("{init}a{again}a"));
            } else if f == 'ร' {
                let mut open = String::new();
                push_rtgs(
                    &mut open,
                    &Syllable {
                        last: None,
                        ..s.clone()
                    },
                );
                opts.push(format!("{open}ra"));
            } else if f != 'ง' && !again.is_empty() {
                opts.push(format!("{plain}{again}a"));
            }
        }
        let mut next = Vec::with_capacity(outs.len() * opts.len());
        for o in &outs {
            for p in &opts {
                if next.len() < MAX_READINGS {
                    next.push(format!("{o}{p}"));
                }
            }
        }
        outs = next;
        i += step;
    }
    let mut seen = std::collections::HashSet::new();
    outs.retain(|r| seen.insert(r.clone()));
    outs
}

/// The RTGS letters of a syllable's initial consonant(s).
fn initial_of(s: &Syllable) -> String {
    match s.initial.as_slice() {
        [] => String::new(),
        ['ห' | 'อ', b] => initial_rtgs(*b).to_string(),
        ['ท', 'ร'] => "s".into(),
        [a @ ('จ' | 'ศ' | 'ส' | 'ซ'), 'ร'] => initial_rtgs(*a).to_string(),
        [a, b] => format!("{}{}", initial_rtgs(*a), initial_rtgs(*b)),
        [a, ..] => initial_rtgs(*a).to_string(),
    }
}

fn push_rtgs(out: &mut String, s: &Syllable) {
    if let Some(c) = s.other {
        out.push(c);
        return;
    }
    let initial = initial_of(s);
    out.push_str(&initial);
    out.push_str(s.vowel);
    if let Some(f) = s.last {
        let v = final_rtgs(f);
        // ย and ว after a vowel that already ends in i or o are not written twice.
        let doubled = (v == "i" && s.vowel.ends_with('i')) || (v == "o" && s.vowel.ends_with('o'));
        if !doubled {
            out.push_str(v);
        }
    }
}

/// The Latin-side sound key: lowercase letters only, with the spellings that Thai names take in
/// passports and RTGS brought together (ph/p, th/t, kh/k, ch/j/c, v/w, ee/i, oo/u, ay/ai, er/oe,
/// final r and l as n, sr as s, doubled letters once). Applied to a Latin name and to the
/// romanisation of a Thai one, so `Somchay`, `Somchai` and สมชาย meet.
pub fn latin_key(name: &str) -> String {
    let s: String = name
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let mut s = s;
    for (from, to) in [
        ("uea", "ua"),
        ("tch", "c"),
        ("ch", "c"),
        ("sh", "c"),
        ("j", "c"),
        ("ph", "p"),
        ("th", "t"),
        ("kh", "k"),
        ("gh", "k"),
        ("q", "k"),
        ("x", "s"),
        ("z", "s"),
        ("v", "w"),
        ("sr", "s"),
        ("ee", "i"),
        ("ea", "i"),
        ("oo", "u"),
        ("ou", "u"),
        ("ue", "u"),
        ("eu", "u"),
        ("oe", "e"),
        ("ay", "ai"),
        ("ey", "ei"),
    ] {
        s = s.replace(from, to);
    }
    let b: Vec<u8> = s.into_bytes();
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    for (i, &c) in b.iter().enumerate() {
        let next = b.get(i + 1).copied();
        let closes = i > 0 && next.is_none_or(|n| !vowel(n) && n != b'y');
        let c = match c {
            b'y' if i > 0 && next.is_none_or(|n| !vowel(n)) => b'i',
            b'r' | b'l' if closes && i > 0 && vowel(b[i - 1]) && c == b'l' => b'n',
            b'r' if closes && i > 0 && vowel(b[i - 1]) => {
                // Final r: "orn"/"or" is -on (Soontorn), "er" is -oe (Chalerm).
                if b[i - 1] == b'e' {
                    continue;
                }
                b'n'
            }
            b'w' if closes && vowel(b[i - 1]) => b'o',
            b'd' if closes => b't',
            b'b' if closes => b'p',
            b'g' if !(i > 0 && b[i - 1] == b'n') => b'k',
            b'h' if i > 0 && vowel(b[i - 1]) => continue,
            c => c,
        };
        if out.last() != Some(&c) {
            out.push(c);
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The consonants of a Latin-side key (`latin_key`), a doubled one once: what the readings of
/// one name keep in common whatever vowels, linking vowels included, are written. A blocking
/// key, never a match by itself.
pub fn skeleton(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u') {
            continue;
        }
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn romanizes_common_names() {
        let mut bad = Vec::new();
        for (th, rtgs) in [
            ("สมชาย", "somchai"),
            ("สมศักดิ์", "somsak"),
            ("ประเสริฐ", "prasoet"),
            ("สุนทร", "sunthon"),
            ("กาญจนา", "kanchana"),
            ("ศรีวรรณ", "siwan"),
            ("มณี", "mani"),
            ("แก้ว", "kaeo"),
            ("ใจดี", "chaidi"),
            ("วิชัย", "wichai"),
            ("บุญมี", "bunmi"),
            ("สุดา", "suda"),
            ("ทองดี", "thongdi"),
            ("กมล", "kamon"),
            ("พรทิพย์", "phonthip"),
            ("เพ็ญศรี", "phensi"),
            ("นิด", "nit"),
            ("เดือน", "duean"),
            ("สมหญิง", "somying"),
            ("อรุณ", "arun"),
        ] {
            if romanize(th) != rtgs {
                bad.push(format!("{th} {} != {rtgs}", romanize(th)));
            }
        }
        assert!(bad.is_empty(), "{bad:#?}");
    }

    #[test]
    fn rtgs_readings_with_linking_vowels() {
        let mut bad = Vec::new();
        for (th, rtgs) in [
            ("วรวิทย์", "worawit"),
            ("เลียงประสิทธิ์", "liangprasit"),
            ("ณัฐพล", "natthaphon"),
            ("ธนพร", "thanaphon"),
            ("อรพิน", "oraphin"),
            ("กมลวรรณ", "kamonwan"),
            ("ทิพวรรณ", "thipphawan"),
            ("กัลยา", "kanlaya"),
            ("สุรเชษฐ์", "surachet"),
            ("พีรพล", "phiraphon"),
            ("วงศ์สวัสดิ์", "wongsawat"),
            ("ชัยวงศ์", "chaiwong"),
            ("เฉลิม", "chaloem"),
            ("วรวุฒิ", "worawut"),
            ("อภิชาติ", "aphichat"),
            ("สมเกียรติ", "somkiat"),
        ] {
            let all = romanize_readings(th);
            if !all.iter().any(|r| r == rtgs) {
                bad.push(format!("{th} {all:?} lacks {rtgs}"));
            }
        }
        assert!(bad.is_empty(), "{bad:#?}");
        // The usual reading comes first; a name without a linking place has only it.
        assert_eq!(romanize_readings("ณัฐพล")[0], romanize("ณัฐพล"));
        assert_eq!(romanize_readings("มานี"), ["mani"]);
        assert!(romanize_readings("ณรงค์ศักดิ์สิทธิ์ประเสริฐวงศ์").len() <= 16);
    }

    #[test]
    fn skeletons_keep_consonants() {
        assert_eq!(skeleton(&latin_key("Worawit")), "wrwt");
        assert_eq!(skeleton("natapon"), skeleton("natpon"));
    }

    #[test]
    fn latin_spellings_meet() {
        let k = latin_key;
        assert_eq!(k("Somchai"), k("Somchay"));
        assert_eq!(k("Sriwan"), k("Siwan"));
        assert_eq!(k("Soontorn"), k("Sunthon"));
        assert_eq!(k("Boonmee"), k("Bunmi"));
        assert_eq!(k("Chalerm"), k("Chaloem"));
        assert_eq!(k("Kamol"), k("Kamon"));
        assert_eq!(k("Vichai"), k("Wichai"));
        assert_eq!(k("Pornthip"), k("Phonthip"));
        assert_eq!(k(&romanize("สมชาย")), k("SOMCHAI"));
        assert_ne!(k("Somchai"), k("Somsak"));
    }
}
