//! The period a dashboard shows, as it travels in a URL: a Thai fiscal year (`fy-2570`), one
//! of its quarters (`q-2570-1`: October–December 2569) or a calendar month in the Buddhist era
//! (`m-2569-10`: October 2569, i.e. 2026). Each names its first and last day.

use chrono::{Datelike, Months, NaiveDate};
use karuna_thai::calendar::{be_year, ce_year, fiscal_year_be, fiscal_year_range};

/// A period of a dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// A fiscal year (BE): 1 October – 30 September.
    FiscalYear(i32),
    /// A quarter (1–4) of a fiscal year (BE); quarter 1 is October–December.
    Quarter(i32, u32),
    /// A calendar month: year (BE) and month (1–12).
    Month(i32, u32),
}

/// The years a period may name (BE): 2500–2700.
const YEARS: std::ops::RangeInclusive<i32> = 2500..=2700;

impl Period {
    /// Reads a period's code; `None` for anything else.
    pub fn parse(code: &str) -> Option<Period> {
        let mut parts = code.trim().split('-');
        let kind = parts.next()?;
        let year: i32 = parts.next()?.parse().ok().filter(|y| YEARS.contains(y))?;
        let third = parts.next().map(str::parse::<u32>);
        if parts.next().is_some() {
            return None;
        }
        match (kind, third) {
            ("fy", None) => Some(Period::FiscalYear(year)),
            ("q", Some(Ok(q))) if (1..=4).contains(&q) => Some(Period::Quarter(year, q)),
            ("m", Some(Ok(m))) if (1..=12).contains(&m) => Some(Period::Month(year, m)),
            _ => None,
        }
    }

    /// Its code (what `parse` reads).
    pub fn code(self) -> String {
        match self {
            Period::FiscalYear(y) => format!("fy-{y}"),
            Period::Quarter(y, q) => format!("q-{y}-{q}"),
            Period::Month(y, m) => format!("m-{y}-{m}"),
        }
    }

    /// Its first and last day.
    pub fn days(self) -> (NaiveDate, NaiveDate) {
        let month_end = |first: NaiveDate, months: u32| {
            first
                .checked_add_months(Months::new(months))
                .and_then(|d| d.pred_opt())
                .unwrap_or(first)
        };
        match self {
            Period::FiscalYear(y) => fiscal_year_range(y).unwrap_or_default(),
            Period::Quarter(y, q) => {
                let (start, _) = fiscal_year_range(y).unwrap_or_default();
                let first = start
                    .checked_add_months(Months::new(q.saturating_sub(1) * 3))
                    .unwrap_or(start);
                (first, month_end(first, 3))
            }
            Period::Month(y, m) => {
                let first = NaiveDate::from_ymd_opt(ce_year(y), m, 1).unwrap_or_default();
                (first, month_end(first, 1))
            }
        }
    }

    /// The fiscal year (BE) the period lies in.
    pub fn fiscal_year(self) -> i32 {
        match self {
            Period::FiscalYear(y) | Period::Quarter(y, _) => y,
            Period::Month(..) => fiscal_year_be(self.days().0),
        }
    }

    /// The months of the period, each by its first day.
    pub fn months(self) -> Vec<NaiveDate> {
        let (first, last) = self.days();
        (0..12)
            .filter_map(|i| first.checked_add_months(Months::new(i)))
            .take_while(|m| *m <= last)
            .collect()
    }

    /// The periods offered around `today`: this fiscal year and the two before it, this
    /// quarter and the four before it, this month and the twelve before it — newest first.
    pub fn choices(today: NaiveDate) -> Vec<Period> {
        let fy = fiscal_year_be(today);
        let mut out: Vec<Period> = (0..3).map(|i| Period::FiscalYear(fy - i)).collect();
        let (start, _) = fiscal_year_range(fy).unwrap_or_default();
        let months_in =
            today.year() * 12 + today.month0() as i32 - (start.year() * 12 + start.month0() as i32);
        let mut q = (fy, (months_in / 3 + 1).clamp(1, 4) as u32);
        for _ in 0..5 {
            out.push(Period::Quarter(q.0, q.1));
            q = if q.1 == 1 {
                (q.0 - 1, 4)
            } else {
                (q.0, q.1 - 1)
            };
        }
        let mut m = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
        for _ in 0..13 {
            out.push(Period::Month(be_year(m.year()), m.month()));
            m = m.checked_sub_months(Months::new(1)).unwrap_or(m);
        }
        out
    }
}

/// The value at a percentile (nearest rank) of `values`, sorted here; `None` when empty.
pub fn percentile(values: &mut [i64], pct: u32) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let rank = (u64::from(pct.min(100)) * values.len() as u64)
        .div_ceil(100)
        .max(1);
    values.get(rank as usize - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn each_kind_of_period_names_its_days() {
        let days = |c: &str| Period::parse(c).unwrap().days();
        assert_eq!(days("fy-2570"), (d(2026, 10, 1), d(2027, 9, 30)));
        assert_eq!(days("q-2570-1"), (d(2026, 10, 1), d(2026, 12, 31)));
        assert_eq!(days("q-2570-2"), (d(2027, 1, 1), d(2027, 3, 31)));
        assert_eq!(days("m-2569-2"), (d(2026, 2, 1), d(2026, 2, 28)));
        assert_eq!(days("m-2567-2"), (d(2024, 2, 1), d(2024, 2, 29)));
        assert_eq!(Period::Month(2569, 11).fiscal_year(), 2570);
        assert_eq!(Period::Quarter(2570, 3).months().len(), 3);
        assert_eq!(Period::FiscalYear(2570).months().len(), 12);
    }

    #[test]
    fn anything_else_is_not_a_period() {
        for bad in [
            "",
            "fy",
            "fy-",
            "fy-abc",
            "fy-2570-1",
            "q-2570",
            "q-2570-5",
            "q-2570-0",
            "m-2569-13",
            "m-2569-0",
            "w-2570",
            "fy-1999",
            "fy-2570-",
            "m-2569-1-1",
            "fy-99999999999",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_choices_start_with_what_contains_today() {
        let c = Period::choices(d(2026, 12, 6));
        assert_eq!(c[0], Period::FiscalYear(2570));
        assert_eq!(c[3], Period::Quarter(2570, 1));
        assert_eq!(c[4], Period::Quarter(2569, 4));
        assert_eq!(c[8], Period::Month(2569, 12));
        assert_eq!(c.len(), 3 + 5 + 13);
        for p in c {
            let (a, b) = p.days();
            assert!(a <= b);
            assert_eq!(Period::parse(&p.code()), Some(p));
        }
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        assert_eq!(percentile(&mut [], 50), None);
        assert_eq!(percentile(&mut [7], 90), Some(7));
        assert_eq!(percentile(&mut [5, 1, 3, 2, 4], 50), Some(3));
        assert_eq!(
            percentile(&mut [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90),
            Some(9)
        );
        assert_eq!(percentile(&mut [1, 2, 3, 4], 50), Some(2));
    }

    proptest! {
        #[test]
        fn a_percentile_is_one_of_the_values_and_grows_with_the_rank(
            v in proptest::collection::vec(0i64..10_000, 1..200),
            p in 0u32..=100,
        ) {
            let a = percentile(&mut v.clone(), p).unwrap();
            prop_assert!(v.contains(&a));
            let b = percentile(&mut v.clone(), (p + 10).min(100)).unwrap();
            prop_assert!(a <= b);
        }

        #[test]
        fn every_period_code_reads_back(y in 2500i32..=2700, q in 1u32..=4, m in 1u32..=12) {
            for p in [Period::FiscalYear(y), Period::Quarter(y, q), Period::Month(y, m)] {
                prop_assert_eq!(Period::parse(&p.code()), Some(p));
                let (a, b) = p.days();
                prop_assert!(a <= b);
            }
        }
    }
}
