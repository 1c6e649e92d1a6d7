//! Instants are stored as fixed-width RFC 3339 UTC text so that text order is time order on
//! both databases.

use chrono::{DateTime, SecondsFormat, Utc};

/// Formats an instant for storage.
pub fn to_db(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Reads a stored instant.
pub fn from_db(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The current instant, already in storage form.
pub fn now_db() -> String {
    to_db(Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_text_order_is_time_order() {
        let a = Utc::now();
        let b = a + chrono::Duration::microseconds(1);
        assert_eq!(from_db(&to_db(a)).map(to_db), Some(to_db(a)));
        assert!(to_db(a) < to_db(b));
        assert_eq!(to_db(a).len(), 27);
    }
}
