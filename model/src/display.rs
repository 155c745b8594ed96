//! Display rules: when a survey may be shown, as part of a survey definition.
//!
//! The widget's rules engine (`src/display_rules.rs` in the widget crate) applies these; the
//! console edits them; this module holds their shape, defaults and validation.
//!
//! Public contract: the field names, units and defaults are part of the survey-definition JSON
//! and its schema. Changing one is a breaking change; record it in CHANGELOG.md.
//!
//! "Once per transaction" is not a setting: a transaction id is never asked twice, whatever the
//! definition says (一事一评).

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::definition::Problem;
use crate::digits::decimal;
use crate::response::MAX_TRANSACTION_FIELD_CHARS;

/// Default [`DisplayRules::sample_rate`]: every transaction.
pub const DEFAULT_SAMPLE_RATE: f64 = 100.0;
/// Default [`DisplayRules::recontact_days`]: a customer may be asked about every transaction.
pub const DEFAULT_RECONTACT_DAYS: u32 = 0;
/// Default [`DisplayRules::cooldown_days`] after a dismissal.
pub const DEFAULT_COOLDOWN_DAYS: u32 = 7;
/// Default [`DisplayRules::delay_ms`]: show at once.
pub const DEFAULT_DELAY_MS: u32 = 0;

/// The longest recontact wait or cooldown, in days. The widget keeps the rules' state this
/// long at most.
pub const MAX_WAIT_DAYS: u32 = 365;
/// The longest delay after the open call, in milliseconds.
pub const MAX_DELAY_MS: u32 = 60_000;
/// The most entries in [`DisplayRules::transaction_types`].
pub const MAX_TRANSACTION_TYPES: usize = 100;

/// When a survey may be shown. Every field is optional in JSON; an empty object means the
/// defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct DisplayRules {
    /// The percentage of transactions offered the survey, 0 to 100; fractions such as 0.5 are
    /// allowed. The widget decides once per transaction and remembers the decision. Defaults
    /// to 100.
    #[cfg_attr(feature = "schema", schemars(range(min = 0.0, max = 100.0)))]
    pub sample_rate: f64,
    /// Days after an answer before the same browser is asked again, about any transaction,
    /// 0 to 365. 0 means every transaction may be asked. Set 90 for HaTS-style sampling.
    /// Defaults to 0.
    #[cfg_attr(feature = "schema", schemars(range(max = 365)))]
    pub recontact_days: u32,
    /// Days after a dismissal before the same browser is asked again, 0 to 365. Defaults to 7.
    #[cfg_attr(feature = "schema", schemars(range(max = 365)))]
    pub cooldown_days: u32,
    /// The transaction types (`transaction.type`) this survey is offered for. Absent or
    /// `null` means every type; a list must not be empty. Defaults to every type.
    #[cfg_attr(
        feature = "schema",
        schemars(
            length(min = 1, max = 100),
            inner(length(min = 1, max = 128)),
            extend("uniqueItems" = true)
        )
    )]
    pub transaction_types: Option<Vec<String>>,
    /// Milliseconds between the host's open call and the dialog appearing, 0 to 60000.
    /// Defaults to 0.
    #[cfg_attr(feature = "schema", schemars(range(max = 60000)))]
    pub delay_ms: u32,
}

impl Default for DisplayRules {
    fn default() -> Self {
        DisplayRules {
            sample_rate: DEFAULT_SAMPLE_RATE,
            recontact_days: DEFAULT_RECONTACT_DAYS,
            cooldown_days: DEFAULT_COOLDOWN_DAYS,
            transaction_types: None,
            delay_ms: DEFAULT_DELAY_MS,
        }
    }
}

impl DisplayRules {
    /// Whether the survey is offered for a transaction of type `kind`.
    pub fn allows_type(&self, kind: &str) -> bool {
        self.transaction_types
            .as_ref()
            .is_none_or(|types| types.iter().any(|t| t == kind))
    }

    /// Every problem with these rules. Empty means valid. `at` is the JSON path of the rules
    /// object inside the definition (such as `display`); each problem's field is below it.
    pub fn problems(&self, at: &str) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let field = |name: &str| {
            if at.is_empty() {
                name.to_owned()
            } else {
                [at, ".", name].concat()
            }
        };
        // `!(0..=100).contains` also rejects NaN, which JSON cannot carry but Rust callers can.
        if !(0.0..=100.0).contains(&self.sample_rate) {
            errors.push(FieldError::of(&field("sample_rate"), Problem::SampleRate));
        }
        for (name, days) in [
            ("recontact_days", self.recontact_days),
            ("cooldown_days", self.cooldown_days),
        ] {
            if days > MAX_WAIT_DAYS {
                errors.push(FieldError::of(
                    &field(name),
                    Problem::DaysRange { max: MAX_WAIT_DAYS },
                ));
            }
        }
        if self.delay_ms > MAX_DELAY_MS {
            errors.push(FieldError::of(
                &field("delay_ms"),
                Problem::DelayRange { max: MAX_DELAY_MS },
            ));
        }
        if let Some(types) = &self.transaction_types {
            let list = field("transaction_types");
            if types.is_empty() {
                errors.push(FieldError::of(&list, Problem::NoTransactionTypes));
            } else if types.len() > MAX_TRANSACTION_TYPES {
                errors.push(FieldError::of(
                    &list,
                    Problem::TooManyTransactionTypes {
                        max: MAX_TRANSACTION_TYPES,
                    },
                ));
            }
            for (i, kind) in types.iter().enumerate() {
                let problem = if kind.trim().is_empty() {
                    Problem::Empty
                } else if crate::answers::char_count(kind) > MAX_TRANSACTION_FIELD_CHARS {
                    Problem::TooLong {
                        max: MAX_TRANSACTION_FIELD_CHARS,
                    }
                } else if types[..i].contains(kind) {
                    Problem::Duplicate {
                        value: kind.clone(),
                    }
                } else {
                    continue;
                };
                let at = [
                    &list,
                    "[",
                    &decimal(i64::try_from(i).unwrap_or(i64::MAX)),
                    "]",
                ]
                .concat();
                errors.push(FieldError::of(&at, problem));
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(rules: &DisplayRules) -> Vec<String> {
        rules
            .problems("display")
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn an_empty_object_means_the_documented_defaults() {
        let rules: DisplayRules = serde_json::from_str("{}").unwrap();
        assert_eq!(rules, DisplayRules::default());
        assert_eq!(rules.sample_rate, 100.0);
        assert_eq!(rules.recontact_days, 0);
        assert_eq!(rules.cooldown_days, 7);
        assert_eq!(rules.transaction_types, None);
        assert_eq!(rules.delay_ms, 0);
        assert!(rules.problems("display").is_empty());
        assert!(rules.allows_type("bill_payment"));
    }

    #[test]
    fn round_trips_with_the_documented_field_names() {
        let json = r#"{"sample_rate":0.5,"recontact_days":90,"cooldown_days":14,"transaction_types":["bill_payment"],"delay_ms":1500}"#;
        let rules: DisplayRules = serde_json::from_str(json).unwrap();
        assert_eq!(rules.sample_rate, 0.5);
        assert_eq!(rules.recontact_days, 90);
        assert_eq!(rules.cooldown_days, 14);
        assert_eq!(rules.delay_ms, 1500);
        assert!(rules.allows_type("bill_payment") && !rules.allows_type("meter_reading"));
        assert_eq!(serde_json::to_string(&rules).unwrap(), json);
    }

    #[test]
    fn unknown_fields_and_wrong_types_are_refused() {
        assert!(serde_json::from_str::<DisplayRules>(r#"{"once_per_transaction":false}"#).is_err());
        assert!(serde_json::from_str::<DisplayRules>(r#"{"cooldown_days":-1}"#).is_err());
        assert!(serde_json::from_str::<DisplayRules>(r#"{"delay_ms":"5"}"#).is_err());
    }

    #[test]
    fn boundaries_are_valid_and_one_past_them_is_not() {
        let edge = DisplayRules {
            sample_rate: 0.0,
            recontact_days: MAX_WAIT_DAYS,
            cooldown_days: MAX_WAIT_DAYS,
            transaction_types: Some(vec!["x".repeat(MAX_TRANSACTION_FIELD_CHARS)]),
            delay_ms: MAX_DELAY_MS,
        };
        assert_eq!(fields(&edge), Vec::<String>::new());
        let full = DisplayRules {
            sample_rate: 100.0,
            ..edge.clone()
        };
        assert!(full.problems("display").is_empty());

        let past = DisplayRules {
            sample_rate: 100.01,
            recontact_days: MAX_WAIT_DAYS + 1,
            cooldown_days: MAX_WAIT_DAYS + 1,
            transaction_types: Some(vec!["x".repeat(MAX_TRANSACTION_FIELD_CHARS + 1)]),
            delay_ms: MAX_DELAY_MS + 1,
        };
        assert_eq!(
            fields(&past),
            [
                "display.sample_rate",
                "display.recontact_days",
                "display.cooldown_days",
                "display.delay_ms",
                "display.transaction_types[0]",
            ]
        );
        let negative = DisplayRules {
            sample_rate: -0.1,
            ..DisplayRules::default()
        };
        assert_eq!(fields(&negative), ["display.sample_rate"]);
        let nan = DisplayRules {
            sample_rate: f64::NAN,
            ..DisplayRules::default()
        };
        assert_eq!(fields(&nan), ["display.sample_rate"]);
    }

    #[test]
    fn transaction_type_problems_name_the_entry() {
        let rules = DisplayRules {
            transaction_types: Some(vec![
                "bill_payment".to_owned(),
                " ".to_owned(),
                "bill_payment".to_owned(),
            ]),
            ..DisplayRules::default()
        };
        let problems = rules.problems("display");
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].field, "display.transaction_types[1]");
        assert_eq!(problems[0].message, "is empty");
        assert_eq!(problems[1].field, "display.transaction_types[2]");
        assert_eq!(problems[1].message, "'bill_payment' appears twice");

        let empty = DisplayRules {
            transaction_types: Some(Vec::new()),
            ..DisplayRules::default()
        };
        assert_eq!(fields(&empty), ["display.transaction_types"]);
        assert!(!empty.allows_type("bill_payment"));

        let many = DisplayRules {
            transaction_types: Some((0..=MAX_TRANSACTION_TYPES).map(|i| i.to_string()).collect()),
            ..DisplayRules::default()
        };
        assert_eq!(fields(&many), ["display.transaction_types"]);
    }

    #[test]
    fn problems_at_the_root_have_no_leading_dot() {
        let rules = DisplayRules {
            delay_ms: MAX_DELAY_MS + 1,
            ..DisplayRules::default()
        };
        assert_eq!(rules.problems("")[0].field, "delay_ms");
    }
}
