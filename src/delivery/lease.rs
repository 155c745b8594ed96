//! Only one tab flushes the outbox at a time: a lease in storage that expires.
//!
//! The wasm side may use the Web Locks API where it exists (`navigator.locks.request` with
//! `ifAvailable`) and fall back to this lease. The lease is advisory: two tabs that race for it
//! in the same instant may both flush once, and an endpoint that honours `Idempotency-Key` (or
//! `response_id`) still stores each response once.

use super::Env;
use super::store::{self, Fields, State};

/// The storage key of the lease. Public contract (see [`super::KEY_PREFIX`]).
pub const LEASE_KEY: &str = crate::contract::STORAGE_LEASE;
/// How long a lease lasts unless renewed. A tab that closes while holding it blocks the others
/// for at most this long.
pub const LEASE_MS: u64 = 15_000;

/// Stored as one line: `L`, until when, the owner.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct LeaseState {
    owner: String,
    until: u64,
}

impl State for LeaseState {
    fn encode(&self, out: &mut String) {
        store::line(out, 'L');
        store::number(out, self.until);
        store::text(out, &self.owner);
    }

    fn decode(text: &str) -> Option<Self> {
        let mut state = None;
        store::decode_lines(text, |kind, f: &mut Fields<'_>| {
            if kind != 'L' || state.is_some() {
                return None;
            }
            let until = f.number()?;
            state = Some(LeaseState {
                until,
                owner: f.text()?,
            });
            Some(())
        })?;
        state
    }

    fn merge(&mut self, other: Self) {
        if other.until > self.until {
            *self = other;
        }
    }
}

/// This page's claim to flush.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    owner: String,
}

impl Lease {
    /// A lease holder named `owner`: a random id per page life (a UUID).
    pub fn new(owner: String) -> Lease {
        Lease { owner }
    }

    /// Takes the lease, or renews it, for [`LEASE_MS`]. `false` while another page holds an
    /// unexpired lease: that page flushes. Call it before each flush round.
    pub fn acquire(&self, env: &Env) -> bool {
        let now = env.now();
        let held: LeaseState = store::load(&env.store, LEASE_KEY);
        // A lease that claims to last longer than a lease can (a clock that has gone back)
        // is treated as expired.
        let live = held.until > now && held.until - now <= LEASE_MS;
        if live && !held.owner.is_empty() && held.owner != self.owner {
            return false;
        }
        let mine = LeaseState {
            owner: self.owner.clone(),
            until: now + LEASE_MS,
        };
        env.store.write(LEASE_KEY, Some(store::to_text(&mine)));
        // Read it back: of two tabs writing at once, the one whose write landed last wins.
        let after: LeaseState = store::load(&env.store, LEASE_KEY);
        after.owner == self.owner
    }

    /// Gives the lease up (after a flush round that left nothing to wait for, and on
    /// `pagehide`), so another page need not wait for it to expire.
    pub fn release(&self, env: &Env) {
        let held: LeaseState = store::load(&env.store, LEASE_KEY);
        if held.owner == self.owner {
            env.store.write(LEASE_KEY, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Harness;
    use super::*;

    #[test]
    fn one_tab_holds_it_until_it_releases_or_it_expires() {
        let a = Harness::new();
        let b = a.other_tab();
        let (la, lb) = (Lease::new("a".to_owned()), Lease::new("b".to_owned()));
        assert!(la.acquire(&a.env));
        assert!(!lb.acquire(&b.env));
        // Renewing is taking it again.
        a.clock.advance(LEASE_MS - 1);
        assert!(la.acquire(&a.env));
        a.clock.advance(LEASE_MS - 1);
        assert!(!lb.acquire(&b.env));
        // Exactly at expiry it is free.
        a.clock.advance(1);
        assert!(lb.acquire(&b.env));
        assert!(!la.acquire(&a.env));
        lb.release(&b.env);
        assert_eq!(b.kv.value(LEASE_KEY), None);
        assert!(la.acquire(&a.env));
    }

    #[test]
    fn releasing_a_lease_someone_else_holds_does_nothing() {
        let a = Harness::new();
        let b = a.other_tab();
        let (la, lb) = (Lease::new("a".to_owned()), Lease::new("b".to_owned()));
        assert!(la.acquire(&a.env));
        lb.release(&b.env);
        assert!(!lb.acquire(&b.env));
    }

    #[test]
    fn a_lease_from_a_clock_that_went_back_is_expired() {
        let a = Harness::new();
        let b = a.other_tab();
        assert!(Lease::new("a".to_owned()).acquire(&a.env));
        a.clock.set(a.clock.get() - 60 * 60 * 1000);
        assert!(Lease::new("b".to_owned()).acquire(&b.env));
    }

    #[test]
    fn corrupted_or_foreign_values_are_taken_over() {
        let a = Harness::new();
        let lease = Lease::new("a".to_owned());
        for junk in super::super::testing::CORRUPTED {
            a.kv.put(LEASE_KEY, junk);
            assert!(lease.acquire(&a.env), "{junk:?}");
        }
    }

    #[test]
    fn without_storage_each_tab_holds_its_own_lease() {
        let a = Harness::new();
        let b = a.other_tab();
        a.kv.fail_all();
        b.kv.fail_all();
        assert!(Lease::new("a".to_owned()).acquire(&a.env));
        assert!(Lease::new("b".to_owned()).acquire(&b.env));
    }

    #[test]
    fn a_failing_remove_leaves_a_lease_that_still_expires() {
        let a = Harness::new();
        let b = a.other_tab();
        let la = Lease::new("a".to_owned());
        assert!(la.acquire(&a.env));
        a.kv.fail_remove.set(true);
        la.release(&a.env);
        assert!(!Lease::new("b".to_owned()).acquire(&b.env));
        a.clock.advance(LEASE_MS);
        assert!(Lease::new("b".to_owned()).acquire(&b.env));
    }
}
