//! Instants are stored as fixed-width RFC 3339 UTC text so that text order is time order on
//! both databases. Records take their instants from `now`, which is the system clock except
//! inside `with_clock`: the demo seeds each case's story at the past moments it tells (intake
//! first, then contacts, assessment, plan, reviews), each call moving that clock on a little.
//! The audit trail always records the real time (`real_now_db`).

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use std::cell::Cell;
use std::future::Future;

tokio::task_local! {
    /// The demo seed's clock, when one is set for the current task.
    static CLOCK: Cell<Option<DateTime<Utc>>>;
}

/// How far the demo clock moves on at each reading, so records made one after the other keep
/// their order.
const TICK_SECONDS: i64 = 10;

/// The current instant: the system clock, or the clock `with_clock` set for this task (which
/// then moves on by a few seconds).
pub fn now() -> DateTime<Utc> {
    CLOCK
        .try_with(|c| {
            let t = c.get()?;
            c.set(Some(t + Duration::seconds(TICK_SECONDS)));
            Some(t)
        })
        .ok()
        .flatten()
        .unwrap_or_else(Utc::now)
}

/// Runs `f` with a clock for its records that starts at `start` (never later than now).
pub async fn with_clock<F: Future>(start: DateTime<Utc>, f: F) -> F::Output {
    CLOCK.scope(Cell::new(Some(start.min(Utc::now()))), f).await
}

/// Sets the clock `with_clock` started to `t` (never later than now); nothing outside it.
pub fn set_clock(t: DateTime<Utc>) {
    let _ = CLOCK.try_with(|c| c.set(Some(t.min(Utc::now()))));
}

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

/// The current instant (`now`), already in storage form.
pub fn now_db() -> String {
    to_db(now())
}

/// The system clock's instant in storage form, whatever clock is set (the audit trail).
pub fn real_now_db() -> String {
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

    #[tokio::test]
    async fn a_set_clock_moves_on_and_ends_with_its_scope() {
        let start = Utc::now() - Duration::days(100);
        let (first, second, later) = with_clock(start, async {
            let first = now();
            let second = now();
            set_clock(start + Duration::days(3));
            (first, second, now())
        })
        .await;
        assert_eq!(first, start);
        assert_eq!(second, start + Duration::seconds(TICK_SECONDS));
        assert_eq!(later, start + Duration::days(3));
        assert!(now() > start + Duration::days(99));
        assert!(real_now_db() > to_db(later));
    }
}
