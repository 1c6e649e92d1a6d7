//! Buddhist-era calendar, Thai month names, the Thai fiscal year, and forgiving date entry.

mod parse;

pub use parse::{parse_date, parse_year, DateError, ParsedDate};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Timelike, Utc};

use crate::lang::Lang;

/// Years between the Common era and the Buddhist era (BE = CE + 543), used by every conversion.
pub const BE_OFFSET: i32 = 543;

/// Earliest CE year accepted from user input, so typos such as "1026" are caught.
pub const MIN_PLAUSIBLE_CE: i32 = 1850;

/// Latest CE year accepted from user input, so typos such as "2926" are caught.
pub const MAX_PLAUSIBLE_CE: i32 = 2200;

/// A typed year at or above this is read as Buddhist era whatever the form expected.
const BE_THRESHOLD: i32 = 2400;

/// Asia/Bangkok as a fixed offset: Thailand keeps UTC+7 all year with no daylight saving.
pub const BANGKOK: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+7 is a valid offset"),
};

/// The era a year is counted in; Thai users read and type Buddhist-era years by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Era {
    /// Buddhist era (พ.ศ.), CE + 543: the default in Thailand.
    #[default]
    Buddhist,
    /// Common era (ค.ศ.), for users and partners who prefer it.
    Common,
}

impl Era {
    /// Every era, in the order a settings picker lists them.
    pub const ALL: [Era; 2] = [Era::Buddhist, Era::Common];

    /// The stable code stored in user preferences.
    pub fn code(self) -> &'static str {
        match self {
            Era::Buddhist => "be",
            Era::Common => "ce",
        }
    }

    /// Reads a stored or submitted era code ("be" or "ce", any case); `None` when unknown.
    pub fn from_code(code: &str) -> Option<Era> {
        match code.trim().to_ascii_lowercase().as_str() {
            "be" => Some(Era::Buddhist),
            "ce" => Some(Era::Common),
            _ => None,
        }
    }

    /// Converts a CE year to the year number shown in this era.
    pub fn year_from_ce(self, ce: i32) -> i32 {
        match self {
            Era::Buddhist => be_year(ce),
            Era::Common => ce,
        }
    }

    /// Converts a year number counted in this era back to CE.
    pub fn year_to_ce(self, year: i32) -> i32 {
        match self {
            Era::Buddhist => ce_year(year),
            Era::Common => year,
        }
    }
}

/// Converts a CE year to the Buddhist-era year Thai users read (2026 → 2569); saturates.
pub fn be_year(ce: i32) -> i32 {
    ce.saturating_add(BE_OFFSET)
}

/// Converts a Buddhist-era year back to CE for storage and date arithmetic (2569 → 2026); saturates.
pub fn ce_year(be: i32) -> i32 {
    be.saturating_sub(BE_OFFSET)
}

/// Full Thai month names, January first, as printed on Thai documents.
pub const MONTHS_TH: [&str; 12] = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
];

/// Abbreviated Thai month names, January first, as used in compact dates.
pub const MONTHS_TH_ABBR: [&str; 12] = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
];

/// Full English month names, January first, for the English interface.
pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Abbreviated English month names, January first, for compact English dates.
pub const MONTHS_EN_ABBR: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The full name of month 1–12 in a language, for headings and long dates.
pub fn month_name(month: u32, lang: Lang) -> Option<&'static str> {
    let table = match lang {
        Lang::Th => &MONTHS_TH,
        Lang::En => &MONTHS_EN,
    };
    table.get(month.checked_sub(1)? as usize).copied()
}

/// The abbreviated name of month 1–12 in a language, for compact dates and table columns.
pub fn month_abbr(month: u32, lang: Lang) -> Option<&'static str> {
    let table = match lang {
        Lang::Th => &MONTHS_TH_ABBR,
        Lang::En => &MONTHS_EN_ABBR,
    };
    table.get(month.checked_sub(1)? as usize).copied()
}

/// The Thai government fiscal year of a date (1 Oct – 30 Sep, named by the BE year it ends in).
pub fn fiscal_year_be(date: NaiveDate) -> i32 {
    if date.month() >= 10 {
        be_year(date.year() + 1)
    } else {
        be_year(date.year())
    }
}

/// First and last day of a BE fiscal year, for budget and report queries; `None` if out of range.
pub fn fiscal_year_range(fiscal_year_be: i32) -> Option<(NaiveDate, NaiveDate)> {
    let end_ce = ce_year(fiscal_year_be);
    let start = NaiveDate::from_ymd_opt(end_ce.checked_sub(1)?, 10, 1)?;
    let end = NaiveDate::from_ymd_opt(end_ce, 9, 30)?;
    Some((start, end))
}

/// Formats a year alone (for year-only birth dates) the same way `format_date` shows years.
pub fn format_year(ce: i32, era: Era, lang: Lang) -> String {
    let year = era.year_from_ce(ce);
    match (lang, era) {
        (Lang::En, Era::Buddhist) => format!("{year} BE"),
        _ => year.to_string(),
    }
}

/// Formats a calendar date for display: "23 พ.ย. 2569", "23 Nov 2569 BE", "23 Nov 2026".
pub fn format_date(date: NaiveDate, era: Era, lang: Lang) -> String {
    let month = month_abbr(date.month(), lang).unwrap_or_default();
    format!(
        "{} {} {}",
        date.day(),
        month,
        format_year(date.year(), era, lang)
    )
}

/// The wall-clock time in Bangkok for a stored UTC instant (saturating at chrono's maximum).
pub fn bangkok_datetime(instant: DateTime<Utc>) -> NaiveDateTime {
    instant
        .naive_utc()
        .checked_add_offset(BANGKOK)
        .unwrap_or(NaiveDateTime::MAX)
}

/// The calendar date in Bangkok for a UTC instant ("today" for ages, deadlines, case numbers).
pub fn bangkok_date(instant: DateTime<Utc>) -> NaiveDate {
    bangkok_datetime(instant).date()
}

/// Formats a UTC instant in Bangkok time: "23 พ.ย. 2569 16:29" or "23 Nov 2026 16:29".
pub fn format_datetime(instant: DateTime<Utc>, era: Era, lang: Lang) -> String {
    let local = bangkok_datetime(instant);
    format!(
        "{} {:02}:{:02}",
        format_date(local.date(), era, lang),
        local.hour(),
        local.minute()
    )
}

/// Replaces Thai digits (๐–๙) with ASCII digits so either can be typed into any numeric field.
pub fn thai_digits_to_ascii(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '๐'..='๙' => char::from_digit(c as u32 - '๐' as u32, 10).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn era_codes_and_default() {
        assert_eq!(Era::default(), Era::Buddhist);
        for era in Era::ALL {
            assert_eq!(Era::from_code(era.code()), Some(era));
        }
        assert_eq!(Era::from_code(" BE "), Some(Era::Buddhist));
        assert_eq!(Era::from_code("CE"), Some(Era::Common));
        assert_eq!(Era::from_code("ad"), None);
    }

    #[test]
    fn year_conversion() {
        assert_eq!(be_year(2026), 2569);
        assert_eq!(ce_year(2569), 2026);
        assert_eq!(be_year(i32::MAX), i32::MAX);
        assert_eq!(ce_year(i32::MIN), i32::MIN);
        assert_eq!(Era::Buddhist.year_from_ce(2026), 2569);
        assert_eq!(Era::Common.year_from_ce(2026), 2026);
        assert_eq!(Era::Buddhist.year_to_ce(2569), 2026);
        assert_eq!(Era::Common.year_to_ce(2026), 2026);
    }

    #[test]
    fn month_tables() {
        assert_eq!(month_name(1, Lang::Th), Some("มกราคม"));
        assert_eq!(month_name(12, Lang::Th), Some("ธันวาคม"));
        assert_eq!(month_abbr(11, Lang::Th), Some("พ.ย."));
        assert_eq!(month_name(9, Lang::En), Some("September"));
        assert_eq!(month_abbr(11, Lang::En), Some("Nov"));
        assert_eq!(month_name(0, Lang::Th), None);
        assert_eq!(month_abbr(13, Lang::En), None);
    }

    #[test]
    fn fiscal_year_boundaries() {
        assert_eq!(fiscal_year_be(d(2026, 10, 1)), 2570);
        assert_eq!(fiscal_year_be(d(2026, 9, 30)), 2569);
        assert_eq!(fiscal_year_be(d(2026, 1, 1)), 2569);
        assert_eq!(fiscal_year_be(d(2026, 12, 31)), 2570);
        assert_eq!(
            fiscal_year_range(2570),
            Some((d(2026, 10, 1), d(2027, 9, 30)))
        );
        assert_eq!(fiscal_year_range(i32::MIN), None);
    }

    #[test]
    fn formats_dates_in_all_four_styles() {
        let date = d(2026, 11, 23);
        assert_eq!(format_date(date, Era::Buddhist, Lang::Th), "23 พ.ย. 2569");
        assert_eq!(format_date(date, Era::Common, Lang::Th), "23 พ.ย. 2026");
        assert_eq!(format_date(date, Era::Buddhist, Lang::En), "23 Nov 2569 BE");
        assert_eq!(format_date(date, Era::Common, Lang::En), "23 Nov 2026");
        assert_eq!(
            format_date(d(2026, 1, 5), Era::Buddhist, Lang::Th),
            "5 ม.ค. 2569"
        );
    }

    #[test]
    fn formats_years() {
        assert_eq!(format_year(2026, Era::Buddhist, Lang::Th), "2569");
        assert_eq!(format_year(2026, Era::Buddhist, Lang::En), "2569 BE");
        assert_eq!(format_year(2026, Era::Common, Lang::En), "2026");
    }

    #[test]
    fn formats_datetimes_in_bangkok_time() {
        let instant = Utc.with_ymd_and_hms(2026, 11, 23, 9, 29, 5).unwrap();
        assert_eq!(
            format_datetime(instant, Era::Buddhist, Lang::Th),
            "23 พ.ย. 2569 16:29"
        );
        assert_eq!(
            format_datetime(instant, Era::Common, Lang::En),
            "23 Nov 2026 16:29"
        );
        // 20:00 UTC is already the next day in Bangkok.
        let late = Utc.with_ymd_and_hms(2026, 12, 31, 20, 0, 0).unwrap();
        assert_eq!(bangkok_date(late), d(2027, 1, 1));
        assert_eq!(
            format_datetime(late, Era::Buddhist, Lang::En),
            "1 Jan 2570 BE 03:00"
        );
        // Extreme instants must not panic.
        let _ = format_datetime(DateTime::<Utc>::MAX_UTC, Era::Buddhist, Lang::Th);
        let _ = format_datetime(DateTime::<Utc>::MIN_UTC, Era::Common, Lang::En);
    }

    #[test]
    fn thai_digits() {
        assert_eq!(thai_digits_to_ascii("๒๓/๑๑/๒๕๖๙"), "23/11/2569");
        assert_eq!(thai_digits_to_ascii("๐๑๒๓๔๕๖๗๘๙ abc"), "0123456789 abc");
    }
}
