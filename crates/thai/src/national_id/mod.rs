//! Thai 13-digit identification numbers and the other identity documents clients carry.

mod category;
mod document;

pub use category::PersonCategory;
pub use document::{validate_document, IdDocumentKind, MAX_DOCUMENT_LEN, PASSPORT_LEN};

use std::fmt;
use std::str::FromStr;

use crate::calendar::thai_digits_to_ascii;

/// Number of digits in every 13-digit DOPA number, Thai or non-Thai.
pub const ID_LEN: usize = 13;

/// A 13-digit DOPA number that passed its check digit, kept as 13 ASCII digits for storage.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NationalId(String);

impl NationalId {
    /// The 13 ASCII digits, as stored and indexed.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Gives up the 13-digit string for storage without copying.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The grouping printed on Thai ID cards, "1-1037-00123-45-8", for display.
    pub fn formatted(&self) -> String {
        let s = &self.0;
        format!(
            "{}-{}-{}-{}-{}",
            &s[0..1],
            &s[1..5],
            &s[5..10],
            &s[10..12],
            &s[12..13]
        )
    }

    /// The registration category encoded in the first digit, shown beside the number.
    pub fn category(&self) -> PersonCategory {
        let first = self.0.bytes().next().unwrap_or(b'0').wrapping_sub(b'0');
        PersonCategory::from_digit(first).unwrap_or(PersonCategory::NonThaiUnregistered)
    }
}

impl fmt::Display for NationalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for NationalId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for NationalId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        validate_national_id(s)
    }
}

/// Why an identity number was refused; `code()` is the message-catalogue key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Nothing was typed.
    #[error("identity number is empty")]
    Empty,
    /// A 13-digit number contains something other than digits, spaces and dashes.
    #[error("identity number contains non-digit {found:?}")]
    NonDigit {
        /// The first offending character.
        found: char,
    },
    /// A 13-digit number has the wrong number of digits.
    #[error("identity number has {len} digits, expected 13")]
    WrongLength {
        /// How many digits were typed.
        len: usize,
    },
    /// The check digit does not match; may be overridden with an audited reason.
    #[error("identity number check digit should be {expected}")]
    Checksum {
        /// The check digit the first twelve digits call for.
        expected: u8,
    },
    /// The first digit belongs to another kind of document (or to no DOPA series).
    #[error("identity number series {first} does not fit this document kind")]
    WrongSeries {
        /// The first digit typed.
        first: u8,
        /// The document kind that series belongs to, if any.
        suggestion: Option<IdDocumentKind>,
    },
    /// A passport number contains something other than A–Z and 0–9.
    #[error("passport number contains {found:?}")]
    PassportChar {
        /// The first offending character.
        found: char,
    },
    /// A passport number is not 5–20 characters long.
    #[error("passport number has {len} characters, expected 5-20")]
    PassportLength {
        /// How many characters were typed.
        len: usize,
    },
    /// A work-permit or certificate number contains an invisible or control character.
    #[error("document number contains invisible character {found:?}")]
    DocumentChar {
        /// The first offending character.
        found: char,
    },
    /// A work-permit or certificate number is longer than 30 characters.
    #[error("document number has {len} characters, expected at most 30")]
    DocumentLength {
        /// How many characters were typed.
        len: usize,
    },
    /// A number was given although the document kind is "none".
    #[error("a number was given for document kind none")]
    UnexpectedNumber,
}

impl IdError {
    /// The stable code the web layer maps to a message-catalogue key.
    pub fn code(&self) -> &'static str {
        match self {
            IdError::Empty => "thai.id.empty",
            IdError::NonDigit { .. } => "thai.id.non_digit",
            IdError::WrongLength { .. } => "thai.id.length",
            IdError::Checksum { .. } => "thai.id.checksum",
            IdError::WrongSeries { .. } => "thai.id.wrong_series",
            IdError::PassportChar { .. } => "thai.id.passport_char",
            IdError::PassportLength { .. } => "thai.id.passport_length",
            IdError::DocumentChar { .. } => "thai.id.document_char",
            IdError::DocumentLength { .. } => "thai.id.document_length",
            IdError::UnexpectedNumber => "thai.id.unexpected_number",
        }
    }

    /// Whether a user may keep the number anyway with an audited reason (only a failed checksum).
    pub fn is_overridable(&self) -> bool {
        matches!(self, IdError::Checksum { .. })
    }
}

/// The DOPA check digit for the first twelve digits (values 0–9), weights 13 down to 2.
pub fn check_digit(first_twelve: &[u8; 12]) -> u8 {
    weighted_check(first_twelve)
}

/// `(11 − Σ dᵢ·(14−i) mod 11) mod 10` over up to twelve digit values.
fn weighted_check(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .zip((2..=13u32).rev())
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    // The result is at most 10 before `% 10`, so it always fits a u8.
    ((11 - sum % 11) % 10) as u8
}

/// Checks any 13-digit DOPA number (series 0–8): spaces and dashes ignored, Thai digits allowed.
pub fn validate_national_id(input: &str) -> Result<NationalId, IdError> {
    validate_series(input, &[0, 1, 2, 3, 4, 5, 6, 7, 8])
}

/// Reduces a 13-digit number to ASCII digits without checking series or check digit, so a
/// number whose checksum failed can still be stored when the user overrides with a reason.
pub fn normalize_13_digits(input: &str) -> Result<String, IdError> {
    let digits = thirteen_digits(input)?;
    Ok(digits.iter().map(|d| char::from(b'0' + d)).collect())
}

/// Whether a character may separate digit groups in a typed number.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

/// Strips separators, converts Thai digits, and requires exactly 13 digits.
fn thirteen_digits(input: &str) -> Result<[u8; ID_LEN], IdError> {
    let cleaned: Vec<char> = thai_digits_to_ascii(input)
        .chars()
        .filter(|c| !is_separator(*c))
        .collect();
    if cleaned.is_empty() {
        return Err(IdError::Empty);
    }
    if let Some(&found) = cleaned.iter().find(|c| !c.is_ascii_digit()) {
        return Err(IdError::NonDigit { found });
    }
    if cleaned.len() != ID_LEN {
        return Err(IdError::WrongLength { len: cleaned.len() });
    }
    let mut digits = [0u8; ID_LEN];
    for (slot, c) in digits.iter_mut().zip(&cleaned) {
        *slot = c.to_digit(10).map_or(0, |d| d as u8);
    }
    Ok(digits)
}

/// Checks format, then that the first digit is one of `allowed`, then the check digit.
fn validate_series(input: &str, allowed: &[u8]) -> Result<NationalId, IdError> {
    let digits = thirteen_digits(input)?;
    let first = digits[0];
    if !allowed.contains(&first) {
        return Err(IdError::WrongSeries {
            first,
            suggestion: IdDocumentKind::for_series(first),
        });
    }
    let expected = weighted_check(&digits[..12]);
    if digits[12] != expected {
        return Err(IdError::Checksum { expected });
    }
    Ok(NationalId(
        digits.iter().map(|d| char::from(b'0' + d)).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn validates_the_example() {
        let id = validate_national_id("1103700123458").unwrap();
        assert_eq!(id.as_str(), "1103700123458");
        assert_eq!(id.formatted(), "1-1037-00123-45-8");
        assert_eq!(id.category(), PersonCategory::ThaiBornOnTime);
        assert_eq!(id.to_string(), "1103700123458");
        assert_eq!("1103700123458".parse::<NationalId>(), Ok(id.clone()));
        assert_eq!(id.into_string(), "1103700123458");
    }

    #[test]
    fn strips_spaces_dashes_and_thai_digits() {
        for text in [
            "1-1037-00123-45-8",
            " 1 1037 00123 45 8 ",
            "1–1037–00123–45–8",
            "๑๑๐๓๗๐๐๑๒๓๔๕๘",
        ] {
            assert_eq!(
                validate_national_id(text).map(NationalId::into_string),
                Ok("1103700123458".to_string()),
                "{text}"
            );
        }
    }

    #[test]
    fn checksum_failure_reports_expected_digit() {
        let err = validate_national_id("1103700123459").unwrap_err();
        assert_eq!(err, IdError::Checksum { expected: 8 });
        assert_eq!(err.code(), "thai.id.checksum");
        assert!(err.is_overridable());
        assert_eq!(
            normalize_13_digits("1-1037-00123-45-9"),
            Ok("1103700123459".to_string())
        );
    }

    #[test]
    fn format_errors() {
        assert_eq!(validate_national_id(""), Err(IdError::Empty));
        assert_eq!(validate_national_id(" - "), Err(IdError::Empty));
        assert_eq!(
            validate_national_id("110370012345"),
            Err(IdError::WrongLength { len: 12 })
        );
        assert_eq!(
            validate_national_id("11037001234580"),
            Err(IdError::WrongLength { len: 14 })
        );
        assert_eq!(
            validate_national_id("11037OO123458"),
            Err(IdError::NonDigit { found: 'O' })
        );
        assert_eq!(
            validate_national_id("1/1037/00123/45/8"),
            Err(IdError::NonDigit { found: '/' })
        );
        assert!(!IdError::Empty.is_overridable());
        assert_eq!(
            normalize_13_digits("12"),
            Err(IdError::WrongLength { len: 2 })
        );
    }

    #[test]
    fn series_nine_is_not_issued() {
        // 9 + twelve digits with a correct check digit is still refused.
        let mut first = [0u8; 12];
        first[0] = 9;
        let text = format!("900000000000{}", check_digit(&first));
        assert_eq!(
            validate_national_id(&text),
            Err(IdError::WrongSeries {
                first: 9,
                suggestion: None
            })
        );
    }

    #[test]
    fn every_series_has_its_category() {
        for digit in 0..=8u8 {
            let mut first = [0u8; 12];
            first[0] = digit;
            let text = format!("{digit}00000000000{}", check_digit(&first));
            let id = validate_national_id(&text).unwrap();
            assert_eq!(id.category().digit(), digit);
        }
    }

    #[test]
    fn error_codes_are_distinct() {
        let errors = [
            IdError::Empty,
            IdError::NonDigit { found: 'x' },
            IdError::WrongLength { len: 1 },
            IdError::Checksum { expected: 1 },
            IdError::WrongSeries {
                first: 9,
                suggestion: None,
            },
            IdError::PassportChar { found: '-' },
            IdError::PassportLength { len: 1 },
            IdError::DocumentChar { found: '\u{0}' },
            IdError::DocumentLength { len: 31 },
            IdError::UnexpectedNumber,
        ];
        let mut codes: Vec<_> = errors.iter().map(IdError::code).collect();
        assert!(codes.iter().all(|c| c.starts_with("thai.id.")));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), errors.len());
    }

    /// The third digit has weight 11, which vanishes mod 11: the DOPA scheme cannot see it change.
    #[test]
    fn third_digit_changes_are_invisible_to_the_checksum() {
        assert!(validate_national_id("1153700123458").is_ok());
    }

    fn weighted_sum_mod_11(digits: &[u8]) -> u32 {
        digits
            .iter()
            .take(12)
            .zip((2..=13u32).rev())
            .map(|(d, w)| u32::from(*d) * w)
            .sum::<u32>()
            % 11
    }

    fn valid_id() -> impl Strategy<Value = Vec<u8>> {
        (0..=8u8, proptest::array::uniform11(0..=9u8)).prop_map(|(first, rest)| {
            let mut twelve = [0u8; 12];
            twelve[0] = first;
            twelve[1..].copy_from_slice(&rest);
            let mut digits = twelve.to_vec();
            digits.push(check_digit(&twelve));
            digits
        })
    }

    fn text(digits: &[u8]) -> String {
        digits.iter().map(|d| char::from(b'0' + d)).collect()
    }

    proptest! {
        #[test]
        fn any_twelve_digits_plus_check_digit_validate(twelve in proptest::array::uniform12(0..=9u8)) {
            let mut digits = twelve.to_vec();
            digits.push(check_digit(&twelve));
            let result = validate_national_id(&text(&digits));
            if twelve[0] <= 8 {
                let id = result.unwrap();
                prop_assert_eq!(id.as_str(), text(&digits));
                prop_assert_eq!(id.category().digit(), twelve[0]);
                prop_assert_eq!(validate_national_id(&id.formatted()), Ok(id));
            } else {
                prop_assert_eq!(result, Err(IdError::WrongSeries { first: 9, suggestion: None }));
            }
        }

        /// A single changed digit is caught, except where the DOPA weights cannot see it:
        /// the third digit (weight 11) and sums moving between 0 and 10 mod 11 (both give 1).
        #[test]
        fn changing_one_digit_breaks_it(digits in valid_id(), pos in 0..13usize, step in 1..=9u8) {
            let mut changed = digits.clone();
            changed[pos] = (digits[pos] + step) % 10;
            let pair = (weighted_sum_mod_11(&digits), weighted_sum_mod_11(&changed));
            let still_valid = if pos == 12 || changed[0] == 9 {
                false
            } else {
                pos == 2 || pair == (0, 10) || pair == (10, 0)
            };
            prop_assert_eq!(validate_national_id(&text(&changed)).is_ok(), still_valid);
        }

        #[test]
        fn never_panics(input in "\\PC{0,30}") {
            let _ = validate_national_id(&input);
            for kind in IdDocumentKind::ALL {
                let _ = validate_document(kind, &input);
            }
        }
    }
}
