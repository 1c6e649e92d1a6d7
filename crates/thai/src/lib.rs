//! Thai language rules for Karuna: calendar, ID numbers, phones, names. Pure, no I/O.
//!
//! Every error type has a stable `code()` ("thai.date.day", "thai.id.checksum", …) that the web
//! layer maps to a message-catalogue key; this crate holds no user-facing prose apart from
//! reference data (month names, ID categories, name prefixes).

#![warn(missing_docs)]

pub mod address;
pub mod calendar;
pub mod lang;
pub mod matching;
pub mod names;
pub mod national_id;
pub mod number;
pub mod phone;
pub mod segment;

pub use calendar::{
    bangkok_date, bangkok_datetime, be_year, ce_year, fiscal_year_be, fiscal_year_range,
    format_date, format_datetime, format_year, month_abbr, month_name, parse_date, parse_year,
    thai_digits_to_ascii, DateError, Era, ParsedDate,
};
pub use lang::Lang;
pub use names::{
    normalize_name_spacing, prefix_by_code, prefix_by_thai, prefixes, Prefix, PrefixGroup,
};
pub use national_id::{
    check_digit, normalize_13_digits, validate_document, validate_national_id, IdDocumentKind,
    IdError, NationalId, PersonCategory,
};
pub use phone::{format_phone_th, is_thai_mobile, normalize_phone, PhoneError};

/// Any error from this crate, for callers that validate several fields through one path.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A date or year could not be read.
    #[error(transparent)]
    Date(#[from] DateError),
    /// An identity number was refused.
    #[error(transparent)]
    Id(#[from] IdError),
    /// A phone number was refused.
    #[error(transparent)]
    Phone(#[from] PhoneError),
    /// An address's province, district, subdistrict or postcode was refused.
    #[error(transparent)]
    Address(#[from] address::AddressError),
}

impl Error {
    /// The stable code of the underlying error, for the message catalogue.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Date(e) => e.code(),
            Error::Id(e) => e.code(),
            Error::Phone(e) => e.code(),
            Error::Address(e) => e.code(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umbrella_error_keeps_codes() {
        assert_eq!(Error::from(DateError::Empty).code(), "thai.date.empty");
        assert_eq!(
            Error::from(IdError::Checksum { expected: 8 }).code(),
            "thai.id.checksum"
        );
        assert_eq!(
            Error::from(PhoneError::UnknownPrefix).code(),
            "thai.phone.prefix"
        );
        assert_eq!(
            Error::from(PhoneError::Empty).to_string(),
            PhoneError::Empty.to_string()
        );
    }
}
