//! A per-client token bucket for `POST /v1/responses`, in memory, with a bounded number of
//! tracked clients.
//!
//! Each client may send `per_minute` POSTs in a burst; its allowance then refills evenly over a
//! minute. The bucket is kept as GCRA's "theoretical arrival time" (when the bucket will be
//! full again), so the arithmetic is exact integer time, not floating-point tokens. A client
//! whose bucket has refilled is indistinguishable from a new one, so its entry is dropped (idle
//! eviction). Memory is bounded by [`MAX_TRACKED_CLIENTS`]: when that many
//! clients are active at once, the one seen least recently is forgotten (it starts again with a
//! full bucket) rather than refusing new clients.

use std::{
    collections::HashMap,
    net::{IpAddr, Ipv6Addr},
    sync::Mutex,
    time::{Duration, Instant},
};

/// The most clients tracked at once (about 48 bytes each, plus the map's overhead).
pub const MAX_TRACKED_CLIENTS: usize = 65_536;
/// How often idle clients are swept out even when the table is not full.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

#[derive(Debug)]
struct Table {
    /// Per client: when its bucket is full again. At or before now means full.
    full_at: HashMap<IpAddr, Instant>,
    last_sweep: Instant,
}

/// Counts POSTs per client IP address.
#[derive(Debug)]
pub struct RateLimiter {
    /// The time one request's token takes to refill: a minute / `per_minute`.
    interval: Duration,
    /// How far in the future `full_at` may be and still admit a request: a full bucket's
    /// worth of intervals, minus the one being spent.
    burst: Duration,
    max_clients: usize,
    table: Mutex<Table>,
}

impl RateLimiter {
    /// A limiter allowing `per_minute` requests per client and minute (at least 1), tracking at
    /// most `max_clients` clients.
    pub fn new(per_minute: u32, max_clients: usize) -> RateLimiter {
        let per_minute = per_minute.max(1);
        let interval = Duration::from_secs(60) / per_minute;
        RateLimiter {
            interval,
            burst: interval * (per_minute - 1),
            max_clients: max_clients.max(1),
            table: Mutex::new(Table {
                full_at: HashMap::new(),
                last_sweep: Instant::now(),
            }),
        }
    }

    /// Counts one request from `ip` at `now`. `Err` holds how long the client must wait before
    /// its next request is allowed; a refused request costs nothing.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let key = client_key(ip);
        // A poisoned lock only means another request panicked mid-update; the table is still
        // usable, and refusing every POST from then on would be worse.
        let mut table = self
            .table
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if now.saturating_duration_since(table.last_sweep) >= SWEEP_EVERY {
            table.full_at.retain(|_, full_at| *full_at > now);
            table.last_sweep = now;
        }
        if !table.full_at.contains_key(&key) && table.full_at.len() >= self.max_clients {
            table.full_at.retain(|_, full_at| *full_at > now);
            if table.full_at.len() >= self.max_clients {
                let soonest_full = table
                    .full_at
                    .iter()
                    .min_by_key(|(_, full_at)| **full_at)
                    .map(|(ip, _)| *ip);
                if let Some(ip) = soonest_full {
                    table.full_at.remove(&ip);
                }
            }
        }
        let full_at = table.full_at.get(&key).copied().unwrap_or(now).max(now);
        let debt = full_at - now;
        if debt > self.burst {
            return Err(debt - self.burst);
        }
        table.full_at.insert(key, full_at + self.interval);
        Ok(())
    }

    /// How many clients are tracked now.
    pub fn tracked_clients(&self) -> usize {
        self.table
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .full_at
            .len()
    }
}

/// The key a client is counted under: its IPv4 address, or the /64 network of its IPv6 address
/// (one host usually holds a whole /64, so counting single IPv6 addresses would not limit it).
fn client_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => {
            let network = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(network))
        }
    }
}

/// Whole seconds for `Retry-After`, rounded up and at least 1.
pub fn retry_after_secs(wait: Duration) -> u64 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    secs.max(1)
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    const A: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    const B: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2));

    #[test]
    fn a_burst_up_to_the_limit_passes_then_waits_for_a_refill() {
        let limiter = RateLimiter::new(3, 10);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check(A, t0), Ok(()));
        }
        let wait = limiter.check(A, t0).expect_err("fourth request is refused");
        // 3 per minute refill one every 20 s.
        assert_eq!(retry_after_secs(wait), 20);
        // Other clients are counted separately.
        assert_eq!(limiter.check(B, t0), Ok(()));
        // After 20 s exactly one more is allowed.
        let later = t0 + Duration::from_secs(20);
        assert_eq!(limiter.check(A, later), Ok(()));
        assert!(limiter.check(A, later).is_err());
    }

    #[test]
    fn refused_requests_do_not_extend_the_wait() {
        let limiter = RateLimiter::new(1, 10);
        let t0 = Instant::now();
        assert_eq!(limiter.check(A, t0), Ok(()));
        for s in 0..60 {
            assert!(limiter.check(A, t0 + Duration::from_secs(s)).is_err());
        }
        assert_eq!(limiter.check(A, t0 + Duration::from_secs(60)), Ok(()));
    }

    #[test]
    fn idle_clients_are_evicted_and_memory_is_bounded() {
        let limiter = RateLimiter::new(2, 4);
        let t0 = Instant::now();
        for n in 0..4u8 {
            let ip = IpAddr::V4(Ipv4Addr::new(10, 0, 0, n));
            assert_eq!(limiter.check(ip, t0), Ok(()));
        }
        assert_eq!(limiter.tracked_clients(), 4);
        // A fifth client while all four are active: the one closest to a full bucket is
        // forgotten.
        let fifth = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 9));
        assert_eq!(limiter.check(fifth, t0 + Duration::from_secs(1)), Ok(()));
        assert_eq!(limiter.tracked_clients(), 4);
        // A minute later every bucket is full again, so the periodic sweep drops them all.
        let later = t0 + Duration::from_secs(120);
        assert_eq!(limiter.check(A, later), Ok(()));
        assert_eq!(limiter.tracked_clients(), 1);
    }

    #[test]
    fn ipv6_clients_are_counted_per_64_network() {
        let limiter = RateLimiter::new(1, 10);
        let t0 = Instant::now();
        let one: IpAddr = "2001:db8:1:2::1".parse().expect("ip");
        let same_net: IpAddr = "2001:db8:1:2:ffff::9".parse().expect("ip");
        let other_net: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert_eq!(limiter.check(one, t0), Ok(()));
        assert!(limiter.check(same_net, t0).is_err());
        assert_eq!(limiter.check(other_net, t0), Ok(()));
        // An IPv4-mapped address counts as its IPv4 address.
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().expect("ip");
        assert_eq!(limiter.check(A, t0), Ok(()));
        assert!(limiter.check(mapped, t0).is_err());
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(1500)), 2);
        assert_eq!(retry_after_secs(Duration::from_secs(3)), 3);
    }
}
