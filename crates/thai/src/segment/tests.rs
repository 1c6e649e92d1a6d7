//! Tests of the whole segmenter: examples, mixed scripts, and properties over random text.

use super::tcc::{self, DOT};
use super::*;
use proptest::prelude::*;

fn words(text: &str) -> Vec<&str> {
    segment(text)
}

#[test]
fn social_work_examples() {
    assert_eq!(
        words("นักสังคมสงเคราะห์เยี่ยมบ้าน"),
        ["นักสังคมสงเคราะห์", "เยี่ยมบ้าน"]
    );
    assert_eq!(
        words("ผู้เสียหายได้รับการช่วยเหลือ"),
        ["ผู้เสียหาย", "ได้รับ", "การ", "ช่วยเหลือ"]
    );
    assert_eq!(
        words("ส่งต่อบ้านพักเด็กและครอบครัว"),
        ["ส่งต่อ", "บ้านพักเด็กและครอบครัว"]
    );
    assert_eq!(words("ตามตัวผู้ต้องหา"), ["ตามตัว", "ผู้ต้องหา"]);
}

#[test]
fn empty_and_blank_input() {
    assert!(words("").is_empty());
    assert!(words("   \t\n\u{200B} ").is_empty());
    let mut out = vec![(1, 2)];
    segment_into("", &mut out);
    assert!(out.is_empty(), "segment_into clears its output");
}

#[test]
fn numbers_dates_and_phones() {
    assert_eq!(words("1,250.50 บาท"), ["1,250.50", "บาท"]);
    assert_eq!(words("14/02/2569"), ["14", "/", "02", "/", "2569"]);
    assert_eq!(words("081-234-5678"), ["081", "-", "234", "-", "5678"]);
    assert_eq!(words("๑๔ ก.พ. ๒๕๖๙"), ["๑๔", "ก.พ.", "๒๕๖๙"]);
    assert_eq!(words("อายุ15ปี"), ["อายุ", "15", "ปี"]);
    assert_eq!(words("10.30น."), ["10.30", "น."]);
    assert_eq!(words("2569."), ["2569", "."]);
    assert_eq!(words("1,,2"), ["1", ",", ",", "2"]);
}

#[test]
fn mixed_scripts_and_punctuation() {
    assert_eq!(
        words("ติดต่อผ่าน LINE ได้ทุกวัน"),
        ["ติดต่อ", "ผ่าน", "LINE", "ได้", "ทุกวัน"]
    );
    assert_eq!(words("ทำงานที่Tesco"), ["ทำงาน", "ที่", "Tesco"]);
    assert_eq!(words("(นาย ก.)"), ["(", "นาย", "ก.", ")"]);
    assert_eq!(words("\"หนู\""), ["\"", "หนู", "\""]);
    assert_eq!(
        words("don't MA1234567 café"),
        ["don't", "MA1234567", "café"]
    );
    assert_eq!(words("a@b.org"), ["a", "@", "b", ".", "org"]);
    assert_eq!(words("ต.หนองบัว อ.เมือง")[0], "ต.");
    assert_eq!(words("ไป..."), ["ไป", ".", ".", "."]);
    assert_eq!(words("บ่อยๆ ต่าง ๆ"), ["บ่อยๆ", "ต่าง", "ๆ"]);
    assert_eq!(words("😀ก"), ["😀", "ก"]);
}

#[test]
fn unknown_stretches_stay_together() {
    // A run of clusters no word covers is one token, not one token per cluster.
    let out = words("ฆฆฆฆฆ");
    assert_eq!(out.concat(), "ฆฆฆฆฆ");
    assert!(out.len() <= 5);
    assert_eq!(words("ฃฅฃฅ"), ["ฃฅฃฅ"]);
}

#[test]
fn very_long_input_does_not_panic() {
    let sentence = "ผู้เสียหายได้รับการช่วยเหลือจากเจ้าหน้าที่ตำรวจ";
    let long: String = sentence.repeat(5_000);
    let out = words(&long);
    assert_eq!(out.len(), 5_000 * words(sentence).len());
    assert_eq!(out.concat(), long);
    let marks = "่".repeat(20_000);
    assert_eq!(words(&marks).concat(), marks);
    let unknown = "ฃ".repeat(50_000);
    assert_eq!(words(&unknown), [unknown.as_str()]);
}

#[test]
fn segment_into_reuses_its_vector() {
    let text = "เด็ก 3 คน";
    let mut out = Vec::new();
    segment_into(text, &mut out);
    assert_eq!(out, [(0, 12), (13, 14), (15, 21)]);
    segment_into(text, &mut out);
    assert_eq!(out.len(), 3);
}

/// The run codes of `text` if it is a Thai run, for checking boundaries against the clusters.
fn run_codes(text: &str) -> Vec<u8> {
    text.chars()
        .map(|ch| {
            if ch == '.' {
                DOT
            } else {
                tcc::code_of(ch).unwrap_or(DOT)
            }
        })
        .collect()
}

/// Checks the invariants of one segmentation of `text`.
fn check_invariants(text: &str) -> Result<(), TestCaseError> {
    let mut ranges = Vec::new();
    segment_into(text, &mut ranges);
    // Tokens in order, non-empty, on char boundaries, with only white space between them.
    let mut rebuilt = String::new();
    let mut at = 0;
    for &(start, end) in &ranges {
        prop_assert!(start >= at && start < end && end <= text.len());
        prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        let gap = &text[at..start];
        prop_assert!(
            gap.chars().all(is_space),
            "non-space {:?} dropped from {:?}",
            gap,
            text
        );
        rebuilt.push_str(gap);
        rebuilt.push_str(&text[start..end]);
        at = end;
    }
    prop_assert!(text[at..].chars().all(is_space));
    rebuilt.push_str(&text[at..]);
    prop_assert_eq!(&rebuilt, text);

    // Every boundary between two Thai characters is a cluster boundary.
    let cuts: Vec<usize> = ranges.iter().flat_map(|&(s, e)| [s, e]).collect();
    for &cut in &cuts {
        let (before, after) = (&text[..cut], &text[cut..]);
        let (Some(prev), Some(next)) = (before.chars().next_back(), after.chars().next()) else {
            continue;
        };
        if tcc::code_of(prev).is_none() || tcc::code_of(next).is_none() {
            continue;
        }
        // The Thai run around the cut, and the cut's index in it.
        let run_start = before
            .char_indices()
            .rev()
            .take_while(|&(_, ch)| tcc::code_of(ch).is_some())
            .last()
            .map_or(cut, |(i, _)| i);
        let run_end = after
            .char_indices()
            .find(|&(_, ch)| tcc::code_of(ch).is_none())
            .map_or(text.len(), |(i, _)| cut + i);
        let run = &text[run_start..run_end];
        let index = text[run_start..cut].chars().count();
        let mut brk = Vec::new();
        tcc::boundaries(&run_codes(run), &mut brk);
        prop_assert!(
            brk[index],
            "cut inside a cluster of {:?} in {:?}",
            run,
            text
        );
        // And independently of the cluster code: never before a mark or following vowel,
        // never after a leading vowel (a full stop, ฯ or ๆ stands alone even there).
        if matches!(prev, 'ฯ' | 'ๆ') || matches!(next, 'ฯ' | 'ๆ') {
            continue;
        }
        prop_assert!(
            !matches!(next, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}'),
            "cut before a mark in {:?}",
            text
        );
        prop_assert!(
            !matches!(next, 'ะ' | 'า' | 'ำ' | 'ๅ'),
            "cut before a following vowel"
        );
        prop_assert!(
            !matches!(prev, 'เ' | 'แ' | 'โ' | 'ใ' | 'ไ'),
            "cut after a leading vowel"
        );
    }
    Ok(())
}

/// Characters for random text: mostly Thai script, with digits, stops, spaces and Latin.
fn text_char() -> impl Strategy<Value = char> {
    prop_oneof![
        8 => (0x0E01u32..=0x0E5B).prop_map(|cp| char::from_u32(cp).unwrap_or('ก')),
        1 => prop::sample::select(vec![' ', '.', ',', '-', '/', '1', '9', 'a', 'Z', '\u{200B}', 'é', '\n']),
    ]
}

/// Plausible Thai: dictionary-ish syllables glued together, with occasional noise.
fn thai_text() -> impl Strategy<Value = String> {
    let syllables = prop::sample::select(vec![
        "ผู้",
        "เสีย",
        "หาย",
        "เด็ก",
        "ครอบ",
        "ครัว",
        "ที่",
        "การ",
        "ช่วย",
        "เหลือ",
        "นัก",
        "สังคม",
        "เยี่ยม",
        "บ้าน",
        "ไม่",
        "ได้",
        "รับ",
        "ตาม",
        "ตัว",
        "ก็",
        "เปลี่ยน",
        "จันทร์",
        "ๆ",
        "ฯ",
        ".",
        " ",
        "1,250.50",
        "LINE",
        "่",
        "ะ",
        "เ",
        "ั",
    ]);
    prop::collection::vec(syllables, 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_characters_keep_invariants(chars in prop::collection::vec(text_char(), 0..80)) {
        let text: String = chars.into_iter().collect();
        check_invariants(&text)?;
    }

    #[test]
    fn random_syllables_keep_invariants(text in thai_text()) {
        check_invariants(&text)?;
    }

    #[test]
    fn segment_and_segment_into_agree(text in thai_text()) {
        let mut ranges = Vec::new();
        segment_into(&text, &mut ranges);
        let slices: Vec<&str> = ranges.iter().map(|&(s, e)| &text[s..e]).collect();
        prop_assert_eq!(segment(&text), slices);
    }
}
