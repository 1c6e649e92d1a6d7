//! Bounds on logging in, so that one client cannot use up the server: the password-hashing
//! work (argon2id costs ~19 MiB and tens of milliseconds a call) runs at most `hash_workers`
//! calls at a time, the rest queued for at most `hash_wait`; and login attempts are throttled
//! per client address and per submitted name before any hashing (GCRA token buckets kept in
//! memory by `governor`). The lockout after failed logins (`session`) is the durable,
//! per-name part; these are the per-process part and forget everything on restart.

use crate::AppError;
use governor::clock::{Clock, DefaultClock};
pub use governor::Quota;
use governor::{DefaultKeyedRateLimiter, RateLimiter};
use std::future::Future;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How many keys a throttle keeps before it forgets the ones that are back to a full bucket.
const SHRINK_AT: usize = 10_000;

/// The limits on logging in.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    /// Login attempts per client address (IPv6 by /64): a burst, then a steady rate.
    pub per_address: Quota,
    /// Login attempts per submitted name, whether or not it is an account.
    pub per_name: Quota,
    /// Password hashes computed at once (default: the number of cores).
    pub hash_workers: usize,
    /// How long a login waits for a hashing slot before it is answered "busy, retry".
    pub hash_wait: Duration,
}

impl LoginLimits {
    /// Limits that never throttle (benchmarks and bulk tools on one machine); hashing is
    /// still bounded.
    pub fn unthrottled() -> LoginLimits {
        let many = Quota::per_second(NonZeroU32::new(1_000_000).unwrap_or(NonZeroU32::MAX));
        LoginLimits {
            per_address: many,
            per_name: many,
            ..LoginLimits::default()
        }
    }
}

impl Default for LoginLimits {
    /// 60 attempts per address per minute (an office behind one NAT address logs in at
    /// 8:30 without trouble) and 10 per name per minute (the lockout stops guessing after 5).
    fn default() -> Self {
        LoginLimits {
            per_address: Quota::per_minute(NonZeroU32::new(60).unwrap_or(NonZeroU32::MIN)),
            per_name: Quota::per_minute(NonZeroU32::new(10).unwrap_or(NonZeroU32::MIN)),
            hash_workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            hash_wait: Duration::from_secs(10),
        }
    }
}

/// The live state behind `LoginLimits`.
pub(crate) struct LoginGuard {
    hashing: Semaphore,
    hash_wait: Duration,
    by_address: DefaultKeyedRateLimiter<IpAddr>,
    by_name: DefaultKeyedRateLimiter<String>,
}

impl std::fmt::Debug for LoginGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginGuard")
            .field("hashing_free", &self.hashing.available_permits())
            .field("addresses", &self.by_address.len())
            .field("names", &self.by_name.len())
            .finish()
    }
}

/// The key an address is throttled under: IPv4 as is, IPv6 by its /64 (one host's share).
fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut s = v6.segments();
                s[4..].fill(0);
                IpAddr::V6(s.into())
            }
        },
    }
}

fn check<K: std::hash::Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
) -> Result<(), Duration> {
    if limiter.len() > SHRINK_AT {
        limiter.retain_recent();
        limiter.shrink_to_fit();
    }
    limiter
        .check_key(key)
        .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
}

impl LoginGuard {
    pub(crate) fn new(limits: &LoginLimits) -> LoginGuard {
        LoginGuard {
            hashing: Semaphore::new(limits.hash_workers.max(1)),
            hash_wait: limits.hash_wait,
            by_address: RateLimiter::keyed(limits.per_address),
            by_name: RateLimiter::keyed(limits.per_name),
        }
    }

    /// Takes one login attempt from the address's and the name's buckets; `Throttled` with
    /// the wait when either is empty (the name's is not touched when the address's is).
    pub(crate) fn admit(&self, address: Option<IpAddr>, name: &str) -> Result<(), AppError> {
        if let Some(ip) = address {
            check(&self.by_address, &address_key(ip)).map_err(retry)?;
        }
        check(&self.by_name, &name.to_string()).map_err(retry)
    }

    /// Runs password-hashing work when a slot is free; `Busy` after waiting `hash_wait`.
    pub(crate) async fn hashing<T>(
        &self,
        work: impl Future<Output = Result<T, AppError>>,
    ) -> Result<T, AppError> {
        let permit = tokio::time::timeout(self.hash_wait, self.hashing.acquire())
            .await
            .map_err(|_| AppError::Busy)?
            .map_err(|_| AppError::Busy)?;
        let done = work.await;
        drop(permit);
        done
    }
}

/// Whole seconds to wait, at least one.
fn retry(wait: Duration) -> AppError {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    AppError::Throttled(Duration::from_secs(secs.max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_address: u32, per_name: u32) -> LoginLimits {
        LoginLimits {
            per_address: Quota::per_hour(NonZeroU32::new(per_address).unwrap()),
            per_name: Quota::per_hour(NonZeroU32::new(per_name).unwrap()),
            ..LoginLimits::default()
        }
    }

    #[test]
    fn an_address_gets_its_burst_then_waits() {
        let g = LoginGuard::new(&limits(3, 100));
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        let ok = (0..5)
            .filter(|i| g.admit(Some(ip), &format!("name{i}")).is_ok())
            .count();
        assert_eq!(ok, 3);
        assert!(matches!(
            g.admit(Some(ip), "other"),
            Err(AppError::Throttled(d)) if d.as_secs() >= 1
        ));
        // Another address is not affected.
        assert!(g.admit(Some("192.0.2.8".parse().unwrap()), "x").is_ok());
    }

    #[test]
    fn a_name_is_throttled_across_addresses() {
        let g = LoginGuard::new(&limits(100, 2));
        for i in 0..2 {
            let ip: IpAddr = format!("192.0.2.{i}").parse().unwrap();
            assert!(g.admit(Some(ip), "somchai").is_ok());
        }
        assert!(g
            .admit(Some("192.0.2.9".parse().unwrap()), "somchai")
            .is_err());
        assert!(g.admit(None, "somying").is_ok());
    }

    #[test]
    fn ipv6_hosts_share_their_64() {
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(address_key(mapped), "192.0.2.1".parse::<IpAddr>().unwrap());
    }

    #[tokio::test]
    async fn hashing_beyond_the_slots_is_refused_as_busy() {
        let g = LoginGuard::new(&LoginLimits {
            hash_workers: 1,
            hash_wait: Duration::from_millis(10),
            ..LoginLimits::default()
        });
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let held = g.hashing(async {
            let _ = rx.await;
            Ok(())
        });
        let waiting = async {
            let r = g.hashing(async { Ok(()) }).await;
            let _ = tx.send(());
            r
        };
        let (a, b) = tokio::join!(held, waiting);
        assert!(a.is_ok());
        assert!(matches!(b, Err(AppError::Busy)));
    }
}
