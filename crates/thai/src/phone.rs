//! Phone numbers typed in any common Thai style, stored in E.164 so they compare and dial alike.

use crate::calendar::thai_digits_to_ascii;

/// Thailand's country calling code, without the plus.
pub const THAI_COUNTRY_CODE: &str = "66";

/// Fewest and most digits (country code included) accepted for a foreign number.
pub const FOREIGN_DIGITS: std::ops::RangeInclusive<usize> = 8..=15;

/// Why a typed phone number was refused; `code()` is the message-catalogue key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Nothing was typed.
    #[error("phone number is empty")]
    Empty,
    /// Something other than digits, a leading plus, spaces, dashes, dots or brackets.
    #[error("phone number contains {found:?}")]
    InvalidChar {
        /// The first offending character.
        found: char,
    },
    /// Too few or too many digits for the kind of number the prefix announces.
    #[error("phone number has {digits} digits, which does not fit its prefix")]
    WrongLength {
        /// How many digits were typed.
        digits: usize,
    },
    /// The number does not start like a Thai mobile, Thai landline or international number.
    #[error("phone number prefix is not recognised")]
    UnknownPrefix,
}

impl PhoneError {
    /// The stable code the web layer maps to a message-catalogue key.
    pub fn code(&self) -> &'static str {
        match self {
            PhoneError::Empty => "thai.phone.empty",
            PhoneError::InvalidChar { .. } => "thai.phone.invalid_char",
            PhoneError::WrongLength { .. } => "thai.phone.length",
            PhoneError::UnknownPrefix => "thai.phone.prefix",
        }
    }
}

/// Reads a Thai or international phone number in any usual notation and returns E.164
/// (`081-234-5678` → `+66812345678`, `02 123 4567` → `+6621234567`).
///
/// Thai mobiles are 0 + 6/8/9 + 8 digits; landlines are 0 + 2/3/4/5/7 + 7 digits. A number
/// written with `+` and another country code is kept as given when it has 8–15 digits.
pub fn normalize_phone(input: &str) -> Result<String, PhoneError> {
    let text = thai_digits_to_ascii(input);
    let text = text.trim();
    if text.is_empty() {
        return Err(PhoneError::Empty);
    }
    let (plus, rest) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut digits = String::with_capacity(rest.len());
    for c in rest.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !is_separator(c) {
            return Err(PhoneError::InvalidChar { found: c });
        }
    }
    let count = digits.len();
    if count == 0 {
        return Err(PhoneError::Empty);
    }
    if let Some(national) = digits.strip_prefix(THAI_COUNTRY_CODE) {
        // "+66 (0)81 …" and "+66 081 …" carry a redundant trunk zero.
        thai_subscriber(national.strip_prefix('0').unwrap_or(national), count)
    } else if plus {
        foreign(&digits)
    } else if let Some(national) = digits.strip_prefix('0') {
        thai_subscriber(national, count)
    } else {
        Err(PhoneError::UnknownPrefix)
    }
}

/// Shows a stored E.164 number the way Thai people write it ("081-234-5678", "02-123-4567",
/// "053-123-456"); foreign or unrecognised numbers are returned unchanged.
pub fn format_phone_th(e164: &str) -> String {
    let Some(sub) = e164.strip_prefix("+66") else {
        return e164.to_string();
    };
    if !sub.bytes().all(|b| b.is_ascii_digit()) {
        return e164.to_string();
    }
    match (sub.as_bytes().first(), sub.len()) {
        (Some(b'6' | b'8' | b'9'), 9) | (Some(b'3' | b'4' | b'5' | b'7'), 8) => {
            format!("0{}-{}-{}", &sub[..2], &sub[2..5], &sub[5..])
        }
        (Some(b'2'), 8) => format!("0{}-{}-{}", &sub[..1], &sub[1..4], &sub[4..]),
        _ => e164.to_string(),
    }
}

/// Whether a stored E.164 number is a Thai mobile (one that can receive SMS).
pub fn is_thai_mobile(e164: &str) -> bool {
    e164.strip_prefix("+66").is_some_and(|sub| {
        sub.len() == 9
            && sub.bytes().all(|b| b.is_ascii_digit())
            && matches!(sub.as_bytes().first(), Some(b'6' | b'8' | b'9'))
    })
}

/// Characters people put between digit groups.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '.' | '(' | ')' | '/' | '\u{2010}'..='\u{2015}' | '\u{2212}'
        )
}

/// Checks a Thai number given without its trunk zero; `typed` is the digit count for errors.
fn thai_subscriber(sub: &str, typed: usize) -> Result<String, PhoneError> {
    let expected = match sub.as_bytes().first() {
        Some(b'6' | b'8' | b'9') => 9,
        Some(b'2' | b'3' | b'4' | b'5' | b'7') => 8,
        Some(_) => return Err(PhoneError::UnknownPrefix),
        None => return Err(PhoneError::WrongLength { digits: typed }),
    };
    if sub.len() != expected {
        return Err(PhoneError::WrongLength { digits: typed });
    }
    Ok(format!("+{THAI_COUNTRY_CODE}{sub}"))
}

/// Checks a number written with `+` and a country code other than Thailand's.
fn foreign(digits: &str) -> Result<String, PhoneError> {
    if digits.starts_with('0') {
        return Err(PhoneError::UnknownPrefix);
    }
    if !FOREIGN_DIGITS.contains(&digits.len()) {
        return Err(PhoneError::WrongLength {
            digits: digits.len(),
        });
    }
    Ok(format!("+{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(s: &str) -> Result<String, PhoneError> {
        Ok(s.to_string())
    }

    #[test]
    fn thai_mobiles_in_every_notation() {
        for text in [
            "081-234-5678",
            "0812345678",
            "+66 81 234 5678",
            "+66812345678",
            "66812345678",
            "(081) 234 5678",
            "๐๘๑-๒๓๔-๕๖๗๘",
            "+66 (0)81 234 5678",
            "081.234.5678",
            " 081 234 5678 ",
        ] {
            assert_eq!(normalize_phone(text), ok("+66812345678"), "{text}");
        }
        assert_eq!(normalize_phone("0612345678"), ok("+66612345678"));
        assert_eq!(normalize_phone("099-999-9999"), ok("+66999999999"));
    }

    #[test]
    fn thai_landlines() {
        for text in [
            "02 123 4567",
            "02-123-4567",
            "021234567",
            "+66 2 123 4567",
            "662-123-4567",
        ] {
            assert_eq!(normalize_phone(text), ok("+6621234567"), "{text}");
        }
        assert_eq!(normalize_phone("053-123-456"), ok("+6653123456"));
        assert_eq!(normalize_phone("076 123 456"), ok("+6676123456"));
    }

    #[test]
    fn foreign_numbers_keep_their_country_code() {
        assert_eq!(normalize_phone("+1 (555) 123-4567"), ok("+15551234567"));
        assert_eq!(normalize_phone("+95 9 123 456 789"), ok("+959123456789"));
        assert_eq!(normalize_phone("+855 12 345 678"), ok("+85512345678"));
        assert_eq!(normalize_phone("+65 6123 4567"), ok("+6561234567"));
        assert_eq!(
            normalize_phone("+1 234 567"),
            Err(PhoneError::WrongLength { digits: 7 })
        );
        assert_eq!(
            normalize_phone("+1234567890123456"),
            Err(PhoneError::WrongLength { digits: 16 })
        );
        assert_eq!(
            normalize_phone("+012345678"),
            Err(PhoneError::UnknownPrefix)
        );
    }

    #[test]
    fn empty() {
        assert_eq!(normalize_phone(""), Err(PhoneError::Empty));
        assert_eq!(normalize_phone("   "), Err(PhoneError::Empty));
        assert_eq!(normalize_phone("+"), Err(PhoneError::Empty));
        assert_eq!(normalize_phone("( - )"), Err(PhoneError::Empty));
    }

    #[test]
    fn invalid_characters() {
        assert_eq!(
            normalize_phone("081-234-567x"),
            Err(PhoneError::InvalidChar { found: 'x' })
        );
        assert_eq!(
            normalize_phone("02 123 4567 ต่อ 12"),
            Err(PhoneError::InvalidChar { found: 'ต' })
        );
        assert_eq!(
            normalize_phone("08+1234567"),
            Err(PhoneError::InvalidChar { found: '+' })
        );
    }

    #[test]
    fn wrong_length() {
        assert_eq!(
            normalize_phone("081-234-567"),
            Err(PhoneError::WrongLength { digits: 9 })
        );
        assert_eq!(
            normalize_phone("02-123-45678"),
            Err(PhoneError::WrongLength { digits: 10 })
        );
        assert_eq!(
            normalize_phone("+66 81 234 56789"),
            Err(PhoneError::WrongLength { digits: 12 })
        );
        assert_eq!(
            normalize_phone("0"),
            Err(PhoneError::WrongLength { digits: 1 })
        );
        assert_eq!(
            normalize_phone("+66"),
            Err(PhoneError::WrongLength { digits: 2 })
        );
    }

    #[test]
    fn unknown_prefix() {
        for text in [
            "0112345678",
            "812345678",
            "1300",
            "00 1 555 123 4567",
            "+66 1 234 5678",
        ] {
            assert_eq!(
                normalize_phone(text),
                Err(PhoneError::UnknownPrefix),
                "{text}"
            );
        }
    }

    #[test]
    fn error_codes_are_distinct() {
        let errors = [
            PhoneError::Empty,
            PhoneError::InvalidChar { found: 'x' },
            PhoneError::WrongLength { digits: 1 },
            PhoneError::UnknownPrefix,
        ];
        let mut codes: Vec<_> = errors.iter().map(PhoneError::code).collect();
        assert!(codes.iter().all(|c| c.starts_with("thai.phone.")));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), errors.len());
    }

    #[test]
    fn formats_for_thai_readers() {
        assert_eq!(format_phone_th("+66812345678"), "081-234-5678");
        assert_eq!(format_phone_th("+6621234567"), "02-123-4567");
        assert_eq!(format_phone_th("+6653123456"), "053-123-456");
        assert_eq!(format_phone_th("+15551234567"), "+15551234567");
        assert_eq!(format_phone_th("+66abc"), "+66abc");
        assert_eq!(format_phone_th("+661234"), "+661234");
        assert_eq!(format_phone_th(""), "");
    }

    #[test]
    fn recognises_mobiles() {
        assert!(is_thai_mobile("+66812345678"));
        assert!(!is_thai_mobile("+6621234567"));
        assert!(!is_thai_mobile("+15551234567"));
    }

    /// A Thai subscriber number (no trunk zero): mobile or landline.
    fn thai_subscriber_number() -> impl Strategy<Value = String> {
        prop_oneof!["[689][0-9]{8}", "[23457][0-9]{7}"]
    }

    /// The same Thai number written in one of the notations people use.
    fn thai_notation() -> impl Strategy<Value = String> {
        (thai_subscriber_number(), 0..6usize).prop_map(|(sub, style)| {
            let (a, b) = sub.split_at(2);
            match style {
                0 => format!("0{sub}"),
                1 => format!("0{a}-{b}"),
                2 => format!("+66 {a} {b}"),
                3 => format!("66{sub}"),
                4 => format!("(0{a}) {b}"),
                _ => thai_digit_string(&format!("0{sub}")),
            }
        })
    }

    fn thai_digit_string(ascii: &str) -> String {
        ascii
            .chars()
            .map(|c| {
                c.to_digit(10)
                    .and_then(|d| char::from_u32('๐' as u32 + d))
                    .unwrap_or(c)
            })
            .collect()
    }

    proptest! {
        #[test]
        fn thai_numbers_normalise_idempotently(text in thai_notation()) {
            let once = normalize_phone(&text).unwrap();
            prop_assert!(once.starts_with("+66"));
            prop_assert_eq!(normalize_phone(&once), Ok(once.clone()));
            prop_assert_eq!(normalize_phone(&format_phone_th(&once)), Ok(once));
        }

        #[test]
        fn foreign_numbers_normalise_idempotently(text in "\\+[1-57-9][0-9]{7,14}") {
            let once = normalize_phone(&text).unwrap();
            prop_assert_eq!(&once, &text);
            prop_assert_eq!(normalize_phone(&once), Ok(once.clone()));
            prop_assert_eq!(format_phone_th(&once), once);
        }

        #[test]
        fn any_accepted_input_is_idempotent(text in "[+]?[0-9 ()๐-๙-]{0,18}") {
            if let Ok(once) = normalize_phone(&text) {
                prop_assert_eq!(normalize_phone(&once), Ok(once.clone()));
            }
        }
    }
}
