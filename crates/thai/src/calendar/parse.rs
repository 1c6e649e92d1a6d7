//! Reading dates and years typed by users, in either era, with Thai or ASCII digits.

use chrono::NaiveDate;

use super::{
    thai_digits_to_ascii, Era, BE_THRESHOLD, MAX_PLAUSIBLE_CE, MIN_PLAUSIBLE_CE, MONTHS_EN,
    MONTHS_EN_ABBR, MONTHS_TH, MONTHS_TH_ABBR,
};

/// A date read from user input, with the era its year was understood in so the UI can say so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ParsedDate {
    /// The calendar date (always a proleptic Gregorian date, CE internally).
    pub date: NaiveDate,
    /// The era the typed year was read in; differs from the expected era when the UI should warn.
    pub understood: Era,
}

/// Why a typed date or year was refused; `code()` is the message-catalogue key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Nothing was typed.
    #[error("date is empty")]
    Empty,
    /// The text is not one of the accepted date shapes.
    #[error("date is not in a recognised format")]
    BadFormat,
    /// The month number is not 1–12.
    #[error("month {month} is out of range")]
    MonthOutOfRange {
        /// The month number as typed.
        month: u32,
    },
    /// The day does not exist in that month of that year (31 Feb, 29 Feb in a common year).
    #[error("day {day} does not exist in month {month} of {year_ce} CE")]
    NoSuchDay {
        /// The day as typed.
        day: u32,
        /// The month, 1–12.
        month: u32,
        /// The year, converted to CE.
        year_ce: i32,
    },
    /// The year, once converted to CE, falls outside 1850–2200.
    #[error("year {year} is outside the plausible range")]
    YearOutOfRange {
        /// The year as typed.
        year: i32,
    },
}

impl DateError {
    /// The stable code the web layer maps to a message-catalogue key.
    pub fn code(&self) -> &'static str {
        match self {
            DateError::Empty => "thai.date.empty",
            DateError::BadFormat => "thai.date.format",
            DateError::MonthOutOfRange { .. } => "thai.date.month",
            DateError::NoSuchDay { .. } => "thai.date.day",
            DateError::YearOutOfRange { .. } => "thai.date.year",
        }
    }
}

/// Reads a typed date: ISO `2026-11-23` (always CE), `d/m/yyyy`, `d-m-yyyy`, `d.m.yyyy`, or
/// `d <month name> yyyy` as `format_date` prints it; Thai or ASCII digits; optional พ.ศ./ค.ศ./BE/CE.
///
/// A year of 2400 or more is Buddhist era and a year up to 2200 is CE, whatever `expected` says
/// (`understood` reports which); years in between are read in the `expected` era. An era marker
/// in the text overrides all of this. The CE year must fall within 1850–2200.
pub fn parse_date(input: &str, expected: Era) -> Result<ParsedDate, DateError> {
    let (tokens, marker) = tokenize(input)?;
    let all_numeric = tokens
        .iter()
        .all(|t| t.chars().all(|c| c.is_ascii_digit() || "/-.".contains(c)));
    let (day, month, year, explicit) = if all_numeric {
        let numeric = parse_numeric(&tokens.concat())?;
        let explicit = match (numeric.iso, marker) {
            (true, Some(Era::Buddhist)) => return Err(DateError::BadFormat),
            (true, _) => Some(Era::Common),
            (false, m) => m,
        };
        (numeric.day, numeric.month, numeric.year, explicit)
    } else if let [day, month, year] = tokens.as_slice() {
        let day = digits_value(day, 1, 2)?;
        let month = month_from_name(month).ok_or(DateError::BadFormat)?;
        let year = digits_value(year, 4, 4)?;
        (day, month, year as i32, marker)
    } else {
        return Err(DateError::BadFormat);
    };
    if !(1..=12).contains(&month) {
        return Err(DateError::MonthOutOfRange { month });
    }
    let (year_ce, understood) = interpret_year(year, expected, explicit)?;
    let date = NaiveDate::from_ymd_opt(year_ce, month, day).ok_or(DateError::NoSuchDay {
        day,
        month,
        year_ce,
    })?;
    Ok(ParsedDate { date, understood })
}

/// Reads a year alone (for year-only birth dates) by the same rules as `parse_date`;
/// returns the CE year and the era it was understood in.
pub fn parse_year(input: &str, expected: Era) -> Result<(i32, Era), DateError> {
    let (tokens, marker) = tokenize(input)?;
    let [year] = tokens.as_slice() else {
        return Err(DateError::BadFormat);
    };
    let year = digits_value(year, 4, 4)?;
    interpret_year(year as i32, expected, marker)
}

/// Decides the era of a typed year and checks the CE year is plausible.
fn interpret_year(
    year: i32,
    expected: Era,
    explicit: Option<Era>,
) -> Result<(i32, Era), DateError> {
    let era = explicit.unwrap_or(if year >= BE_THRESHOLD {
        Era::Buddhist
    } else if year <= MAX_PLAUSIBLE_CE {
        Era::Common
    } else {
        expected
    });
    let ce = era.year_to_ce(year);
    if (MIN_PLAUSIBLE_CE..=MAX_PLAUSIBLE_CE).contains(&ce) {
        Ok((ce, era))
    } else {
        Err(DateError::YearOutOfRange { year })
    }
}

/// Converts Thai digits, splits on whitespace, and removes at most one era marker.
fn tokenize(input: &str) -> Result<(Vec<String>, Option<Era>), DateError> {
    let text = thai_digits_to_ascii(input);
    let mut tokens = Vec::new();
    let mut marker = None;
    for raw in text.split_whitespace() {
        let (found, rest) = split_era_marker(raw);
        if let Some(era) = found {
            if marker.replace(era).is_some() {
                return Err(DateError::BadFormat);
            }
        }
        if !rest.is_empty() {
            tokens.push(rest.to_string());
        }
    }
    if tokens.is_empty() {
        return Err(if marker.is_some() {
            DateError::BadFormat
        } else {
            DateError::Empty
        });
    }
    Ok((tokens, marker))
}

/// Recognises an era marker token, or a Thai marker glued to the year ("พ.ศ.2569").
fn split_era_marker(token: &str) -> (Option<Era>, &str) {
    for (prefix, era) in [("พ.ศ.", Era::Buddhist), ("ค.ศ.", Era::Common)] {
        if let Some(rest) = token.strip_prefix(prefix) {
            return (Some(era), rest);
        }
    }
    let key: String = token
        .chars()
        .filter(|c| *c != '.')
        .flat_map(char::to_lowercase)
        .collect();
    match key.as_str() {
        "be" | "พศ" => (Some(Era::Buddhist), ""),
        "ce" | "ad" | "คศ" => (Some(Era::Common), ""),
        _ => (None, token),
    }
}

/// The pieces of a numeric date before range checks.
struct NumericDate {
    day: u32,
    month: u32,
    year: i32,
    iso: bool,
}

/// Splits `d/m/yyyy`, `d-m-yyyy`, `d.m.yyyy` or ISO `yyyy-mm-dd` into numbers.
fn parse_numeric(text: &str) -> Result<NumericDate, DateError> {
    let sep = text
        .chars()
        .find(|c| !c.is_ascii_digit())
        .ok_or(DateError::BadFormat)?;
    let parts: Vec<&str> = text.split(sep).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(DateError::BadFormat);
    };
    if sep == '-' && a.len() == 4 {
        Ok(NumericDate {
            year: digits_value(a, 4, 4)? as i32,
            month: digits_value(b, 1, 2)?,
            day: digits_value(c, 1, 2)?,
            iso: true,
        })
    } else {
        Ok(NumericDate {
            day: digits_value(a, 1, 2)?,
            month: digits_value(b, 1, 2)?,
            year: digits_value(c, 4, 4)? as i32,
            iso: false,
        })
    }
}

/// Parses a run of `min..=max` ASCII digits (at most 4, so it always fits).
fn digits_value(text: &str, min: usize, max: usize) -> Result<u32, DateError> {
    if !(min..=max).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError::BadFormat);
    }
    text.parse().map_err(|_| DateError::BadFormat)
}

/// Finds a month number from a Thai or English name, full or abbreviated, dots optional.
fn month_from_name(token: &str) -> Option<u32> {
    fn key(s: &str) -> String {
        s.chars()
            .filter(|c| *c != '.')
            .flat_map(char::to_lowercase)
            .collect()
    }
    let wanted = key(token);
    if wanted.is_empty() {
        return None;
    }
    if wanted == "sept" {
        return Some(9);
    }
    [MONTHS_TH, MONTHS_TH_ABBR, MONTHS_EN, MONTHS_EN_ABBR]
        .iter()
        .find_map(|table| table.iter().position(|name| key(name) == wanted))
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{format_date, format_year};
    use crate::lang::Lang;
    use chrono::Datelike;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn parsed(date: NaiveDate, understood: Era) -> Result<ParsedDate, DateError> {
        Ok(ParsedDate { date, understood })
    }

    #[test]
    fn parses_iso_as_common_era() {
        let date = d(2026, 11, 23);
        assert_eq!(
            parse_date("2026-11-23", Era::Common),
            parsed(date, Era::Common)
        );
        assert_eq!(
            parse_date("2026-11-23", Era::Buddhist),
            parsed(date, Era::Common)
        );
        assert_eq!(
            parse_date("2026-11-23 CE", Era::Buddhist),
            parsed(date, Era::Common)
        );
        assert_eq!(
            parse_date("2569-11-23", Era::Buddhist),
            Err(DateError::YearOutOfRange { year: 2569 })
        );
        assert_eq!(
            parse_date("2026-11-23 พ.ศ.", Era::Buddhist),
            Err(DateError::BadFormat)
        );
    }

    #[test]
    fn parses_day_month_year_with_any_separator() {
        let date = d(2026, 11, 23);
        for text in [
            "23/11/2569",
            "23-11-2569",
            "23.11.2569",
            " 23 / 11 / 2569 ",
            "๒๓/๑๑/๒๕๖๙",
        ] {
            assert_eq!(
                parse_date(text, Era::Buddhist),
                parsed(date, Era::Buddhist),
                "{text}"
            );
        }
        assert_eq!(
            parse_date("1/2/2569", Era::Buddhist),
            parsed(d(2026, 2, 1), Era::Buddhist)
        );
        assert_eq!(
            parse_date("01/02/2026", Era::Common),
            parsed(d(2026, 2, 1), Era::Common)
        );
    }

    #[test]
    fn reports_the_era_actually_understood() {
        let date = d(2026, 11, 23);
        assert_eq!(
            parse_date("23/11/2026", Era::Buddhist),
            parsed(date, Era::Common)
        );
        assert_eq!(
            parse_date("23/11/2569", Era::Common),
            parsed(date, Era::Buddhist)
        );
        // Between 2200 and 2400 the expected era decides.
        assert_eq!(
            parse_date("1/1/2399", Era::Buddhist),
            parsed(d(1856, 1, 1), Era::Buddhist)
        );
        assert_eq!(
            parse_date("1/1/2399", Era::Common),
            Err(DateError::YearOutOfRange { year: 2399 })
        );
    }

    #[test]
    fn parses_month_names_and_era_markers() {
        let date = d(2026, 11, 23);
        let cases = [
            ("23 พ.ย. 2569", Era::Buddhist),
            ("23 พย 2569", Era::Buddhist),
            ("23 พฤศจิกายน พ.ศ. 2569", Era::Buddhist),
            ("23 พ.ย. พ.ศ.2569", Era::Buddhist),
            ("23 Nov 2569 BE", Era::Buddhist),
            ("23 nov. 2026", Era::Common),
            ("23 November 2026 AD", Era::Common),
            ("23 พ.ย. ค.ศ. 2026", Era::Common),
        ];
        for (text, era) in cases {
            assert_eq!(parse_date(text, Era::Buddhist), parsed(date, era), "{text}");
        }
        assert_eq!(
            parse_date("1 Sept 2026", Era::Common),
            parsed(d(2026, 9, 1), Era::Common)
        );
        // An explicit marker wins over the year's magnitude.
        assert_eq!(
            parse_date("23 Nov 2026 BE", Era::Common),
            Err(DateError::YearOutOfRange { year: 2026 })
        );
    }

    #[test]
    fn empty_input() {
        assert_eq!(parse_date("", Era::Buddhist), Err(DateError::Empty));
        assert_eq!(parse_date("   ", Era::Buddhist), Err(DateError::Empty));
        assert_eq!(parse_year(" ", Era::Buddhist), Err(DateError::Empty));
    }

    #[test]
    fn bad_formats() {
        for text in [
            "23/11/69",
            "23112569",
            "23/11-2569",
            "2569/11/23",
            "23/11/2569/1",
            "123/11/2569",
            "23 Foo 2569",
            "23 พ.ย.",
            "พ.ศ.",
            "23/11/2569 BE CE",
            "twenty",
            "23 ,11 2569",
        ] {
            assert_eq!(
                parse_date(text, Era::Buddhist),
                Err(DateError::BadFormat),
                "{text}"
            );
        }
    }

    #[test]
    fn month_out_of_range() {
        assert_eq!(
            parse_date("1/13/2569", Era::Buddhist),
            Err(DateError::MonthOutOfRange { month: 13 })
        );
        assert_eq!(
            parse_date("2026-00-10", Era::Common),
            Err(DateError::MonthOutOfRange { month: 0 })
        );
    }

    #[test]
    fn day_must_exist_with_leap_years_on_ce() {
        assert_eq!(
            parse_date("31/02/2569", Era::Buddhist),
            Err(DateError::NoSuchDay {
                day: 31,
                month: 2,
                year_ce: 2026
            })
        );
        assert_eq!(
            parse_date("31/04/2026", Era::Common),
            Err(DateError::NoSuchDay {
                day: 31,
                month: 4,
                year_ce: 2026
            })
        );
        assert_eq!(
            parse_date("0/1/2026", Era::Common),
            Err(DateError::NoSuchDay {
                day: 0,
                month: 1,
                year_ce: 2026
            })
        );
        // 2567 BE = 2024 CE is a leap year even though 2567 is not divisible by 4.
        assert_eq!(
            parse_date("29/02/2567", Era::Buddhist),
            parsed(d(2024, 2, 29), Era::Buddhist)
        );
        assert_eq!(
            parse_date("29/02/2568", Era::Buddhist),
            Err(DateError::NoSuchDay {
                day: 29,
                month: 2,
                year_ce: 2025
            })
        );
        // 1900 CE is not a leap year, 2000 CE is.
        assert!(parse_date("29/02/1900", Era::Common).is_err());
        assert!(parse_date("29/02/2000", Era::Common).is_ok());
    }

    #[test]
    fn year_out_of_range() {
        for (text, year) in [
            ("1/1/1849", 1849),
            ("1/1/2201", 2201),
            ("1/1/2744", 2744),
            ("1/1/0500", 500),
        ] {
            assert_eq!(
                parse_date(text, Era::Common),
                Err(DateError::YearOutOfRange { year }),
                "{text}"
            );
        }
        assert_eq!(
            parse_date("1/1/1850", Era::Common),
            parsed(d(1850, 1, 1), Era::Common)
        );
        assert_eq!(
            parse_date("31/12/2743", Era::Common),
            parsed(d(2200, 12, 31), Era::Buddhist)
        );
    }

    #[test]
    fn parses_years_alone() {
        assert_eq!(parse_year("2510", Era::Buddhist), Ok((1967, Era::Buddhist)));
        assert_eq!(parse_year("๒๕๑๐", Era::Buddhist), Ok((1967, Era::Buddhist)));
        assert_eq!(parse_year("1967", Era::Buddhist), Ok((1967, Era::Common)));
        assert_eq!(parse_year("2510", Era::Common), Ok((1967, Era::Buddhist)));
        assert_eq!(
            parse_year("พ.ศ. 2510", Era::Common),
            Ok((1967, Era::Buddhist))
        );
        assert_eq!(
            parse_year("2026 BE", Era::Buddhist),
            Err(DateError::YearOutOfRange { year: 2026 })
        );
        assert_eq!(parse_year("67", Era::Buddhist), Err(DateError::BadFormat));
        assert_eq!(
            parse_year("2510 2511", Era::Buddhist),
            Err(DateError::BadFormat)
        );
        assert_eq!(
            parse_year("3000", Era::Buddhist),
            Err(DateError::YearOutOfRange { year: 3000 })
        );
    }

    #[test]
    fn error_codes_are_distinct() {
        let errors = [
            DateError::Empty,
            DateError::BadFormat,
            DateError::MonthOutOfRange { month: 13 },
            DateError::NoSuchDay {
                day: 31,
                month: 2,
                year_ce: 2026,
            },
            DateError::YearOutOfRange { year: 1 },
        ];
        let mut codes: Vec<_> = errors.iter().map(DateError::code).collect();
        assert!(codes.iter().all(|c| c.starts_with("thai.date.")));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), errors.len());
    }

    fn plausible_date() -> impl Strategy<Value = NaiveDate> {
        let first = d(MIN_PLAUSIBLE_CE, 1, 1).num_days_from_ce();
        let last = d(MAX_PLAUSIBLE_CE, 12, 31).num_days_from_ce();
        (first..=last).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
    }

    fn any_era() -> impl Strategy<Value = Era> {
        prop_oneof![Just(Era::Buddhist), Just(Era::Common)]
    }

    fn any_lang() -> impl Strategy<Value = Lang> {
        prop_oneof![Just(Lang::Th), Just(Lang::En)]
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(date in plausible_date(), era in any_era(), lang in any_lang()) {
            let text = format_date(date, era, lang);
            prop_assert_eq!(parse_date(&text, era), parsed(date, era));
        }

        #[test]
        fn numeric_entry_round_trips(date in plausible_date(), era in any_era()) {
            let text = format!("{}/{}/{}", date.day(), date.month(), era.year_from_ce(date.year()));
            prop_assert_eq!(parse_date(&text, era), parsed(date, era));
        }

        #[test]
        fn year_round_trips(date in plausible_date(), era in any_era(), lang in any_lang()) {
            let text = format_year(date.year(), era, lang);
            prop_assert_eq!(parse_year(&text, era), Ok((date.year(), era)));
        }

        #[test]
        fn parse_never_panics(text in "\\PC{0,20}", era in any_era()) {
            let _ = parse_date(&text, era);
            let _ = parse_year(&text, era);
        }
    }
}
