//! `model`: survey definitions, the response payload and their validation.
//!
//! This crate is the one source of truth for these rules. The widget (compiled to wasm32),
//! the collector and, later, the console all call it; none of them re-implements a rule.
//!
//! - [`locale`]: the supported languages and how a language tag maps onto them.
//! - [`survey`]: the built-in default survey (the 5-level 好差评 scale with reason tags).
//! - [`display`]: the display rules of a survey (sampling, recontact wait, cooldown, …).
//! - [`answers`]: what a customer has filled in, and the rules on it ("can submit?").
//! - [`response`]: the payload v1 the widget POSTs, and its full validation.
//!
//! Run the tests with `cargo test -p model --all-features`.

#![forbid(unsafe_code)]

pub mod answers;
pub mod display;
pub mod locale;
pub mod response;
pub mod survey;

pub use answers::{Answers, Draft, Problem};
pub use display::DisplayRules;
pub use locale::Locale;
pub use response::{FieldError, ResponseV1, SurveyRef, Transaction};
pub use survey::{DEFAULT_SURVEY, Reason, Survey, Text};
