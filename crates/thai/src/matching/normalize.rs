//! Thai name normalisation for matching: marks ignored, ไ/ใ and vowel length unified, silent
//! letters (under ์) dropped, spaces and punctuation removed.

/// True for a Thai consonant (ก–ฮ, without the vowels ฤ and ฦ).
pub(crate) fn is_consonant(c: char) -> bool {
    ('\u{0E01}'..='\u{0E2E}').contains(&c) && c != 'ฤ' && c != 'ฦ'
}

/// True for a vowel written before its consonant (เ แ โ ใ ไ).
pub(crate) fn is_pre_vowel(c: char) -> bool {
    matches!(c, 'เ' | 'แ' | 'โ' | 'ใ' | 'ไ')
}

/// True for a vowel written above, below or after its consonant.
pub(crate) fn is_dependent_vowel(c: char) -> bool {
    matches!(
        c,
        'ะ' | 'ั' | 'า' | 'ำ' | 'ิ' | 'ี' | 'ึ' | 'ื' | 'ุ' | 'ู' | 'ๅ' | '็'
    )
}

/// True for tone marks and other marks that do not change which sounds are spelled.
fn is_ignored_mark(c: char) -> bool {
    matches!(c, '่' | '้' | '๊' | '๋' | 'ํ' | '๎' | 'ฺ' | 'ๆ' | 'ฯ')
}

/// True when the text holds at least one Thai letter.
pub fn is_thai(s: &str) -> bool {
    s.chars().any(|c| ('\u{0E01}'..='\u{0E4E}').contains(&c))
}

/// Tone marks removed, `ํา` read as `ำ`, silent letters (a consonant under ์, with a vowel of
/// its own or a consonant before it that closes no syllable) dropped, everything that is not a
/// Thai letter or an ASCII letter or digit removed, Latin lowercased. The base of both the
/// normalised form and the romanisation.
pub(crate) fn clean(s: &str) -> Vec<char> {
    clean_with(s, false)
}

/// `clean`, keeping the letters under ์ (only the mark goes) when `keep_silent`.
fn clean_with(s: &str, keep_silent: bool) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == 'ํ' && chars.get(i + 1) == Some(&'า') {
            out.push('ำ');
            i += 2;
            continue;
        }
        if c == '์' {
            if !keep_silent {
                drop_silent(&mut out);
            }
        } else if is_ignored_mark(c) {
            // ignored
        } else if ('\u{0E01}'..='\u{0E4E}').contains(&c) {
            out.push(c);
        } else if ('๐'..='๙').contains(&c) {
            out.push(char::from(b'0' + (c as u32 - '๐' as u32) as u8));
        } else if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        }
        i += 1;
    }
    out
}

/// Removes what a ์ silences at the end of `out`: the consonant under it (with ิ or ุ written on
/// it), and the consonant before that when it would otherwise stand after a final (จันทร์ →
/// จัน, ลักษณ์ → ลัก).
fn drop_silent(out: &mut Vec<char>) {
    if matches!(out.last(), Some('ิ' | 'ุ')) {
        out.pop();
    }
    let silenced = out.last().copied().filter(|c| is_consonant(*c));
    if silenced.is_some() {
        out.pop();
    }
    let n = out.len();
    if matches!(silenced, Some('ร' | 'ณ'))
        && n >= 3
        && is_consonant(out[n - 1])
        && is_consonant(out[n - 2])
        && is_dependent_vowel(out[n - 3])
        && out[n - 3] != 'ะ'
        && out[n - 3] != 'ำ'
    {
        out.pop();
    }
}

/// The normalised form of a name for matching: marks ignored (tone marks, ็, ์ with the letters
/// it silences), ใ read as ไ, short and long vowels unified (ะ/ั/า, ิ/ี, ึ/ื, ุ/ู, เ-ะ/เ, แ-ะ/แ,
/// โ-ะ/โ), ฤๅ as ฤ, spaces, dots and other punctuation removed, Latin letters lowercased.
pub fn normalize_name(s: &str) -> String {
    unify(&clean(s))
}

/// `normalize_name` keeping the letters a ์ silences: for names typed without the ์
/// (สมศักดิ for สมศักดิ์), which keep the letters and lose only the mark.
pub fn normalize_keeping_silent(s: &str) -> String {
    unify(&clean_with(s, true))
}

fn unify(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len() * 3);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            'ใ' => out.push('ไ'),
            'ั' | 'ๅ' => out.push('า'),
            'ะ' if after_pre_vowel(chars, i) => {}
            'ะ' => out.push('า'),
            'ิ' => out.push('ี'),
            'ึ' => out.push('ื'),
            'ุ' => out.push('ู'),
            '็' => {}
            _ => out.push(c),
        }
    }
    out
}

/// True when the ะ at `i` closes a vowel begun by เ, แ or โ (เตะ, แกะ, โละ, เกาะ): scanning back
/// over an optional า and one or two consonants finds the pre-vowel.
fn after_pre_vowel(chars: &[char], i: usize) -> bool {
    let mut j = i;
    if j > 0 && chars[j - 1] == 'า' {
        j -= 1;
    }
    let mut consonants = 0;
    while j > 0 && is_consonant(chars[j - 1]) && consonants < 2 {
        j -= 1;
        consonants += 1;
    }
    consonants > 0 && j > 0 && matches!(chars[j - 1], 'เ' | 'แ' | 'โ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tone_marks_and_silent_letters_are_ignored() {
        assert_eq!(normalize_name("สมศักดิ์"), normalize_name("สมศัก"));
        assert_eq!(normalize_name("ก้อง"), normalize_name("กอง"));
        assert_eq!(normalize_name("จันทร์"), normalize_name("จัน"));
        assert_eq!(normalize_name("สมหญิง "), "สมหญีง");
    }

    #[test]
    fn variants_are_unified() {
        assert_eq!(normalize_name("ใจดี"), normalize_name("ไจดี"));
        assert_eq!(normalize_name("มณี"), normalize_name("มณิ"));
        assert_eq!(normalize_name("เก็บ"), normalize_name("เกบ"));
        assert_eq!(normalize_name("เตะ"), normalize_name("เต"));
        assert_eq!(normalize_name("สุดา"), normalize_name("สูดา"));
        assert_eq!(normalize_name("Som.Chai"), "somchai");
    }
}
