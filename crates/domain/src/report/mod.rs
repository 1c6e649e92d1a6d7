//! Aggregate figures for those who may see no case (`Action::ViewAggregates`): counts only,
//! with small counts suppressed so a figure cannot point at a person.

use serde::{Deserialize, Serialize};

pub mod forecast;
pub mod period;

/// Counts from 1 up to this are shown as "<5"; 0 is shown (nothing to point at).
pub const SUPPRESS_BELOW: i64 = 5;

/// One published count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Figure {
    /// The count as it is (0, or [`SUPPRESS_BELOW`] and more).
    Count(i64),
    /// 1 to 4: shown as "<5".
    Suppressed,
}

impl Figure {
    /// Publishes a count: 1–4 become [`Figure::Suppressed`].
    pub fn of(n: i64) -> Figure {
        if (1..SUPPRESS_BELOW).contains(&n) {
            Figure::Suppressed
        } else {
            Figure::Count(n.max(0))
        }
    }

    /// The least the count can be (1 when suppressed), for ordering.
    pub fn at_least(self) -> i64 {
        match self {
            Figure::Count(n) => n,
            Figure::Suppressed => 1,
        }
    }

    /// As shown: the number, or `<5`.
    pub fn text(self) -> String {
        match self {
            Figure::Count(n) => n.to_string(),
            Figure::Suppressed => format!("<{SUPPRESS_BELOW}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_suppressed_and_zero_is_not() {
        assert_eq!(Figure::of(0), Figure::Count(0));
        for n in 1..=4 {
            assert_eq!(Figure::of(n), Figure::Suppressed);
            assert_eq!(Figure::of(n).text(), "<5");
        }
        assert_eq!(Figure::of(5), Figure::Count(5));
        assert_eq!(Figure::of(120).text(), "120");
    }
}
