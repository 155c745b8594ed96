//! Whether a survey is shown for a transaction: the display rules of its definition
//! ([`model::DisplayRules`]) applied to what this browser remembers.
//!
//! The memory lives under one key, [`RULES_KEY`], in the same storage as the outbox and with
//! the same memory fallback: per survey, when it was last answered and last dismissed; per
//! transaction (the most recent [`MAX_TRANSACTIONS`]), whether it was shown and the sampling
//! decision.

use model::{DisplayRules, Transaction};

use super::store::{self, Fields, State};
use super::{DAY_MS, Env};

/// The storage key of the display rules' memory. Public contract (see [`super::KEY_PREFIX`]).
pub const RULES_KEY: &str = crate::contract::STORAGE_RULES;
/// How many transactions are remembered; the oldest are forgotten first.
pub const MAX_TRANSACTIONS: usize = 100;
/// How many surveys' last answer and dismissal are remembered.
pub const MAX_SURVEYS: usize = 20;
/// The most bytes the stored text may take (UTF-8); over it, the oldest transactions are
/// forgotten.
pub const MAX_BYTES: usize = 64 * 1024;

/// The rule that kept a survey from showing. Its [`Rule::id`] is the `rule` of the
/// `survey-widget:skipped` event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// This transaction was already shown the survey (always on).
    OncePerTransaction,
    /// The transaction was not drawn in the sample.
    SampledOut,
    /// The survey was answered less than `recontact_days` ago.
    RecontactWait,
    /// The survey was dismissed less than `cooldown_days` ago.
    Cooldown,
    /// The transaction's type is not one of the survey's `transaction_types`.
    TransactionType,
}

impl Rule {
    /// The stable id in the `skipped` event. Public contract: changing one is a breaking
    /// change; record it in CHANGELOG.md.
    pub const fn id(self) -> &'static str {
        match self {
            Rule::OncePerTransaction => "once_per_transaction",
            Rule::SampledOut => "sampled_out",
            Rule::RecontactWait => "recontact_wait",
            Rule::Cooldown => "cooldown",
            Rule::TransactionType => "transaction_type",
        }
    }
}

/// What to do with an open call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Show the survey after this many milliseconds (then call [`record_shown`]).
    Show {
        /// The definition's `delay_ms`, or 0 when forced.
        delay_ms: u32,
    },
    /// Do not show it: emit `survey-widget:skipped` with `rule.id()` and log one
    /// `console.debug`.
    Skip(Rule),
}

/// Stored as a line `T`, at, sampling (0 undecided, 1 in, 2 out), shown (0 or 1), survey id,
/// transaction id.
#[derive(Clone, Debug, PartialEq, Eq)]
struct TxMemory {
    /// Survey id.
    s: String,
    /// Transaction id.
    id: String,
    /// Last touched, ms since the epoch (the oldest are forgotten first).
    at: u64,
    /// The sampling decision, once made.
    sampled: Option<bool>,
    /// The survey was shown for this transaction.
    shown: bool,
}

/// Stored as a line `S`, last answer, last dismissal (each empty for never), survey id.
#[derive(Clone, Debug, PartialEq, Eq)]
struct SurveyMemory {
    /// Survey id.
    s: String,
    /// Last answer, ms since the epoch.
    answered: Option<u64>,
    /// Last dismissal, ms since the epoch.
    dismissed: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct RulesState {
    tx: Vec<TxMemory>,
    surveys: Vec<SurveyMemory>,
}

fn later(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    a.max(b)
}

impl State for RulesState {
    fn encode(&self, out: &mut String) {
        for t in &self.tx {
            store::line(out, 'T');
            store::number(out, t.at);
            store::number(out, t.sampled.map_or(0, |s| if s { 1 } else { 2 }));
            store::number(out, t.shown.into());
            store::text(out, &t.s);
            store::text(out, &t.id);
        }
        for s in &self.surveys {
            store::line(out, 'S');
            store::maybe_number(out, s.answered);
            store::maybe_number(out, s.dismissed);
            store::text(out, &s.s);
        }
    }

    fn decode(text: &str) -> Option<Self> {
        let mut state = RulesState::default();
        store::decode_lines(text, |kind, f: &mut Fields<'_>| {
            match kind {
                'T' => state.tx.push(TxMemory {
                    at: f.number()?,
                    sampled: match f.number()? {
                        0 => None,
                        1 => Some(true),
                        2 => Some(false),
                        _ => return None,
                    },
                    shown: match f.number()? {
                        0 => false,
                        1 => true,
                        _ => return None,
                    },
                    s: f.text()?,
                    id: f.text()?,
                }),
                'S' => state.surveys.push(SurveyMemory {
                    answered: f.maybe_number()?,
                    dismissed: f.maybe_number()?,
                    s: f.text()?,
                }),
                _ => return None,
            }
            Some(())
        })?;
        Some(state)
    }

    fn merge(&mut self, other: Self) {
        for t in other.tx {
            match self.tx.iter_mut().find(|m| m.s == t.s && m.id == t.id) {
                Some(mine) => {
                    mine.shown |= t.shown;
                    mine.sampled = mine.sampled.or(t.sampled);
                }
                None => {
                    let at = self.tx.partition_point(|m| m.at <= t.at);
                    self.tx.insert(at, t);
                }
            }
        }
        for s in other.surveys {
            match self.surveys.iter_mut().find(|m| m.s == s.s) {
                Some(mine) => {
                    mine.answered = later(mine.answered, s.answered);
                    mine.dismissed = later(mine.dismissed, s.dismissed);
                }
                None => self.surveys.push(s),
            }
        }
    }
}

/// Decides whether survey `survey_id` is shown for `transaction` under `rules`. `force`
/// (`open({…, force: true})`, for testing) shows it at once whatever the rules and the memory
/// say, and records nothing. The sampling decision is made here the first time a transaction
/// reaches it, and remembered.
pub fn decide(
    env: &Env,
    survey_id: &str,
    rules: &DisplayRules,
    transaction: &Transaction,
    force: bool,
) -> Decision {
    if force {
        return Decision::Show { delay_ms: 0 };
    }
    if !rules.allows_type(&transaction.kind) {
        return Decision::Skip(Rule::TransactionType);
    }
    let now = env.now();
    let mut state = load(env, now);
    let tx = state
        .tx
        .iter()
        .find(|t| t.s == survey_id && t.id == transaction.id);
    if tx.is_some_and(|t| t.shown) {
        return Decision::Skip(Rule::OncePerTransaction);
    }
    let survey = state.surveys.iter().find(|s| s.s == survey_id);
    let waiting =
        |at: Option<u64>, days: u32| at.is_some_and(|at| now - at < u64::from(days) * DAY_MS);
    if waiting(survey.and_then(|s| s.answered), rules.recontact_days) {
        return Decision::Skip(Rule::RecontactWait);
    }
    if waiting(survey.and_then(|s| s.dismissed), rules.cooldown_days) {
        return Decision::Skip(Rule::Cooldown);
    }
    let sampled = match tx.and_then(|t| t.sampled) {
        Some(decided) => decided,
        None => {
            let decided = env.random.next_f64() * 100.0 < rules.sample_rate;
            let memory = touch(&mut state, survey_id, &transaction.id, now);
            memory.sampled = Some(decided);
            save(env, &mut state);
            decided
        }
    };
    if sampled {
        Decision::Show {
            delay_ms: rules.delay_ms,
        }
    } else {
        Decision::Skip(Rule::SampledOut)
    }
}

/// Records that the survey is on screen for this transaction: it is not shown for it again.
pub fn record_shown(env: &Env, survey_id: &str, transaction_id: &str) {
    let now = env.now();
    let mut state = load(env, now);
    touch(&mut state, survey_id, transaction_id, now).shown = true;
    save(env, &mut state);
}

/// Records an answer (the response is in the outbox): starts the recontact wait.
pub fn record_answered(env: &Env, survey_id: &str) {
    let now = env.now();
    let mut state = load(env, now);
    survey_memory(&mut state, survey_id).answered = Some(now);
    save(env, &mut state);
}

/// Records a dismissal (closed without submitting): starts the cooldown.
pub fn record_dismissed(env: &Env, survey_id: &str) {
    let now = env.now();
    let mut state = load(env, now);
    survey_memory(&mut state, survey_id).dismissed = Some(now);
    save(env, &mut state);
}

/// The memory of one transaction, created (as the newest) if missing.
fn touch<'a>(state: &'a mut RulesState, survey_id: &str, id: &str, now: u64) -> &'a mut TxMemory {
    // The transaction touched last moves to the end: the list stays oldest first, and the
    // first ones are forgotten first.
    let mut memory = match state.tx.iter().position(|t| t.s == survey_id && t.id == id) {
        Some(index) => state.tx.remove(index),
        None => TxMemory {
            s: survey_id.to_owned(),
            id: id.to_owned(),
            at: now,
            sampled: None,
            shown: false,
        },
    };
    memory.at = now;
    state.tx.push(memory);
    let last = state.tx.len() - 1;
    &mut state.tx[last]
}

fn survey_memory<'a>(state: &'a mut RulesState, survey_id: &str) -> &'a mut SurveyMemory {
    // The survey touched last moves to the end: the first ones are forgotten first.
    let memory = match state.surveys.iter().position(|s| s.s == survey_id) {
        Some(index) => state.surveys.remove(index),
        None => SurveyMemory {
            s: survey_id.to_owned(),
            answered: None,
            dismissed: None,
        },
    };
    state.surveys.push(memory);
    let last = state.surveys.len() - 1;
    &mut state.surveys[last]
}

/// Reads the memory. Times from a clock that has since gone back are pulled to now and
/// written back at once, so that a wait never outlasts its length from today.
fn load(env: &Env, now: u64) -> RulesState {
    let mut state: RulesState = store::load(&env.store, RULES_KEY);
    let mut pulled = false;
    let mut pull = |at: &mut u64| {
        pulled |= *at > now;
        *at = (*at).min(now);
    };
    for t in &mut state.tx {
        pull(&mut t.at);
    }
    for s in &mut state.surveys {
        s.answered.as_mut().map(&mut pull);
        s.dismissed.as_mut().map(&mut pull);
    }
    if pulled {
        save(env, &mut state);
    }
    state
}

/// Bounds the memory (the oldest transactions and surveys go first) and writes it.
fn save(env: &Env, state: &mut RulesState) {
    if state.tx.len() > MAX_TRANSACTIONS {
        let extra = state.tx.len() - MAX_TRANSACTIONS;
        state.tx.drain(..extra);
    }
    if state.surveys.len() > MAX_SURVEYS {
        let extra = state.surveys.len() - MAX_SURVEYS;
        state.surveys.drain(..extra);
    }
    let mut text = store::to_text(state);
    while text.len() > MAX_BYTES && !state.tx.is_empty() {
        state.tx.remove(0);
        text = store::to_text(state);
    }
    env.store.write(RULES_KEY, Some(text));
}

#[cfg(test)]
mod tests;
