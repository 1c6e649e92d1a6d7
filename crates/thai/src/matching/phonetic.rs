//! A Thai phonetic key: what a name sounds like, so that spellings a listener cannot tell apart
//! (ค/ข/ฆ, ศ/ษ/ส, ท/ธ/ฒ/ถ, ณ/น, ร/ล, final ด/ต/ส/จ/ศ, tone marks, vowel length) give one key.

use super::syllable::{final_rtgs, syllables, Syllable};

/// The sound class of a consonant that begins a syllable: one letter per group a listener
/// hears as the same (aspirated and plain stops apart as Thai hears them: ก k, ข/ค/ฆ K).
fn initial_class(c: char) -> &'static str {
    match c {
        'ก' => "k",
        'ข' | 'ฃ' | 'ค' | 'ฅ' | 'ฆ' => "K",
        'ง' => "N",
        'จ' => "c",
        'ฉ' | 'ช' | 'ฌ' => "C",
        'ซ' | 'ศ' | 'ษ' | 'ส' => "s",
        'ญ' | 'ย' => "y",
        'ฎ' | 'ด' => "d",
        'ฏ' | 'ต' => "t",
        'ฐ' | 'ฑ' | 'ฒ' | 'ถ' | 'ท' | 'ธ' => "T",
        'ณ' | 'น' => "n",
        'บ' => "b",
        'ป' => "p",
        'ผ' | 'พ' | 'ภ' => "P",
        'ฝ' | 'ฟ' => "f",
        'ม' => "m",
        'ร' | 'ล' | 'ฬ' => "l",
        'ว' => "w",
        'ห' | 'ฮ' => "h",
        _ => "",
    }
}

/// The vowel class: length is already gone; rare vowels fold into their nearest common one.
fn vowel_class(v: &str) -> &'static str {
    match v {
        "a" => "a",
        "i" => "i",
        "ue" | "rue" | "lue" => "v",
        "u" => "u",
        "e" => "e",
        "ae" => "E",
        "o" => "o",
        "oe" => "q",
        "ia" => "I",
        "uea" => "V",
        "ua" => "U",
        "ai" => "A",
        "ao" => "O",
        "am" => "am",
        _ => "",
    }
}

fn push_key(out: &mut String, s: &Syllable) {
    if let Some(c) = s.other {
        out.push(c);
        return;
    }
    let initial = match s.initial.as_slice() {
        ['ห' | 'อ', b] => initial_class(*b),
        ['ท', 'ร'] => "s",
        [a, 'ร' | 'ล'] => {
            // Clusters with r/l are often said without them: ครู = คู.
            initial_class(*a)
        }
        [a, ..] => initial_class(*a),
        [] => "",
    };
    out.push_str(initial);
    if let [_, 'ว'] = s.initial.as_slice() {
        out.push('w');
    }
    out.push_str(vowel_class(s.vowel));
    if let Some(f) = s.last {
        let v = final_rtgs(f);
        let v = match v {
            "ng" => "N",
            "i" if s.vowel.ends_with('i') => "",
            "o" if s.vowel.ends_with('o') => "",
            v => v,
        };
        out.push_str(v);
    }
}

/// The phonetic key of a Thai name (ASCII letters; empty when nothing Thai or Latin is left).
/// Two names with one key sound alike to a Thai listener.
pub fn phonetic_key(name: &str) -> String {
    let mut out = String::new();
    for s in syllables(name) {
        push_key(&mut out, &s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homophones_share_a_key() {
        assert_eq!(phonetic_key("สมชาย"), phonetic_key("สมชัย"));
        assert_eq!(phonetic_key("ศักดิ์"), phonetic_key("สัก"));
        assert_eq!(phonetic_key("ณัฐ"), phonetic_key("นัด"));
        assert_eq!(phonetic_key("ธนา"), phonetic_key("ทนา"));
        assert_eq!(phonetic_key("สุนทร"), phonetic_key("สุนทอน"));
        assert_eq!(phonetic_key("ก้อง"), phonetic_key("กอง"));
    }

    #[test]
    fn different_sounds_differ() {
        assert_ne!(phonetic_key("สมชาย"), phonetic_key("สมศักดิ์"));
        assert_ne!(phonetic_key("กา"), phonetic_key("ขา"));
        assert_ne!(phonetic_key("มานี"), phonetic_key("มานะ"));
    }
}
