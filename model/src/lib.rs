//! `model`: survey definitions, the response payload and their validation.
//!
//! This crate is the one source of truth for these rules. The widget (compiled to wasm32),
//! the collector and, later, the console all call it; none of them re-implements a rule.
//!
//! - [`locale`]: the supported languages and how a language tag maps onto them.
//! - [`map`]: the small sorted map that answers and localized texts are kept in (a `BTreeMap`
//!   costs the wasm more).
//! - [`definition`]: survey definition v1 (JSON): questions, conditions, display settings,
//!   its one reader, its validation (each rule a [`definition::Problem`] with its message in
//!   zh-CN and en) and the rules on answers to it; the built-in survey
//!   (`surveys/default.json`: the 5-level 好差评 scale with reason tags).
//! - [`display`]: the display rules of a survey (sampling, recontact wait, cooldown, …).
//! - [`answers`]: what a customer has filled in (the rules on it are in [`definition`]).
//! - [`response`]: the payload v1 the widget POSTs, and its full validation.
//!
//! Run the tests with `cargo test -p model --all-features`.

#![forbid(unsafe_code)]

pub mod answers;
pub mod definition;
pub mod digits;
pub mod display;
pub mod locale;
pub mod map;
pub mod response;

pub use answers::{Answer, Answers};
pub use definition::{Definition, Question, QuestionType};
pub use display::DisplayRules;
pub use locale::Locale;
pub use response::{FieldError, ResponseV1, SignedTransaction, SurveyRef, Transaction};
