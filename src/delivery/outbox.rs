//! The outbox: every submitted response is kept in storage from before its first send until the
//! endpoint has it, and retried on a schedule.
//!
//! All of it lives under one key, [`OUTBOX_KEY`], one line per item (`I`, then `response_id`,
//! created, attempts, next attempt, endpoint and the exact body for every attempt) and one line
//! per settled id (`D`, then `response_id`, when, and 0 for delivered or the drop code). The
//! settled ids are remembered for 7 days, so that a copy another tab (or the memory fallback) still
//! holds is never sent again, and a refused response is never retried after a reload.
//!
//! Every operation reads storage first, changes it, and writes it back, so that two tabs see
//! each other's progress. Storage errors never surface: the memory fallback keeps the state.

use super::backoff::{RetryPolicy, parse_retry_after};
use super::classify::{Class, classify};
use super::store::{self, Fields, State};
use super::{DAY_MS, Env};

/// The storage key of the outbox. Public contract (see [`super::KEY_PREFIX`]).
pub const OUTBOX_KEY: &str = crate::contract::STORAGE_OUTBOX;
/// The most items the outbox holds; pushing one more evicts the oldest.
pub const MAX_ITEMS: usize = 20;
/// The most bytes the outbox's stored text may take (UTF-8); over it, the oldest items are
/// evicted.
pub const MAX_BYTES: usize = 64 * 1024;
/// An item is dropped this long after it was submitted.
pub const MAX_AGE_MS: u64 = 7 * DAY_MS;
/// The largest body the outbox takes: the collector's limit, and what a `keepalive` request on
/// `pagehide` may carry.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// The most body bytes sent with `keepalive` at `pagehide`: the browser's budget for all
/// keepalive requests in flight.
pub const KEEPALIVE_BUDGET_BYTES: usize = 64 * 1024;
/// The longest wait the shipped policy sets (the `Retry-After` cap).
const LONGEST_WAIT_MS: u64 = 300_000;
/// How many delivered or dropped ids are remembered (each for [`MAX_AGE_MS`]).
pub const MAX_DONE: usize = 50;

/// One pending response.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Item {
    /// The response's `response_id`, also its `Idempotency-Key`.
    id: String,
    /// Where it goes: the `data-endpoint` of the page that took it.
    endpoint: String,
    /// The JSON body, exactly as POSTed every time.
    body: String,
    /// When it was pushed, ms since the epoch.
    created: u64,
    /// Attempts started, over all page lives.
    attempts: u32,
    /// Not to be sent before this time, ms since the epoch.
    next: u64,
}

/// An id that is delivered or dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Done {
    id: String,
    /// When, ms since the epoch.
    at: u64,
    /// `None` when delivered.
    dropped: Option<DropReason>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct OutboxState {
    items: Vec<Item>,
    done: Vec<Done>,
}

impl State for OutboxState {
    fn encode(&self, out: &mut String) {
        for i in &self.items {
            store::line(out, 'I');
            store::text(out, &i.id);
            store::number(out, i.created);
            store::number(out, i.attempts.into());
            store::number(out, i.next);
            store::text(out, &i.endpoint);
            store::text(out, &i.body);
        }
        for d in &self.done {
            store::line(out, 'D');
            store::text(out, &d.id);
            store::number(out, d.at);
            store::number(out, d.dropped.map_or(0, DropReason::code).into());
        }
    }

    fn decode(text: &str) -> Option<Self> {
        let mut state = OutboxState::default();
        store::decode_lines(text, |kind, f: &mut Fields<'_>| {
            match kind {
                'I' => state.items.push(Item {
                    id: f.text()?,
                    created: f.number()?,
                    attempts: u32::try_from(f.number()?).ok()?,
                    next: f.number()?,
                    endpoint: f.text()?,
                    body: f.text()?,
                }),
                'D' => state.done.push(Done {
                    id: f.text()?,
                    at: f.number()?,
                    dropped: match u16::try_from(f.number()?).ok()? {
                        0 => None,
                        code => Some(DropReason::from_code(code)?),
                    },
                }),
                _ => return None,
            }
            Some(())
        })?;
        Some(state)
    }

    fn merge(&mut self, other: Self) {
        // Both lists stay oldest first by inserting in place: no sort, whose generic code
        // would cost kilobytes of wasm per element type.
        for item in other.items {
            match self.items.iter_mut().find(|i| i.id == item.id) {
                // The copy that has seen more attempts is the newer one.
                Some(mine) if item.attempts > mine.attempts => *mine = item,
                Some(_) => {}
                None => {
                    let at = self.items.partition_point(|i| i.created <= item.created);
                    self.items.insert(at, item);
                }
            }
        }
        for done in other.done {
            if !self.done.iter().any(|d| d.id == done.id) {
                let at = self.done.partition_point(|d| d.at <= done.at);
                self.done.insert(at, done);
            }
        }
    }
}

/// Why an item left the outbox without being delivered. The widget reports each with a
/// `survey-widget:error` event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// The outbox was full (items or bytes) and this was the oldest item.
    Evicted,
    /// It was still undelivered 7 days after it was submitted.
    Expired,
    /// The endpoint refused it with this final status (a 4xx other than 408, 409, 425, 429).
    Rejected(u16),
    /// Every allowed attempt failed.
    GaveUp,
}

impl DropReason {
    /// How it is stored: 1 evicted, 2 expired, 3 gave up, or the refusing status (0 is
    /// "delivered").
    fn code(self) -> u16 {
        match self {
            DropReason::Evicted => 1,
            DropReason::Expired => 2,
            DropReason::GaveUp => 3,
            DropReason::Rejected(status) => status,
        }
    }

    fn from_code(code: u16) -> Option<DropReason> {
        match code {
            1 => Some(DropReason::Evicted),
            2 => Some(DropReason::Expired),
            3 => Some(DropReason::GaveUp),
            400..=499 => Some(DropReason::Rejected(code)),
            _ => None,
        }
    }

    /// An English description for the `error` event and the console.
    pub fn message(self) -> String {
        match self {
            DropReason::Evicted => "a pending response was dropped: the outbox was full".to_owned(),
            DropReason::Expired => {
                "a pending response was dropped: undelivered after 7 days".to_owned()
            }
            DropReason::Rejected(status) => {
                let mut message =
                    "a response was dropped: the endpoint refused it with HTTP ".to_owned();
                store::decimal(&mut message, status.into());
                message
            }
            DropReason::GaveUp => {
                "a response was dropped: every delivery attempt failed".to_owned()
            }
        }
    }
}

/// An item that left the outbox undelivered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dropped {
    /// Its `response_id`.
    pub response_id: String,
    /// Why.
    pub reason: DropReason,
}

/// A request to make: POST `body` to `endpoint` with `Idempotency-Key: response_id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Send {
    /// The response's id, for the `Idempotency-Key` header and for [`Outbox::settle`].
    pub response_id: String,
    /// The URL to POST to.
    pub endpoint: String,
    /// The JSON body.
    pub body: String,
}

/// Why [`Outbox::push`] did not take a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PushError {
    /// The body is over [`MAX_BODY_BYTES`]; the endpoint would refuse it anyway.
    TooLarge,
    /// This `response_id` was already delivered (`true`) or dropped (`false`).
    AlreadySettled(bool),
}

/// What became of an item after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The endpoint has it. Show the thank-you and emit `submitted`.
    Delivered,
    /// Kept; the next attempt is due in this many ms (call [`Outbox::take_due`] then).
    Retry {
        /// Milliseconds until the next attempt.
        in_ms: u64,
    },
    /// Kept, but this page will not try it again: it reached the limit of attempts without an
    /// answer in one page life. The next page with the widget tries again.
    Paused,
    /// Dropped undelivered. Emit `survey-widget:error`.
    Dropped(DropReason),
    /// The outbox holds no such item and never did (in this page's memory or in storage).
    Unknown,
}

/// What [`Outbox::take_due`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Due {
    /// Send these now, then [`Outbox::settle`] each.
    pub sends: Vec<Send>,
    /// These were dropped (expired or out of attempts): emit an `error` for each.
    pub dropped: Vec<Dropped>,
    /// The next item waiting for its time is due in this many ms: call again then. `None`
    /// when nothing is waiting (or everything waiting is paused until the next page life).
    pub wake_in_ms: Option<u64>,
}

/// An item as [`Outbox::pending`] lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    /// Its `response_id`.
    pub response_id: String,
    /// Attempts started so far.
    pub attempts: u32,
    /// When it was pushed, ms since the epoch.
    pub created_ms: u64,
    /// Not sent before this time, ms since the epoch.
    pub next_ms: u64,
    /// The size of its body in bytes.
    pub body_bytes: usize,
}

/// The outbox, and what this page life knows about it: which items it is sending now, and how
/// many attempts without an answer each has had here.
#[derive(Debug, Default)]
pub struct Outbox {
    policy: RetryPolicy,
    /// Copies of the items being sent, to put back if storage lost them meanwhile.
    in_flight: Vec<Item>,
    /// Attempts without an answer in this page life, per id.
    network_failures: Vec<(String, u32)>,
    /// Items dropped by a call that could not report them (`take`, `settle`), reported by the
    /// next `push` or `take_due`.
    unreported: Vec<Dropped>,
}

impl Outbox {
    /// An outbox that retries on `policy`.
    pub fn new(policy: RetryPolicy) -> Outbox {
        Outbox {
            policy,
            in_flight: Vec::new(),
            network_failures: Vec::new(),
            unreported: Vec::new(),
        }
    }

    /// Stores a submitted response before its first send. Pushing an id that is already
    /// pending changes nothing. Returns the items that had to make room (evicted) or had
    /// expired: emit an `error` for each.
    pub fn push(
        &mut self,
        env: &Env,
        response_id: &str,
        endpoint: &str,
        body: &str,
    ) -> Result<Vec<Dropped>, PushError> {
        if body.len() > MAX_BODY_BYTES {
            return Err(PushError::TooLarge);
        }
        let now = env.now();
        let mut state = self.load(env, now);
        if let Some(done) = state.done.iter().find(|d| d.id == response_id) {
            return Err(PushError::AlreadySettled(done.dropped.is_none()));
        }
        if !state.items.iter().any(|i| i.id == response_id) {
            state.items.push(Item {
                id: response_id.to_owned(),
                endpoint: endpoint.to_owned(),
                body: body.to_owned(),
                created: now,
                attempts: 0,
                next: now,
            });
        }
        self.save(env, &mut state, now);
        Ok(self.report())
    }

    /// Starts an attempt on one item now, whatever its schedule: for the send right after
    /// submit. `None` if the item is not pending, is being sent already, or is out of
    /// attempts.
    pub fn take(&mut self, env: &Env, response_id: &str) -> Option<Send> {
        let now = env.now();
        let mut state = self.load(env, now);
        let max = self.policy.max_attempts;
        let in_flight = self.is_in_flight(response_id);
        let hold = self.policy.in_flight_ms();
        let item = state
            .items
            .iter_mut()
            .find(|i| i.id == response_id && i.attempts < max && !in_flight)?;
        item.attempts += 1;
        item.next = now.saturating_add(hold);
        let copy = item.clone();
        self.save(env, &mut state, now);
        Some(self.start(copy))
    }

    /// Starts an attempt on every item that is due, and drops what expired or is out of
    /// attempts. Call it when the host is idle after load, when a [`Due::wake_in_ms`] or
    /// [`Outcome::Retry`] timer fires, and on `online`, while holding the [`super::Lease`].
    pub fn take_due(&mut self, env: &Env) -> Due {
        let now = env.now();
        let mut state = self.load(env, now);
        let mut due = Due::default();
        let policy = self.policy;
        let mut changed = false;
        let mut kept = Vec::with_capacity(state.items.len());
        for mut item in std::mem::take(&mut state.items) {
            if self.is_in_flight(&item.id) {
                kept.push(item);
            } else if item.attempts >= policy.max_attempts {
                // Its last attempt was started by a page that never learnt the answer.
                changed = true;
                settle_done(&mut state, &item.id, now, Some(DropReason::GaveUp));
                self.unreported.push(Dropped {
                    response_id: item.id,
                    reason: DropReason::GaveUp,
                });
            } else if self.network_failures_of(&item.id) >= policy.max_network_attempts {
                kept.push(item);
            } else if item.next <= now {
                changed = true;
                item.attempts += 1;
                item.next = now.saturating_add(policy.in_flight_ms());
                due.sends.push(self.start(item.clone()));
                kept.push(item);
            } else {
                let wait = item.next - now;
                due.wake_in_ms = Some(due.wake_in_ms.map_or(wait, |w| w.min(wait)));
                kept.push(item);
            }
        }
        state.items = kept;
        if changed {
            self.save(env, &mut state, now);
        }
        due.dropped = self.report();
        due
    }

    /// Records the answer to an attempt: `status` is the HTTP status, or
    /// [`super::NO_ANSWER`] when `fetch` rejected (offline, CORS, blocked, timeout);
    /// `retry_after` is the `Retry-After` header, if any.
    pub fn settle(
        &mut self,
        env: &Env,
        response_id: &str,
        status: u16,
        retry_after: Option<&str>,
    ) -> Outcome {
        let now = env.now();
        let copy = self
            .in_flight
            .iter()
            .position(|i| i.id == response_id)
            .map(|p| self.in_flight.swap_remove(p));
        let mut state = self.load(env, now);
        let class = classify(status);
        let index = state.items.iter().position(|i| i.id == response_id);
        let outcome = match (class, index) {
            (Class::Delivered, _) => {
                settle_done(&mut state, response_id, now, None);
                Outcome::Delivered
            }
            (Class::Final, _) => {
                let reason = DropReason::Rejected(status);
                settle_done(&mut state, response_id, now, Some(reason));
                Outcome::Dropped(reason)
            }
            (Class::Retry, None) => {
                match (state.done.iter().find(|d| d.id == response_id), copy) {
                    // Another tab settled it meanwhile.
                    (Some(done), _) => done.dropped.map_or(Outcome::Delivered, Outcome::Dropped),
                    // Storage lost it (cleared, or another tab's stale write): put it back.
                    (None, Some(item)) => {
                        let at = state.items.partition_point(|i| i.created <= item.created);
                        state.items.insert(at, item);
                        self.schedule(&mut state, response_id, status, retry_after, now, env)
                    }
                    (None, None) => return Outcome::Unknown,
                }
            }
            (Class::Retry, Some(_)) => {
                self.schedule(&mut state, response_id, status, retry_after, now, env)
            }
        };
        self.save(env, &mut state, now);
        // This call's answer is about this item; whatever else expired or was evicted
        // meanwhile is reported by the next `push` or `take_due`.
        outcome
    }

    /// The requests to make with `fetch(…, {keepalive: true})` on `pagehide`: every pending
    /// item with attempts left, oldest first, while the bodies fit the browser's keepalive
    /// budget. Each counts as an attempt and is in flight (call [`Outbox::settle`] with its
    /// answer: a page restored from the back/forward cache gets it), except for items already
    /// being sent (the page is about to abort their requests). Items stay in the outbox: if
    /// this page never learns the answer, the next page with the widget sends them again (a
    /// replay answers 200, a 409 counts as delivered).
    pub fn on_pagehide(&mut self, env: &Env) -> Vec<Send> {
        let now = env.now();
        let mut state = self.load(env, now);
        let mut budget = KEEPALIVE_BUDGET_BYTES;
        let mut sends = Vec::new();
        for item in &mut state.items {
            let in_flight = self.is_in_flight(&item.id);
            if (!in_flight && item.attempts >= self.policy.max_attempts) || item.body.len() > budget
            {
                continue;
            }
            budget -= item.body.len();
            if in_flight {
                sends.push(send_of(item));
            } else {
                item.attempts += 1;
                item.next = now.saturating_add(self.policy.in_flight_ms());
                sends.push(self.start(item.clone()));
            }
        }
        self.save(env, &mut state, now);
        sends
    }

    /// Whether this page has requests in flight.
    pub fn busy(&self) -> bool {
        !self.in_flight.is_empty()
    }

    /// Forgets this page life's attempts without an answer, so that paused items are tried
    /// again. Call it on `online`, and on `pageshow` with `persisted` (a back/forward cache
    /// restore, whose requests were aborted when the page was hidden), together with
    /// [`Outbox::forget_in_flight`].
    pub fn resume(&mut self) {
        self.network_failures.clear();
    }

    /// Forgets which requests this page has in flight: on a back/forward cache restore they
    /// were aborted and will never settle.
    pub fn forget_in_flight(&mut self) {
        self.in_flight.clear();
    }

    /// The pending items, oldest first (for the console and tests).
    pub fn pending(&mut self, env: &Env) -> Vec<Pending> {
        let state = self.load(env, env.now());
        state
            .items
            .iter()
            .map(|i| Pending {
                response_id: i.id.clone(),
                attempts: i.attempts,
                created_ms: i.created,
                next_ms: i.next,
                body_bytes: i.body.len(),
            })
            .collect()
    }

    /// The drops not reported yet.
    fn report(&mut self) -> Vec<Dropped> {
        std::mem::take(&mut self.unreported)
    }

    fn start(&mut self, item: Item) -> Send {
        let send = send_of(&item);
        self.in_flight.push(item);
        send
    }

    fn is_in_flight(&self, id: &str) -> bool {
        self.in_flight.iter().any(|i| i.id == id)
    }

    fn network_failures_of(&self, id: &str) -> u32 {
        self.network_failures
            .iter()
            .find(|(i, _)| i == id)
            .map_or(0, |(_, n)| *n)
    }

    /// Sets the next attempt of a pending item after a retryable answer, or drops it when it
    /// is out of attempts.
    fn schedule(
        &mut self,
        state: &mut OutboxState,
        id: &str,
        status: u16,
        retry_after: Option<&str>,
        now: u64,
        env: &Env,
    ) -> Outcome {
        let policy = self.policy;
        let Some(item) = state.items.iter_mut().find(|i| i.id == id) else {
            return Outcome::Unknown;
        };
        if item.attempts >= policy.max_attempts {
            settle_done(state, id, now, Some(DropReason::GaveUp));
            return Outcome::Dropped(DropReason::GaveUp);
        }
        let retry_after_ms = retry_after.and_then(|v| parse_retry_after(v, now));
        let in_ms = policy.delay_ms(item.attempts, retry_after_ms, env.random.next_f64());
        item.next = now.saturating_add(in_ms);
        if status == super::NO_ANSWER {
            let failures = match self.network_failures.iter_mut().find(|(i, _)| i == id) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    self.network_failures.push((id.to_owned(), 1));
                    1
                }
            };
            if failures >= policy.max_network_attempts {
                return Outcome::Paused;
            }
        }
        Outcome::Retry { in_ms }
    }
}

fn send_of(item: &Item) -> Send {
    Send {
        response_id: item.id.clone(),
        endpoint: item.endpoint.clone(),
        body: item.body.clone(),
    }
}

/// Removes `id` from the items and remembers it as delivered (`None`) or dropped.
fn settle_done(state: &mut OutboxState, id: &str, now: u64, dropped: Option<DropReason>) {
    state.items.retain(|i| i.id != id);
    if !state.done.iter().any(|d| d.id == id) {
        state.done.push(Done {
            id: id.to_owned(),
            at: now,
            dropped,
        });
    }
}

impl Outbox {
    /// Reads the outbox and tidies it: times from a clock that has since gone back are pulled
    /// to now, expired items and memories are dropped, settled ids are removed from the items.
    /// A tidied state is written back at once, so that a pulled time stays pulled.
    fn load(&mut self, env: &Env, now: u64) -> OutboxState {
        let mut state: OutboxState = store::load(&env.store, OUTBOX_KEY);
        let before = (state.items.len(), state.done.len());
        let mut tidied = false;
        state.done.retain(|d| now.saturating_sub(d.at) < MAX_AGE_MS);
        for done in &mut state.done {
            tidied |= done.at > now;
            done.at = done.at.min(now);
        }
        let done = &state.done;
        state.items.retain(|i| !done.iter().any(|d| d.id == i.id));
        let mut expired = Vec::new();
        for item in &mut state.items {
            // A wait set by a clock that was ahead is never longer than the longest real wait.
            let latest = now.saturating_add(LONGEST_WAIT_MS);
            tidied |= item.created > now || item.next > latest;
            item.created = item.created.min(now);
            item.next = item.next.min(latest);
            if now - item.created >= MAX_AGE_MS {
                expired.push(item.id.clone());
            }
        }
        for id in expired {
            settle_done(&mut state, &id, now, Some(DropReason::Expired));
            self.unreported.push(Dropped {
                response_id: id,
                reason: DropReason::Expired,
            });
        }
        if tidied || before != (state.items.len(), state.done.len()) {
            self.save(env, &mut state, now);
        }
        state
    }

    /// Bounds the outbox (evicting the oldest items, to be reported) and writes it.
    fn save(&mut self, env: &Env, state: &mut OutboxState, now: u64) {
        if state.done.len() > MAX_DONE {
            let extra = state.done.len() - MAX_DONE;
            state.done.drain(..extra);
        }
        loop {
            let too_many = state.items.len() > MAX_ITEMS;
            if !too_many && store::to_text(state).len() <= MAX_BYTES {
                break;
            }
            let Some(oldest) = state.items.first().map(|i| i.id.clone()) else {
                break;
            };
            settle_done(state, &oldest, now, Some(DropReason::Evicted));
            if state.done.len() > MAX_DONE {
                state.done.remove(0);
            }
            self.unreported.push(Dropped {
                response_id: oldest,
                reason: DropReason::Evicted,
            });
        }
        let value =
            (!state.items.is_empty() || !state.done.is_empty()).then(|| store::to_text(state));
        env.store.write(OUTBOX_KEY, value);
    }
}

#[cfg(test)]
mod tests;
