//! Identity documents other than the Thai ID card, each checked by its own rule.

use super::{validate_series, IdError, NationalId};
use crate::calendar::thai_digits_to_ascii;

/// Longest work-permit or certificate-of-identity number accepted, in characters.
pub const MAX_DOCUMENT_LEN: usize = 30;

/// Shortest and longest passport number accepted, in characters.
pub const PASSPORT_LEN: std::ops::RangeInclusive<usize> = 5..=20;

/// The kind of identity document a number belongs to, so each is checked by its own rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdDocumentKind {
    /// Thai citizen ID card (series 1–5).
    ThaiNationalId,
    /// 13-digit DOPA number for non-Thai persons (series 0, 6, 7, 8).
    NonThaiId,
    /// Passport of any country.
    Passport,
    /// Pink card for migrant workers (13 digits, series 0, 6, 7).
    PinkCard,
    /// Work permit.
    WorkPermit,
    /// Certificate of identity issued to migrant workers by their country.
    CertificateOfIdentity,
    /// The client has no document (common for stateless people); the number must be blank.
    None,
}

impl IdDocumentKind {
    /// Every kind, in the order a form lists them.
    pub const ALL: [IdDocumentKind; 7] = [
        IdDocumentKind::ThaiNationalId,
        IdDocumentKind::NonThaiId,
        IdDocumentKind::Passport,
        IdDocumentKind::PinkCard,
        IdDocumentKind::WorkPermit,
        IdDocumentKind::CertificateOfIdentity,
        IdDocumentKind::None,
    ];

    /// The stable code stored in the database and used in forms and the API.
    pub fn code(self) -> &'static str {
        match self {
            IdDocumentKind::ThaiNationalId => "thai_national_id",
            IdDocumentKind::NonThaiId => "non_thai_id",
            IdDocumentKind::Passport => "passport",
            IdDocumentKind::PinkCard => "pink_card",
            IdDocumentKind::WorkPermit => "work_permit",
            IdDocumentKind::CertificateOfIdentity => "certificate_of_identity",
            IdDocumentKind::None => "none",
        }
    }

    /// Reads a stored or submitted kind code; `None` when unknown.
    pub fn from_code(code: &str) -> Option<IdDocumentKind> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// The 13-digit kind a number with this first digit belongs to, to suggest the right field.
    pub fn for_series(first_digit: u8) -> Option<IdDocumentKind> {
        match first_digit {
            1..=5 => Some(IdDocumentKind::ThaiNationalId),
            0 | 6..=8 => Some(IdDocumentKind::NonThaiId),
            _ => None,
        }
    }
}

/// Checks a number against the rule of its document kind and returns it normalised for storage.
pub fn validate_document(kind: IdDocumentKind, number: &str) -> Result<String, IdError> {
    match kind {
        IdDocumentKind::ThaiNationalId => {
            validate_series(number, &[1, 2, 3, 4, 5]).map(NationalId::into_string)
        }
        IdDocumentKind::NonThaiId => {
            validate_series(number, &[0, 6, 7, 8]).map(NationalId::into_string)
        }
        IdDocumentKind::PinkCard => {
            validate_series(number, &[0, 6, 7]).map(NationalId::into_string)
        }
        IdDocumentKind::Passport => validate_passport(number),
        IdDocumentKind::WorkPermit | IdDocumentKind::CertificateOfIdentity => {
            validate_free_document(number)
        }
        IdDocumentKind::None => {
            if number.trim().is_empty() {
                Ok(String::new())
            } else {
                Err(IdError::UnexpectedNumber)
            }
        }
    }
}

/// Passport: spaces removed, upper-cased, 5–20 characters of A–Z and 0–9.
fn validate_passport(number: &str) -> Result<String, IdError> {
    let cleaned: String = thai_digits_to_ascii(number)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if cleaned.is_empty() {
        return Err(IdError::Empty);
    }
    if let Some(found) = cleaned
        .chars()
        .find(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit()))
    {
        return Err(IdError::PassportChar { found });
    }
    let len = cleaned.chars().count();
    if !PASSPORT_LEN.contains(&len) {
        return Err(IdError::PassportLength { len });
    }
    Ok(cleaned)
}

/// Work permit / certificate of identity: trimmed, inner spaces collapsed, 1–30 visible characters.
fn validate_free_document(number: &str) -> Result<String, IdError> {
    let cleaned = thai_digits_to_ascii(number)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if cleaned.is_empty() {
        return Err(IdError::Empty);
    }
    if let Some(found) = cleaned.chars().find(|c| is_invisible(*c)) {
        return Err(IdError::DocumentChar { found });
    }
    let len = cleaned.chars().count();
    if len > MAX_DOCUMENT_LEN {
        return Err(IdError::DocumentLength { len });
    }
    Ok(cleaned)
}

/// Control and zero-width formatting characters that cannot be seen or typed on purpose.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{FEFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_codes_round_trip() {
        for kind in IdDocumentKind::ALL {
            assert_eq!(IdDocumentKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(IdDocumentKind::from_code("drivers_licence"), None);
        assert_eq!(IdDocumentKind::from_code("PASSPORT"), None);
    }

    #[test]
    fn series_suggestions() {
        assert_eq!(
            IdDocumentKind::for_series(1),
            Some(IdDocumentKind::ThaiNationalId)
        );
        assert_eq!(
            IdDocumentKind::for_series(5),
            Some(IdDocumentKind::ThaiNationalId)
        );
        for d in [0, 6, 7, 8] {
            assert_eq!(
                IdDocumentKind::for_series(d),
                Some(IdDocumentKind::NonThaiId)
            );
        }
        assert_eq!(IdDocumentKind::for_series(9), None);
    }

    #[test]
    fn thai_national_id_requires_series_one_to_five() {
        assert_eq!(
            validate_document(IdDocumentKind::ThaiNationalId, "1-1037-00123-45-8"),
            Ok("1103700123458".to_string())
        );
        let err = validate_document(IdDocumentKind::ThaiNationalId, "0000000000019").unwrap_err();
        assert_eq!(
            err,
            IdError::WrongSeries {
                first: 0,
                suggestion: Some(IdDocumentKind::NonThaiId)
            }
        );
        assert_eq!(err.code(), "thai.id.wrong_series");
        assert_eq!(
            validate_document(IdDocumentKind::ThaiNationalId, "1103700123459"),
            Err(IdError::Checksum { expected: 8 })
        );
    }

    #[test]
    fn non_thai_id_requires_series_0678_and_checksum() {
        assert_eq!(
            validate_document(IdDocumentKind::NonThaiId, "0000000000019"),
            Ok("0000000000019".to_string())
        );
        assert_eq!(
            validate_document(IdDocumentKind::NonThaiId, "6000000000018"),
            Ok("6000000000018".to_string())
        );
        assert_eq!(
            validate_document(IdDocumentKind::NonThaiId, "6000000000011"),
            Err(IdError::Checksum { expected: 8 })
        );
        assert_eq!(
            validate_document(IdDocumentKind::NonThaiId, "1103700123458"),
            Err(IdError::WrongSeries {
                first: 1,
                suggestion: Some(IdDocumentKind::ThaiNationalId)
            })
        );
    }

    #[test]
    fn pink_card_is_series_067_with_checksum() {
        assert_eq!(
            validate_document(IdDocumentKind::PinkCard, "00 0000 0000 019"),
            Ok("0000000000019".to_string())
        );
        assert_eq!(
            validate_document(IdDocumentKind::PinkCard, "7000000000016"),
            Ok("7000000000016".to_string())
        );
        assert_eq!(
            validate_document(IdDocumentKind::PinkCard, "8000000000014"),
            Err(IdError::WrongSeries {
                first: 8,
                suggestion: Some(IdDocumentKind::NonThaiId)
            })
        );
        assert_eq!(
            validate_document(IdDocumentKind::PinkCard, "123"),
            Err(IdError::WrongLength { len: 3 })
        );
    }

    #[test]
    fn passport_is_upper_cased_alphanumeric() {
        assert_eq!(
            validate_document(IdDocumentKind::Passport, " aa 1234567 "),
            Ok("AA1234567".to_string())
        );
        assert_eq!(
            validate_document(IdDocumentKind::Passport, "MA๑๒๓๔๕"),
            Ok("MA12345".to_string())
        );
        assert_eq!(
            validate_document(IdDocumentKind::Passport, "  "),
            Err(IdError::Empty)
        );
        assert_eq!(
            validate_document(IdDocumentKind::Passport, "AB-12345"),
            Err(IdError::PassportChar { found: '-' })
        );
        assert_eq!(
            validate_document(IdDocumentKind::Passport, "กข12345"),
            Err(IdError::PassportChar { found: 'ก' })
        );
        assert_eq!(
            validate_document(IdDocumentKind::Passport, "A123"),
            Err(IdError::PassportLength { len: 4 })
        );
        assert_eq!(
            validate_document(IdDocumentKind::Passport, &"A".repeat(21)),
            Err(IdError::PassportLength { len: 21 })
        );
        assert!(validate_document(IdDocumentKind::Passport, &"A".repeat(20)).is_ok());
    }

    #[test]
    fn work_permit_and_certificate_are_free_text() {
        for kind in [
            IdDocumentKind::WorkPermit,
            IdDocumentKind::CertificateOfIdentity,
        ] {
            assert_eq!(
                validate_document(kind, "  WP/2569  001\t23 "),
                Ok("WP/2569 001 23".to_string())
            );
            assert_eq!(
                validate_document(kind, "ท.ต. ๑๒๓"),
                Ok("ท.ต. 123".to_string())
            );
            assert_eq!(validate_document(kind, " "), Err(IdError::Empty));
            assert_eq!(
                validate_document(kind, "AB\u{200B}12"),
                Err(IdError::DocumentChar { found: '\u{200B}' })
            );
            assert_eq!(
                validate_document(kind, "AB\u{7}12"),
                Err(IdError::DocumentChar { found: '\u{7}' })
            );
            assert!(validate_document(kind, &"ก".repeat(30)).is_ok());
            assert_eq!(
                validate_document(kind, &"ก".repeat(31)),
                Err(IdError::DocumentLength { len: 31 })
            );
        }
    }

    #[test]
    fn none_requires_a_blank_number() {
        assert_eq!(
            validate_document(IdDocumentKind::None, ""),
            Ok(String::new())
        );
        assert_eq!(
            validate_document(IdDocumentKind::None, "  "),
            Ok(String::new())
        );
        let err = validate_document(IdDocumentKind::None, "123").unwrap_err();
        assert_eq!(err, IdError::UnexpectedNumber);
        assert_eq!(err.code(), "thai.id.unexpected_number");
    }
}
