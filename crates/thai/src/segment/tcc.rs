//! Thai character clusters (TCC): the smallest stretches of Thai script that no word boundary
//! can fall inside, after Theeramunkong et al., "Character cluster based Thai information
//! retrieval" (IRAL 2000).
//!
//! A Thai run is handled as a slice of small codes (see [`code_of`]): the code of a Thai
//! character is its offset in the Thai block (U+0E00..U+0E7F), and a full stop that follows
//! Thai letters (abbreviations such as "พ.ศ.") is [`DOT`]. A cluster boundary is allowed before
//! every character except where one of these rules glues it to what precedes:
//!
//! - combining marks (above/below vowels, tone marks, ็ ์ ํ ฺ) and the following vowels ะ า ำ ๅ
//!   attach to the character before them;
//! - a leading vowel (เ แ โ ใ ไ) attaches to the character after it;
//! - silent letters attach backwards: one or two consonants, perhaps with ิ or ุ, under ์
//!   ("จันทร์", "ศาสตร์", "ฤทธิ์");
//! - a vowel that cannot end a syllable takes the next consonant: ั (กัน, ตัว), ึ ื (ขึ้น, มือ),
//!   ็ after เ or แ (เด็ก, แข็ง), ิ after เ (เดิน), ี after เ takes ย (เรียน);
//! - after a leading vowel two onset consonants stay together before ี…ย, า ะ or ็
//!   (เปลี่ยน, เพราะ, เคร็ง), where the second consonant cannot start a syllable of its own.
//!
//! The full stop, ฯ and ๆ are clusters of their own. The rules only ever join characters that
//! cannot belong to different words, so the clusters are never too coarse; they are sometimes
//! finer than a syllable (เพลง gives เพ, ล, ง), which the dictionary then joins.

/// The code of a full stop inside a Thai run (U+0E00 is unassigned, so no Thai letter has it).
pub(super) const DOT: u8 = 0;
/// ฯ (paiyannoi), a cluster of its own that dictionary words may contain ("กรุงเทพฯ").
pub(super) const PAIYANNOI: u8 = 0x2F;
/// ๆ (mai yamok), a cluster of its own that dictionary words may contain ("บ่อยๆ").
pub(super) const MAIYAMOK: u8 = 0x46;
/// Number of distinct codes in a Thai run (0..=0x4E).
pub(super) const ALPHABET: usize = 0x4F;

const KO_KAI: u8 = 0x01;
const YO_YAK: u8 = 0x22;
const SARA_A: u8 = 0x30;
const MAI_HAN_AKAT: u8 = 0x31;
const SARA_AA: u8 = 0x32;
const SARA_I: u8 = 0x34;
const SARA_II: u8 = 0x35;
const SARA_UE: u8 = 0x36;
const SARA_UEE: u8 = 0x37;
const SARA_U: u8 = 0x38;
const SARA_E: u8 = 0x40;
const SARA_AE: u8 = 0x41;
const MAITAIKHU: u8 = 0x47;
const THANTHAKHAT: u8 = 0x4C;

const CONSONANT: u8 = 1;
const LEADING: u8 = 2;
const FOLLOWING: u8 = 4;
const MARK: u8 = 8;
const TONE: u8 = 16;
const ALONE: u8 = 32;

/// Character class of every code, by the flags above.
const CLASS: [u8; ALPHABET] = {
    let mut table = [0u8; ALPHABET];
    table[DOT as usize] = ALONE;
    let mut c = 0x01;
    while c <= 0x2E {
        table[c] = CONSONANT;
        c += 1;
    }
    table[PAIYANNOI as usize] = ALONE;
    table[MAIYAMOK as usize] = ALONE;
    table[0x30] = FOLLOWING; // ะ
    table[0x31] = MARK; // ั
    table[0x32] = FOLLOWING; // า
    table[0x33] = FOLLOWING; // ำ
    let mut c = 0x34;
    while c <= 0x3A {
        table[c] = MARK; // ิ ี ึ ื ุ ู ฺ
        c += 1;
    }
    let mut c = 0x40;
    while c <= 0x44 {
        table[c] = LEADING; // เ แ โ ใ ไ
        c += 1;
    }
    table[0x45] = FOLLOWING; // ๅ
    let mut c = 0x47;
    while c <= 0x4E {
        table[c] = MARK; // ็ ่ ้ ๊ ๋ ์ ํ ๎
        c += 1;
    }
    let mut c = 0x48;
    while c <= 0x4B {
        table[c] = MARK | TONE;
        c += 1;
    }
    table
};

/// The run code of a Thai character that belongs in a Thai run (letters, vowels, marks, ฯ, ๆ),
/// or `None` (digits, ฿, ๏ ๚ ๛, unassigned code points, anything outside the block).
#[inline]
pub(super) fn code_of(ch: char) -> Option<u8> {
    let offset = (ch as u32).checked_sub(0x0E00)?;
    u8::try_from(offset).ok().and_then(run_code)
}

/// The run code of the character at `offset` in the Thai block, as [`code_of`].
#[inline]
pub(super) fn run_code(offset: u8) -> Option<u8> {
    matches!(offset, 0x01..=0x3A | 0x40..=0x4E).then_some(offset)
}

#[inline]
fn class(c: u8) -> u8 {
    CLASS.get(c as usize).copied().unwrap_or(0)
}

/// Whether `c` is a cluster of its own (full stop, ฯ, ๆ).
#[inline]
pub(super) fn is_alone(c: u8) -> bool {
    class(c) & ALONE != 0
}

#[inline]
fn is_consonant(c: u8) -> bool {
    class(c) & CONSONANT != 0
}

#[inline]
fn is_tone(c: u8) -> bool {
    class(c) & TONE != 0
}

/// Fills `brk` with `codes.len() + 1` flags: `brk[i]` is true when a cluster starts at `i`
/// (and at the end of the run).
pub(super) fn boundaries(codes: &[u8], brk: &mut Vec<bool>) {
    let n = codes.len();
    brk.clear();
    brk.resize(n + 1, false);
    brk[0] = true;
    brk[n] = true;
    let mut start = 0;
    for (i, boundary) in brk.iter_mut().enumerate().take(n).skip(1) {
        if !glued(codes, start, i) {
            *boundary = true;
            start = i;
        }
    }
}

/// Whether `codes[i]` belongs to the cluster that began at `start` (`start < i`).
#[inline]
fn glued(codes: &[u8], start: usize, i: usize) -> bool {
    let c = codes[i];
    let prev = codes[i - 1];
    let (cc, pc) = (class(c), class(prev));
    if (cc | pc) & ALONE != 0 {
        return false;
    }
    if cc & (MARK | FOLLOWING) != 0 || pc & LEADING != 0 {
        return true;
    }
    if cc & CONSONANT == 0 {
        return false;
    }
    if silent_ahead(codes, i) {
        return true;
    }
    // The vowel this consonant may close, looking past tone marks.
    let mut q = i - 1;
    while q > start && is_tone(codes[q]) {
        q -= 1;
    }
    let lead = codes[start];
    match codes[q] {
        MAI_HAN_AKAT | SARA_UE | SARA_UEE => true,
        MAITAIKHU => lead == SARA_E || lead == SARA_AE,
        SARA_I => lead == SARA_E,
        SARA_II => lead == SARA_E && c == YO_YAK,
        v if is_consonant(v) && q == i - 1 && start + 2 == i => {
            (lead == SARA_E || lead == SARA_AE) && second_onset(codes, i, lead)
        }
        _ => false,
    }
}

/// Whether the consonant at `i`, the second after a leading vowel, is part of the onset: it is
/// followed by ี…ย or า ะ (after เ) or by ็ (after เ or แ, but not ก็, which is a word).
fn second_onset(codes: &[u8], i: usize, lead: u8) -> bool {
    let at = |k: usize| codes.get(k).copied();
    let c = codes[i];
    let mut k = i + 1;
    if at(k) == Some(MAITAIKHU) {
        return c != KO_KAI;
    }
    if lead != SARA_E {
        return false;
    }
    if at(k) == Some(SARA_II) {
        k += 1;
        if at(k).is_some_and(is_tone) {
            k += 1;
        }
        return at(k) == Some(YO_YAK);
    }
    if at(k).is_some_and(is_tone) {
        k += 1;
    }
    at(k) == Some(SARA_AA) && at(k + 1) == Some(SARA_A)
}

/// Whether the consonant at `i` starts a silent group: one or two consonants, perhaps with ิ
/// or ุ, under ์ (thanthakhat).
fn silent_ahead(codes: &[u8], i: usize) -> bool {
    let at = |k: usize| codes.get(k).copied();
    let mut k = i + 1;
    if at(k).is_some_and(is_consonant) {
        k += 1;
    }
    if matches!(at(k), Some(SARA_I | SARA_U)) {
        k += 1;
    }
    at(k) == Some(THANTHAKHAT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clusters(text: &str) -> Vec<String> {
        let codes: Vec<u8> = text
            .chars()
            .map(|ch| if ch == '.' { Some(DOT) } else { code_of(ch) })
            .collect::<Option<Vec<u8>>>()
            .unwrap_or_default();
        let mut brk = Vec::new();
        boundaries(&codes, &mut brk);
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        let mut current = String::new();
        for (i, ch) in chars.iter().enumerate() {
            if brk[i] && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.push(*ch);
        }
        if !current.is_empty() {
            out.push(current);
        }
        out
    }

    fn check(text: &str, expected: &[&str]) {
        assert_eq!(clusters(text), expected, "clusters of {text}");
    }

    #[test]
    fn marks_and_following_vowels_attach() {
        check("น้ำ", &["น้ำ"]);
        check("กา", &["กา"]);
        check("ที่", &["ที่"]);
        check("ผู้", &["ผู้"]);
        check("ฤๅ", &["ฤๅ"]);
    }

    #[test]
    fn leading_vowels_attach_forward() {
        check("ไม่", &["ไม่"]);
        check("เขา", &["เขา"]);
        check("เกาะ", &["เกาะ"]);
        check("แม่", &["แม่"]);
        check("โรงเรียน", &["โร", "ง", "เรีย", "น"]);
    }

    #[test]
    fn vowels_that_need_a_final_take_it() {
        check("กัน", &["กัน"]);
        check("ตัว", &["ตัว"]);
        check("ขึ้น", &["ขึ้น"]);
        check("มือถือ", &["มือ", "ถือ"]);
        check("เด็กก็", &["เด็ก", "ก็"]);
        check("แข็ง", &["แข็ง"]);
        check("เดิน", &["เดิน"]);
        check("ก็มี", &["ก็", "มี"]);
    }

    #[test]
    fn two_consonant_onsets_after_leading_vowel() {
        check("เปลี่ยน", &["เปลี่ย", "น"]);
        check("เพราะ", &["เพราะ"]);
        check("ทะเลก็", &["ทะ", "เล", "ก็"]);
        check("ทะเลคือ", &["ทะ", "เล", "คือ"]);
        check("เพลง", &["เพ", "ล", "ง"]);
    }

    #[test]
    fn silent_letters_attach_backwards() {
        check("จันทร์", &["จันทร์"]);
        check("ศาสตร์", &["ศา", "สตร์"]);
        check("ฤทธิ์", &["ฤทธิ์"]);
        check("ฟิล์ม", &["ฟิล์", "ม"]);
    }

    #[test]
    fn stops_and_repetition_marks_stand_alone() {
        check("พ.ศ.", &["พ", ".", "ศ", "."]);
        check("กรุงเทพฯ", &["ก", "รุ", "ง", "เท", "พ", "ฯ"]);
        check("ต่างๆ", &["ต่า", "ง", "ๆ"]);
    }

    #[test]
    fn orphan_marks_do_not_panic() {
        check("่", &["่"]);
        check("ัก", &["ัก"]);
        check("เ", &["เ"]);
        check("เเก", &["เเก"]);
        check("", &[]);
    }
}
