//! Every display rule and its edges, against a map standing in for `localStorage`, a settable
//! clock and a fixed random sequence. "Reload" is a new `Env` over the same map.

use super::*;
use crate::delivery::testing::{CORRUPTED, Harness, T0};

const SURVEY: &str = "default";

fn tx(id: &str) -> Transaction {
    Transaction {
        id: id.to_owned(),
        kind: "bill_payment".to_owned(),
        unit: "east-district-hall".to_owned(),
    }
}

fn rules() -> DisplayRules {
    DisplayRules::default()
}

const SHOW: Decision = Decision::Show { delay_ms: 0 };

/// Opens, and when shown records it as the widget would.
fn open(h: &Harness, rules: &DisplayRules, id: &str) -> Decision {
    let decision = decide(&h.env, SURVEY, rules, &tx(id), false);
    if let Decision::Show { .. } = decision {
        record_shown(&h.env, SURVEY, id);
    }
    decision
}

fn stored(h: &Harness) -> RulesState {
    RulesState::decode(&h.kv.value(RULES_KEY).unwrap()).unwrap()
}

#[test]
fn rule_ids_are_the_documented_ones() {
    let all = [
        Rule::OncePerTransaction,
        Rule::SampledOut,
        Rule::RecontactWait,
        Rule::Cooldown,
        Rule::TransactionType,
    ];
    assert_eq!(
        all.map(Rule::id),
        [
            "once_per_transaction",
            "sampled_out",
            "recontact_wait",
            "cooldown",
            "transaction_type"
        ]
    );
}

#[test]
fn with_the_defaults_every_new_transaction_is_shown_at_once() {
    let h = Harness::new();
    for n in 0..5 {
        assert_eq!(open(&h, &rules(), &["T", &n.to_string()].concat()), SHOW);
    }
}

#[test]
fn a_transaction_is_never_shown_twice_even_after_a_reload() {
    let h = Harness::new();
    assert_eq!(open(&h, &rules(), "T1"), SHOW);
    assert_eq!(
        open(&h, &rules(), "T1"),
        Decision::Skip(Rule::OncePerTransaction)
    );
    let reloaded = h.other_tab();
    reloaded.clock.advance(365 * DAY_MS);
    assert_eq!(
        open(&reloaded, &rules(), "T1"),
        Decision::Skip(Rule::OncePerTransaction)
    );
    // Per survey: another survey may ask about the same transaction.
    assert_eq!(decide(&h.env, "other", &rules(), &tx("T1"), false), SHOW);
}

#[test]
fn deciding_alone_does_not_use_up_the_transaction() {
    // The dialog never appeared (the page was left during the delay): it may show next time.
    let h = Harness::new();
    assert_eq!(decide(&h.env, SURVEY, &rules(), &tx("T1"), false), SHOW);
    assert_eq!(decide(&h.env, SURVEY, &rules(), &tx("T1"), false), SHOW);
}

#[test]
fn the_recontact_wait_runs_from_the_answer_to_the_exact_day() {
    let h = Harness::new();
    let hats = DisplayRules {
        recontact_days: 90,
        ..rules()
    };
    assert_eq!(open(&h, &hats, "T1"), SHOW);
    record_answered(&h.env, SURVEY);
    h.clock.set(T0 + 90 * DAY_MS - 1);
    assert_eq!(open(&h, &hats, "T2"), Decision::Skip(Rule::RecontactWait));
    h.clock.set(T0 + 90 * DAY_MS);
    assert_eq!(open(&h, &hats, "T2"), SHOW);
}

#[test]
fn a_recontact_wait_of_zero_asks_about_every_transaction() {
    let h = Harness::new();
    assert_eq!(open(&h, &rules(), "T1"), SHOW);
    record_answered(&h.env, SURVEY);
    assert_eq!(open(&h, &rules(), "T2"), SHOW);
}

#[test]
fn the_cooldown_runs_seven_days_from_a_dismissal_by_default() {
    let h = Harness::new();
    assert_eq!(open(&h, &rules(), "T1"), SHOW);
    record_dismissed(&h.env, SURVEY);
    h.clock.set(T0 + 7 * DAY_MS - 1);
    assert_eq!(open(&h, &rules(), "T2"), Decision::Skip(Rule::Cooldown));
    h.clock.set(T0 + 7 * DAY_MS);
    assert_eq!(open(&h, &rules(), "T2"), SHOW);
}

#[test]
fn a_cooldown_of_zero_does_not_wait() {
    let h = Harness::new();
    let none = DisplayRules {
        cooldown_days: 0,
        ..rules()
    };
    open(&h, &none, "T1");
    record_dismissed(&h.env, SURVEY);
    assert_eq!(open(&h, &none, "T2"), SHOW);
}

#[test]
fn waits_are_per_survey() {
    let h = Harness::new();
    record_dismissed(&h.env, SURVEY);
    record_answered(&h.env, SURVEY);
    let hats = DisplayRules {
        recontact_days: 90,
        ..rules()
    };
    assert_eq!(
        decide(&h.env, SURVEY, &hats, &tx("T1"), false),
        Decision::Skip(Rule::RecontactWait)
    );
    assert_eq!(decide(&h.env, "other", &hats, &tx("T1"), false), SHOW);
}

#[test]
fn the_sampling_decision_is_made_once_per_transaction_and_kept() {
    let h = Harness::new();
    let half = DisplayRules {
        sample_rate: 50.0,
        ..rules()
    };
    // 0.6 × 100 = 60 ≥ 50: out.
    h.random.set(&[0.6]);
    assert_eq!(open(&h, &half, "T1"), Decision::Skip(Rule::SampledOut));
    // A new draw would be in, but the decision stands, also after a reload.
    h.random.set(&[0.0]);
    assert_eq!(open(&h, &half, "T1"), Decision::Skip(Rule::SampledOut));
    let reloaded = h.other_tab();
    assert_eq!(
        open(&reloaded, &half, "T1"),
        Decision::Skip(Rule::SampledOut)
    );
    // Another transaction draws anew: 0.49 is in.
    h.random.set(&[0.49]);
    assert_eq!(open(&h, &half, "T2"), SHOW);
    // A kept "in" decision stands too.
    let h = Harness::new();
    h.random.set(&[0.1]);
    assert_eq!(decide(&h.env, SURVEY, &half, &tx("T3"), false), SHOW);
    h.random.set(&[0.9]);
    assert_eq!(decide(&h.env, SURVEY, &half, &tx("T3"), false), SHOW);
}

#[test]
fn sample_rate_edges() {
    let h = Harness::new();
    let rate = |r: f64| DisplayRules {
        sample_rate: r,
        ..rules()
    };
    h.random.set(&[0.999_999_9]);
    assert_eq!(decide(&h.env, SURVEY, &rate(100.0), &tx("A"), false), SHOW);
    h.random.set(&[0.0]);
    assert_eq!(
        decide(&h.env, SURVEY, &rate(0.0), &tx("B"), false),
        Decision::Skip(Rule::SampledOut)
    );
    h.random.set(&[0.004_9]);
    assert_eq!(decide(&h.env, SURVEY, &rate(0.5), &tx("C"), false), SHOW);
    h.random.set(&[0.005]);
    assert_eq!(
        decide(&h.env, SURVEY, &rate(0.5), &tx("D"), false),
        Decision::Skip(Rule::SampledOut)
    );
    h.random.set(&[f64::NAN]);
    assert_eq!(
        decide(&h.env, SURVEY, &rate(50.0), &tx("E"), false),
        Decision::Skip(Rule::SampledOut)
    );
}

#[test]
fn only_the_allowed_transaction_types_are_asked() {
    let h = Harness::new();
    let payments = DisplayRules {
        transaction_types: Some(vec!["bill_payment".to_owned()]),
        ..rules()
    };
    let reading = Transaction {
        kind: "meter_reading".to_owned(),
        ..tx("T1")
    };
    assert_eq!(
        decide(&h.env, SURVEY, &payments, &reading, false),
        Decision::Skip(Rule::TransactionType)
    );
    assert_eq!(decide(&h.env, SURVEY, &payments, &tx("T2"), false), SHOW);
    // Nothing was remembered for the skipped one.
    assert!(stored(&h).tx.iter().all(|t| t.id != "T1"));
}

#[test]
fn the_delay_is_the_definition_s() {
    let h = Harness::new();
    let slow = DisplayRules {
        delay_ms: 1_500,
        ..rules()
    };
    assert_eq!(
        decide(&h.env, SURVEY, &slow, &tx("T1"), false),
        Decision::Show { delay_ms: 1_500 }
    );
}

#[test]
fn force_bypasses_every_rule_and_the_delay_and_remembers_nothing() {
    let h = Harness::new();
    let strict = DisplayRules {
        sample_rate: 0.0,
        recontact_days: 90,
        transaction_types: Some(vec!["other".to_owned()]),
        delay_ms: 5_000,
        ..rules()
    };
    record_shown(&h.env, SURVEY, "T1");
    record_answered(&h.env, SURVEY);
    record_dismissed(&h.env, SURVEY);
    let before = h.kv.value(RULES_KEY);
    assert_eq!(decide(&h.env, SURVEY, &strict, &tx("T1"), true), SHOW);
    assert_eq!(decide(&h.env, SURVEY, &strict, &tx("T9"), true), SHOW);
    assert_eq!(h.kv.value(RULES_KEY), before);
    // Without force, each of those would skip.
    assert_eq!(
        decide(&h.env, SURVEY, &strict, &tx("T1"), false),
        Decision::Skip(Rule::TransactionType)
    );
}

#[test]
fn the_first_rule_that_applies_is_reported_in_a_fixed_order() {
    let h = Harness::new();
    let strict = DisplayRules {
        sample_rate: 0.0,
        recontact_days: 90,
        ..rules()
    };
    record_shown(&h.env, SURVEY, "T1");
    record_answered(&h.env, SURVEY);
    record_dismissed(&h.env, SURVEY);
    assert_eq!(
        decide(&h.env, SURVEY, &strict, &tx("T1"), false),
        Decision::Skip(Rule::OncePerTransaction)
    );
    assert_eq!(
        decide(&h.env, SURVEY, &strict, &tx("T2"), false),
        Decision::Skip(Rule::RecontactWait)
    );
    let no_recontact = DisplayRules {
        recontact_days: 0,
        ..strict.clone()
    };
    assert_eq!(
        decide(&h.env, SURVEY, &no_recontact, &tx("T2"), false),
        Decision::Skip(Rule::Cooldown)
    );
    let no_cooldown = DisplayRules {
        cooldown_days: 0,
        ..no_recontact
    };
    assert_eq!(
        decide(&h.env, SURVEY, &no_cooldown, &tx("T2"), false),
        Decision::Skip(Rule::SampledOut)
    );
}

#[test]
fn the_most_recent_hundred_transactions_are_remembered() {
    let h = Harness::new();
    for n in 0..150 {
        h.clock.advance(1);
        assert_eq!(open(&h, &rules(), &["T", &n.to_string()].concat()), SHOW);
    }
    let state = stored(&h);
    assert_eq!(state.tx.len(), MAX_TRANSACTIONS);
    assert_eq!(state.tx[0].id, "T50");
    assert_eq!(
        open(&h, &rules(), "T149"),
        Decision::Skip(Rule::OncePerTransaction)
    );
    assert_eq!(
        open(&h, &rules(), "T50"),
        Decision::Skip(Rule::OncePerTransaction)
    );
    // The forgotten ones: the documented limit of the bound (the collector still refuses a
    // second response per transaction with 409).
    assert_eq!(open(&h, &rules(), "T0"), SHOW);
}

#[test]
fn long_ids_stay_within_64_kb() {
    let h = Harness::new();
    for n in 0..100 {
        h.clock.advance(1);
        // 4-byte characters at the longest transaction id: 100 of them pass 64 KB.
        let id = ["𝕏".repeat(125), n.to_string()].concat();
        let survey = ["s", &"x".repeat(300), &(n % 30).to_string()].concat();
        decide(&h.env, &survey, &rules(), &tx(&id), false);
        record_shown(&h.env, &survey, &id);
        record_dismissed(&h.env, &survey);
        let len = h.kv.value(RULES_KEY).unwrap().len();
        assert!(len <= MAX_BYTES, "{len}");
    }
    let state = stored(&h);
    assert_eq!(state.surveys.len(), MAX_SURVEYS);
    assert!(state.tx.len() < MAX_TRANSACTIONS);
    // The newest is kept.
    assert!(state.tx.last().unwrap().id.ends_with("99"));
}

#[test]
fn storage_throwing_on_get_set_and_remove_keeps_the_rules_in_memory() {
    let h = Harness::new();
    h.kv.fail_all();
    assert_eq!(open(&h, &rules(), "T1"), SHOW);
    assert_eq!(
        open(&h, &rules(), "T1"),
        Decision::Skip(Rule::OncePerTransaction)
    );
    record_dismissed(&h.env, SURVEY);
    assert_eq!(open(&h, &rules(), "T2"), Decision::Skip(Rule::Cooldown));
    assert_eq!(h.kv.keys(), Vec::<String>::new());
}

#[test]
fn a_failed_write_is_merged_with_what_another_tab_stored() {
    let a = Harness::new();
    let b = a.other_tab();
    a.kv.fail_set.set(true);
    assert_eq!(open(&a, &rules(), "T1"), SHOW);
    // Tab B stores its own transaction meanwhile.
    assert_eq!(open(&b, &rules(), "T2"), SHOW);
    // Tab A sees both: its own from memory, B's from storage.
    assert_eq!(
        open(&a, &rules(), "T1"),
        Decision::Skip(Rule::OncePerTransaction)
    );
    assert_eq!(
        open(&a, &rules(), "T2"),
        Decision::Skip(Rule::OncePerTransaction)
    );
    // Storage works again: A's next write saves both.
    a.kv.fail_set.set(false);
    record_dismissed(&a.env, SURVEY);
    let mut ids: Vec<String> = stored(&a).tx.iter().map(|t| t.id.clone()).collect();
    ids.sort();
    assert_eq!(ids, ["T1", "T2"]);
}

#[test]
fn corrupted_stored_values_start_fresh() {
    for junk in CORRUPTED {
        let h = Harness::new();
        h.kv.put(RULES_KEY, junk);
        assert_eq!(open(&h, &rules(), "T1"), SHOW, "{junk:?}");
        assert_eq!(stored(&h).tx.len(), 1);
    }
}

#[test]
fn times_from_a_clock_that_went_back_are_pulled_to_now() {
    let h = Harness::new();
    record_dismissed(&h.env, SURVEY);
    // The clock is set back a year: the cooldown lasts 7 days from today, not a year.
    h.clock.set(T0 - 365 * DAY_MS);
    assert_eq!(open(&h, &rules(), "T1"), Decision::Skip(Rule::Cooldown));
    h.clock.advance(7 * DAY_MS);
    assert_eq!(open(&h, &rules(), "T1"), SHOW);
}

#[test]
fn the_stored_shape_is_documented() {
    let h = Harness::new();
    open(&h, &rules(), "T1");
    record_answered(&h.env, SURVEY);
    let half = DisplayRules {
        sample_rate: 50.0,
        ..rules()
    };
    h.random.set(&[0.9]);
    decide(&h.env, "s\t2", &half, &tx("T\n2"), false);
    assert_eq!(
        h.kv.value(RULES_KEY).unwrap(),
        [
            "T\t1795737600000\t1\t1\tdefault\tT1\n",
            "T\t1795737600000\t2\t0\ts\\t2\tT\\n2\n",
            "S\t1795737600000\t\tdefault",
        ]
        .concat()
    );
    assert_eq!(
        RulesState::decode(&h.kv.value(RULES_KEY).unwrap()),
        Some(stored(&h))
    );
}
