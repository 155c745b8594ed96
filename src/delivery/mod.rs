//! Delivery and display rules as plain logic: the outbox that keeps every submitted response
//! until the endpoint has it, the retry schedule, the flush lease between tabs, and the rules
//! that decide whether a survey is shown (issue 4).
//!
//! Nothing here touches the browser. The browser comes in through three traits, [`Clock`],
//! [`Random`] and [`KeyValue`], bundled in an [`Env`]; the wasm side implements them with
//! `Date.now()`, `Math.random()` and `localStorage`, and the native tests with a settable
//! clock, a fixed sequence and a map that fails on demand. See `docs/delivery.md`.
//!
//! Every key this code writes starts with [`KEY_PREFIX`]; the host's own keys are never read
//! or written.

pub mod backoff;
pub mod classify;
pub mod display_rules;
pub mod lease;
pub mod outbox;
pub mod store;
pub mod web;

pub use backoff::{RetryPolicy, parse_retry_after};
pub use classify::{Class, NO_ANSWER, classify};
pub use display_rules::{Decision, Rule};
pub use lease::Lease;
pub use outbox::{DropReason, Dropped, Outbox, Outcome, Send};
pub use store::{Clock, KeyValue, Random, StorageError, Store, Unavailable};

/// The prefix of every storage key the widget writes. Public contract: a host may look for it
/// (to clear the widget's data, say); changing it is a breaking change.
pub const KEY_PREFIX: &str = crate::contract::STORAGE_PREFIX;

/// One day in milliseconds.
pub const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// What the delivery code needs from its surroundings: storage (with its memory fallback), the
/// time and randomness. The widget builds one per page life.
pub struct Env {
    /// Namespaced storage with a memory fallback.
    pub store: Store,
    /// The time.
    pub clock: Box<dyn Clock>,
    /// Randomness for jitter and sampling.
    pub random: Box<dyn Random>,
}

impl Env {
    /// An environment over `kv` (use [`Unavailable`] when `localStorage` cannot even be
    /// reached).
    pub fn new(kv: Box<dyn KeyValue>, clock: Box<dyn Clock>, random: Box<dyn Random>) -> Env {
        Env {
            store: Store::new(kv),
            clock,
            random,
        }
    }

    /// The time now, in milliseconds since the epoch.
    pub fn now(&self) -> u64 {
        self.clock.now_ms()
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! One environment for the tests of every module here.

    pub use super::store::testing::{MapKv, Sequence, TestClock};
    use super::*;

    /// Stored values that are not what the code wrote: each must read as a fresh state.
    pub const CORRUPTED: &[&str] = &[
        "",
        "{",
        "null",
        "[]",
        "[1]",
        "42",
        "\u{0}",
        "\u{feff}{}",
        r#"{"items":"no"}"#,
        r#"{"items":[{"id":1}]}"#,
        r#"{"tx":5}"#,
        r#"{"tx":[{"s":"default"}]}"#,
        r#"{"owner":5}"#,
    ];

    /// 2026-11-27T00:00:00Z: tests start on a realistic clock.
    pub const T0: u64 = 1_795_737_600_000;

    /// An [`Env`] and handles on its parts.
    pub struct Harness {
        pub env: Env,
        pub kv: MapKv,
        pub clock: TestClock,
        pub random: Sequence,
    }

    impl Harness {
        pub fn new() -> Harness {
            Harness::over(MapKv::default(), TestClock::at(T0))
        }

        /// A second tab: the same storage and clock, its own memory and failure switches.
        pub fn other_tab(&self) -> Harness {
            Harness::over(self.kv.other_tab(), self.clock.clone())
        }

        fn over(kv: MapKv, clock: TestClock) -> Harness {
            let random = Sequence::of(&[0.0]);
            Harness {
                env: Env::new(
                    Box::new(kv.clone()),
                    Box::new(clock.clone()),
                    Box::new(random.clone()),
                ),
                kv,
                clock,
                random,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::Harness;
    use super::*;

    #[test]
    fn every_key_is_namespaced() {
        for key in [
            outbox::OUTBOX_KEY,
            display_rules::RULES_KEY,
            lease::LEASE_KEY,
        ] {
            assert!(key.starts_with(KEY_PREFIX), "{key}");
        }
    }

    #[test]
    fn the_host_s_keys_are_never_touched() {
        let h = Harness::new();
        h.kv.put("host:cart", "[1,2]");
        h.kv.put("survey-widget", "a host key that merely looks like ours");
        let mut outbox = Outbox::new(RetryPolicy::default());
        outbox
            .push(&h.env, "id-1", "https://e/v1/responses", "{}")
            .unwrap();
        let _ = outbox.take_due(&h.env);
        outbox.settle(&h.env, "id-1", 201, None);
        let lease = Lease::new("tab".to_owned());
        assert!(lease.acquire(&h.env));
        lease.release(&h.env);
        let rules = model::DisplayRules::default();
        let tx = model::Transaction {
            id: "T1".to_owned(),
            kind: "bill_payment".to_owned(),
            unit: "u".to_owned(),
        };
        display_rules::decide(&h.env, "default", &rules, &tx, false);
        display_rules::record_shown(&h.env, "default", "T1");
        display_rules::record_dismissed(&h.env, "default");
        assert_eq!(h.kv.value("host:cart").as_deref(), Some("[1,2]"));
        assert_eq!(
            h.kv.value("survey-widget").as_deref(),
            Some("a host key that merely looks like ours")
        );
        for key in h.kv.keys() {
            assert!(
                key.starts_with(KEY_PREFIX) || key == "host:cart" || key == "survey-widget",
                "{key}"
            );
        }
    }
}
