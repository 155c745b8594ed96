//! Unit and property tests of survey definitions: every question type, condition and
//! validation error, the built-in survey, and the answer rules.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::Locale::{En, ZhCn};
use crate::answers::{Answer, Answers};

fn t(zh: &str, en: &str) -> LocalizedText {
    LocalizedText::of(&[(ZhCn, zh), (En, en)])
}

/// A small valid survey: a rating, reasons shown and required for ≤ 2, a comment.
fn base() -> Value {
    json!({
        "schema": 1, "id": "hall", "version": 3, "default_locale": "zh-CN",
        "locales": ["zh-CN", "en"],
        "title": {"zh-CN": "评价", "en": "Rate"},
        "questions": [
            {"id": "rating", "type": "rating", "text": {"zh-CN": "满意吗", "en": "Satisfied?"},
             "required": true},
            {"id": "reasons", "type": "choice", "text": {"zh-CN": "原因", "en": "Why?"},
             "mode": "multiple",
             "options": [{"id": "slow", "label": {"zh-CN": "慢", "en": "Slow"}},
                         {"id": "rude", "label": {"zh-CN": "态度差", "en": "Rude"}}],
             "other": {"label": {"zh-CN": "其他", "en": "Other"}},
             "show_if": {"question": "rating", "op": "lte", "value": 2},
             "required_if": {"question": "rating", "op": "lte", "value": 2}},
            {"id": "comment", "type": "text", "text": {"zh-CN": "意见", "en": "Comment"}}
        ],
        "thanks": {"zh-CN": "谢谢", "en": "Thanks"}
    })
}

fn parse(value: Value) -> Definition {
    serde_json::from_value(value).expect("shape")
}

/// The errors of `value` as `field: message` lines.
fn errors(value: Value) -> Vec<String> {
    lines(&parse(value).check().errors)
}

fn warnings(value: Value) -> Vec<String> {
    lines(&parse(value).check().warnings)
}

fn lines(errors: &[FieldError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| format!("{} {}", e.field, e.message))
        .collect()
}

/// `base()` with `patch` applied at the JSON pointer `at`.
fn with(at: &str, patch: Value) -> Value {
    let mut value = base();
    let (parent, key) = at.rsplit_once('/').expect("pointer");
    match value.pointer_mut(parent).expect("parent") {
        Value::Object(map) => {
            map.insert(key.to_owned(), patch);
        }
        Value::Array(items) => items[key.parse::<usize>().expect("index")] = patch,
        _ => panic!("{parent} is not a container"),
    }
    value
}

fn without(at: &str, key: &str) -> Value {
    let mut value = base();
    value
        .pointer_mut(at)
        .and_then(Value::as_object_mut)
        .expect("object")
        .remove(key);
    value
}

fn answers(value: Value) -> Answers {
    serde_json::from_value(value).expect("answers")
}

fn kinds(def: &Definition, value: Value) -> Vec<(String, AnswerProblemKind)> {
    def.answer_problems(&answers(value))
        .into_iter()
        .map(|p| (p.field, p.kind))
        .collect()
}

use AnswerProblemKind as K;

#[test]
fn the_base_survey_is_valid_and_round_trips() {
    let def = parse(base());
    assert_eq!(def.check(), Report::default());
    let json = def.to_json();
    assert_eq!(Definition::from_json(&json).unwrap(), def);
}

#[test]
fn publishing_as_another_survey_is_an_error_on_id_first() {
    let def = default_definition();
    assert_eq!(def.check_publish_as("default"), def.check());
    let report = def.check_publish_as("hall-2027");
    assert_eq!(
        lines(&report.errors),
        [
            "id must be 'hall-2027', the id of the survey it is published as: a survey's id \
             never changes, and another id is another survey"
        ]
    );
    assert_eq!(
        report.errors[0].message_in(ZhCn),
        "应为“hall-2027”，即所发布问卷的 id：问卷的 id 不能更改，换一个 id 就是另一个问卷"
    );
    // Before the rules of the definition itself.
    let mut bad = default_definition().clone();
    bad.title = t("", "Rate this service");
    let fields: Vec<String> = bad
        .check_publish_as("other")
        .errors
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["id", "title.zh-CN"]);
}

#[test]
fn the_built_in_survey_is_valid_and_is_the_hao_cha_ping_survey() {
    let def = default_definition();
    assert_eq!(def.check(), Report::default(), "{}", DEFAULT_SURVEY_JSON);
    assert_eq!((def.id.as_str(), def.version), ("default", 1));
    assert_eq!(def.default_locale, ZhCn);
    assert_eq!(def.locales, [ZhCn, En]);
    assert_eq!(def.title, t("服务评价", "Rate this service"));
    let ids: Vec<&str> = def.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["satisfaction", "reasons", "comment"]);
    let rating = &def.questions[0];
    assert_eq!(rating.kind, QuestionType::Rating);
    assert!(rating.required);
    assert_eq!(rating.scale(), Some((1, 5)));
    let labels = rating.point_labels().unwrap();
    let expected: Vec<LocalizedText> = SATISFACTION_LABELS
        .iter()
        .map(|(zh, en)| t(zh, en))
        .collect();
    assert_eq!(labels, expected);
    let reasons = &def.questions[1];
    assert_eq!(reasons.choice_mode(), ChoiceMode::Multiple);
    let options: Vec<&str> = reasons
        .options
        .as_ref()
        .unwrap()
        .iter()
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(
        options,
        [
            "long_wait",
            "too_many_steps",
            "unclear_information",
            "system_failure",
            "poor_attitude",
            "problem_not_solved",
            "other"
        ]
    );
    let bad = ConditionValue::Number(2);
    for c in [&reasons.show_if, &reasons.required_if] {
        let c = c.as_ref().unwrap();
        assert_eq!(
            (c.question.as_str(), c.op, &c.value),
            ("satisfaction", Comparison::Lte, &bad)
        );
    }
    assert_eq!(reasons.satisfied_by, ["comment"]);
    let comment = &def.questions[2];
    assert_eq!(comment.text_max_chars(), 500);
    assert!(comment.is_multiline());
    assert_eq!(def.display, Display::default());
}

#[test]
fn the_built_in_survey_applies_todays_answer_rules() {
    let def = default_definition();
    let ok = |v: Value| assert_eq!(kinds(def, v.clone()), vec![], "{v}");
    ok(json!({"satisfaction": 5}));
    ok(json!({"satisfaction": 4, "reasons": [], "comment": ""}));
    ok(json!({"satisfaction": 2, "reasons": ["long_wait"]}));
    ok(json!({"satisfaction": 1, "comment": "太慢"}));
    let fields = |v: Value| kinds(def, v);
    assert_eq!(
        fields(json!({})),
        [("answers.satisfaction".to_owned(), K::Required)]
    );
    assert_eq!(
        fields(json!({"satisfaction": 2, "comment": "  "})),
        [("answers.reasons".to_owned(), K::Required)]
    );
    assert_eq!(
        fields(json!({"satisfaction": 3, "reasons": ["long_wait"]})),
        [("answers.reasons".to_owned(), K::NotAsked)]
    );
    assert_eq!(
        fields(json!({"satisfaction": 6})),
        [("answers.satisfaction".to_owned(), K::OutOfRange)]
    );
    assert_eq!(
        fields(json!({"satisfaction": 1, "reasons": ["nope", "other", "other"]})),
        [
            ("answers.reasons".to_owned(), K::UnknownOption),
            ("answers.reasons".to_owned(), K::DuplicateOption)
        ]
    );
    assert_eq!(
        fields(json!({"satisfaction": 5, "comment": "好".repeat(501)})),
        [("answers.comment".to_owned(), K::TooLong)]
    );
    assert_eq!(
        fields(json!({"satisfaction": 5, "mood": "happy"})),
        [("answers.mood".to_owned(), K::UnknownQuestion)]
    );
}

#[test]
fn missing_translation_is_a_warning_and_falls_back() {
    let value = without("/questions/2/text", "en");
    assert_eq!(errors(value.clone()), Vec::<String>::new());
    assert_eq!(
        warnings(value.clone()),
        ["questions[2].text.en is missing: customers reading en see the zh-CN text"]
    );
    let def = parse(value);
    assert_eq!(def.text(&def.questions[2].text, En), "意见");
    assert_eq!(def.locale_for(En), En);
    let zh_only = parse(with("/locales", json!(["zh-CN"])).clone());
    assert_eq!(zh_only.locale_for(En), ZhCn);
}

#[test]
fn text_errors_name_the_locale() {
    assert_eq!(
        errors(with("/questions/2/text/en", json!(" "))),
        ["questions[2].text.en is empty"]
    );
    assert_eq!(
        errors(without("/title", "zh-CN")),
        ["title.zh-CN is missing: every text needs the default locale zh-CN"]
    );
    assert_eq!(
        errors(with("/thanks/en", json!("x".repeat(301)))),
        ["thanks.en is longer than 300 characters"]
    );
    let mut value = with("/locales", json!(["zh-CN"]));
    value["thanks"] = json!({"zh-CN": "谢谢"});
    value["title"] = json!({"zh-CN": "评价"});
    let lines = errors(value);
    assert!(lines.contains(&"questions[0].text.en 'en' is not one of the survey's locales: remove this text or add 'en' to locales".to_owned()), "{lines:?}");
    // A locale this build does not know is a shape error.
    assert!(serde_json::from_value::<Definition>(with("/title/fr", json!("x"))).is_err());
}

#[test]
fn root_errors() {
    let mut value = base();
    value["schema"] = json!(2);
    value["id"] = json!("Hall A");
    value["version"] = json!(0);
    value["locales"] = json!(["en", "en"]);
    assert_eq!(
        errors(value),
        [
            "schema must be 1: this build reads survey definition schema 1",
            "id must be 1 to 64 lowercase letters, digits, '-' or '_'",
            "version must be 1 or more",
            "locales[1] 'en' appears twice",
            "default_locale 'zh-CN' must be one of locales",
            "title.zh-CN 'zh-CN' is not one of the survey's locales: remove this text or add 'zh-CN' to locales",
            "questions[0].text.zh-CN 'zh-CN' is not one of the survey's locales: remove this text or add 'zh-CN' to locales",
            "questions[1].text.zh-CN 'zh-CN' is not one of the survey's locales: remove this text or add 'zh-CN' to locales",
            "questions[1].options[0].label.zh-CN 'zh-CN' is not one of the survey's locales: remove this text or add 'zh-CN' to locales",
            "questions[1].options[1].label.zh-CN 'zh-CN' is not one of the survey's locales: remove this text or add 'zh-CN' to locales",
            "questions[1].other.label.zh-CN 'zh-CN' is not one of the survey's locales: remove this text or add 'zh-CN' to locales",
            "questions[2].text.zh-CN 'zh-CN' is not one of the survey's locales: remove this text or add 'zh-CN' to locales",
            "thanks.zh-CN 'zh-CN' is not one of the survey's locales: remove this text or add 'zh-CN' to locales",
        ]
    );
    assert_eq!(
        errors(with("/locales", json!([]))),
        ["locales must list at least one locale"]
    );
    assert_eq!(
        errors(with("/questions", json!([]))),
        ["questions must have at least one question"]
    );
    let many: Vec<Value> = (0..=MAX_QUESTIONS)
        .map(|i| json!({"id": format!("q{i}"), "type": "nps", "text": {"zh-CN": "推荐吗", "en": "Recommend?"}}))
        .collect();
    assert_eq!(
        errors(with("/questions", json!(many))),
        ["questions must have at most 20 questions"]
    );
}

#[test]
fn question_ids_are_checked_and_unique() {
    assert_eq!(
        errors(with("/questions/2/id", json!("1st"))),
        [
            "questions[2].id must be 1 to 64 lowercase letters, digits or '_', starting with a letter"
        ]
    );
    assert_eq!(
        errors(with("/questions/2/id", json!("rating"))),
        ["questions[2].id 'rating' is already the id of questions[0]"]
    );
}

#[test]
fn settings_of_another_type_are_refused() {
    assert_eq!(
        errors(with("/questions/0/options", json!([]))),
        ["questions[0].options is not a setting of a rating question (only of choice): remove it"]
    );
    assert_eq!(
        errors(with("/questions/2/points", json!(5))),
        ["questions[2].points is not a setting of a text question (only of rating): remove it"]
    );
    assert_eq!(
        errors(with("/questions/1/labels", json!([]))),
        [
            "questions[1].labels is not a setting of a choice question (only of rating and expectation): remove it"
        ]
    );
}

#[test]
fn rating_questions() {
    for points in [3, 10] {
        assert_eq!(
            errors(with("/questions/0/points", json!(points))),
            Vec::<String>::new()
        );
    }
    for points in [2, 11] {
        assert_eq!(
            errors(with("/questions/0/points", json!(points))),
            ["questions[0].points must be from 3 to 10"]
        );
    }
    let def = parse(base());
    let rating = &def.questions[0];
    assert_eq!(rating.scale(), Some((1, 5)));
    assert_eq!(rating.rating_style(), RatingStyle::Stars);
    assert_eq!(
        rating.point_labels().unwrap()[0],
        t("非常不满意", "Very dissatisfied"),
        "the 好差评 default"
    );
    let mut seven = with("/questions/0/points", json!(7));
    seven["questions"][0]["style"] = json!("faces");
    assert_eq!(
        errors(seven.clone()),
        ["questions[0].style faces can show 3 to 5 points, not 7: use stars or numbers"]
    );
    seven["questions"][0]["style"] = json!("numbers");
    assert_eq!(
        parse(seven.clone()).questions[0].point_labels(),
        None,
        "no default labels off 5 points"
    );
    seven["questions"][0]["style"] = json!("labels");
    assert_eq!(
        errors(seven),
        [
            "questions[0].style 'labels' shows each point's label as its button: add labels, one per point"
        ]
    );
    let label = json!({"zh-CN": "差", "en": "Bad"});
    let mut labelled = with("/questions/0/labels", json!([label, label, label]));
    assert_eq!(
        errors(labelled.clone()),
        ["questions[0].labels has 3 labels but the rating has 5 points: give one label per point"]
    );
    labelled["questions"][0]["points"] = json!(3);
    labelled["questions"][0]["end_labels"] = json!({"low": label, "high": label});
    assert_eq!(
        errors(labelled),
        ["questions[0].end_labels give labels (one per point) or end_labels, not both"]
    );
    let ends = with(
        "/questions/0/end_labels",
        json!({"low": label, "high": {"zh-CN": ""}}),
    );
    assert_eq!(
        errors(ends.clone()),
        ["questions[0].end_labels.high.zh-CN is empty"]
    );
    assert_eq!(
        warnings(ends),
        ["questions[0].end_labels.high.en is missing: customers reading en see the zh-CN text"]
    );
}

#[test]
fn nps_questions() {
    let nps = with(
        "/questions/0",
        json!({"id": "rating", "type": "nps", "text": {"zh-CN": "推荐吗", "en": "Recommend?"}, "required": true}),
    );
    let mut value = nps.clone();
    value["questions"][1]["show_if"]["value"] = json!(6);
    value["questions"][1]["required_if"]["value"] = json!(6);
    let def = parse(value);
    assert_eq!(def.check(), Report::default());
    assert_eq!(def.questions[0].scale(), Some((0, 10)));
    assert_eq!(
        def.questions[0].scale_end_labels().unwrap().high,
        t("非常可能", "Extremely likely")
    );
    assert_eq!(
        kinds(&def, json!({"rating": 0, "reasons": ["slow"]})),
        vec![]
    );
    assert_eq!(
        kinds(&def, json!({"rating": 11})),
        [("answers.rating".to_owned(), K::OutOfRange)]
    );
    assert_eq!(
        kinds(&def, json!({"rating": "9"})),
        [("answers.rating".to_owned(), K::WrongType)]
    );
    let mut styled = nps;
    styled["questions"][0]["style"] = json!("stars");
    assert_eq!(
        errors(styled),
        ["questions[0].style is not a setting of a nps question (only of rating): remove it"]
    );
}

#[test]
fn expectation_questions() {
    let mut value = base();
    value["questions"].as_array_mut().unwrap().push(json!({
        "id": "expected", "type": "expectation",
        "text": {"zh-CN": "与您的预期相比，本次服务：", "en": "Compared with what you expected, this service was…"}
    }));
    let def = parse(value.clone());
    assert_eq!(def.check(), Report::default());
    let q = &def.questions[3];
    assert_eq!(q.scale(), Some((-2, 2)));
    let labels = q.point_labels().unwrap();
    assert_eq!(labels[0].get(En, ZhCn), "Much worse than expected");
    assert_eq!(labels[2].get(ZhCn, ZhCn), "符合预期");
    assert_eq!(kinds(&def, json!({"rating": 4, "expected": -2})), vec![]);
    assert_eq!(
        kinds(&def, json!({"rating": 4, "expected": 3})),
        [("answers.expected".to_owned(), K::OutOfRange)]
    );
    value["questions"][3]["labels"] = json!([{"zh-CN": "差"}]);
    assert_eq!(
        errors(value),
        [
            "questions[3].labels has 1 labels but an expectation question has 5 (much worse … much better)"
        ]
    );
}

#[test]
fn choice_questions() {
    let def = parse(base());
    let ok = |v: Value| assert_eq!(kinds(&def, v.clone()), vec![], "{v}");
    ok(json!({"rating": 1, "reasons": ["slow", "rude"]}));
    ok(json!({"rating": 1, "reasons": {"selected": ["slow"], "other": "停车难"}}));
    ok(json!({"rating": 1, "reasons": {"other": "停车难"}}));
    assert_eq!(
        kinds(
            &def,
            json!({"rating": 1, "reasons": {"selected": ["slow"], "other": " "}})
        ),
        [("answers.reasons.other".to_owned(), K::OtherEmpty)]
    );
    assert_eq!(
        kinds(
            &def,
            json!({"rating": 1, "reasons": {"other": "x".repeat(101)}})
        ),
        [("answers.reasons.other".to_owned(), K::OtherTooLong)]
    );
    assert_eq!(
        kinds(&def, json!({"rating": 1, "reasons": "slow"})),
        [("answers.reasons".to_owned(), K::WrongType)]
    );
    let mut single = with("/questions/1/mode", json!("single"));
    let one = parse(single.clone());
    assert_eq!(one.check(), Report::default());
    assert_eq!(
        kinds(&one, json!({"rating": 1, "reasons": ["slow", "rude"]})),
        [("answers.reasons".to_owned(), K::TooManySelected)]
    );
    assert_eq!(
        kinds(
            &one,
            json!({"rating": 1, "reasons": {"selected": ["slow"], "other": "x"}})
        ),
        [("answers.reasons".to_owned(), K::TooManySelected)]
    );
    single["questions"][1]["min"] = json!(1);
    assert_eq!(
        errors(single),
        ["questions[1].min only applies to mode multiple: a single choice selects one option"]
    );
    let mut bounded = with("/questions/1/min", json!(2));
    bounded["questions"][1]["max"] = json!(2);
    let two = parse(bounded.clone());
    assert_eq!(two.check(), Report::default());
    assert_eq!(
        kinds(&two, json!({"rating": 1, "reasons": ["slow"]})),
        [("answers.reasons".to_owned(), K::TooFewSelected)]
    );
    assert_eq!(
        kinds(
            &two,
            json!({"rating": 1, "reasons": {"selected": ["slow", "rude"], "other": "x"}})
        ),
        [("answers.reasons".to_owned(), K::TooManySelected)]
    );
    bounded["questions"][1]["min"] = json!(0);
    bounded["questions"][1]["max"] = json!(4);
    assert_eq!(
        errors(bounded.clone()),
        [
            "questions[1].min must be 1 or more (an optional question may be left unanswered anyway)",
            "questions[1].max is 4, more than the 3 options offered"
        ]
    );
    bounded["questions"][1]["min"] = json!(3);
    bounded["questions"][1]["max"] = json!(2);
    assert_eq!(
        errors(bounded),
        ["questions[1].min is 3, more than max (2)"]
    );
    let no_other = parse(without("/questions/1", "other"));
    assert_eq!(
        kinds(
            &no_other,
            json!({"rating": 1, "reasons": {"selected": ["slow"], "other": "x"}})
        ),
        [("answers.reasons".to_owned(), K::OtherNotOffered)]
    );
    assert_eq!(
        errors(without("/questions/1", "options")),
        ["questions[1].options is missing: a choice question needs options"]
    );
    let mut lonely = without("/questions/1", "other");
    lonely["questions"][1]["options"]
        .as_array_mut()
        .unwrap()
        .pop();
    assert_eq!(
        errors(lonely),
        ["questions[1].options must offer at least 2 options ('other' counts as one)"]
    );
    let mut twins = with("/questions/1/options/1/id", json!("slow"));
    assert_eq!(
        errors(twins.clone()),
        ["questions[1].options[1].id 'slow' is already the id of options[0]"]
    );
    twins["questions"][1]["options"][1]["id"] = json!("Slow!");
    assert_eq!(
        errors(twins),
        ["questions[1].options[1].id must be 1 to 64 lowercase letters, digits or '_'"]
    );
    assert_eq!(
        errors(with("/questions/1/other/max_length", json!(501))),
        ["questions[1].other.max_length must be from 1 to 500 characters"]
    );
}

#[test]
fn text_questions() {
    let def = parse(base());
    let comment = &def.questions[2];
    assert_eq!(
        (comment.text_max_chars(), comment.is_multiline()),
        (500, true)
    );
    assert_eq!(
        kinds(&def, json!({"rating": 5, "comment": 5})),
        [("answers.comment".to_owned(), K::WrongType)]
    );
    let mut short = with("/questions/2/max_length", json!(3));
    short["questions"][2]["multiline"] = json!(false);
    short["questions"][2]["placeholder"] = json!({"zh-CN": "请输入", "en": "Type here"});
    let def = parse(short);
    assert_eq!(def.check(), Report::default());
    assert!(!def.questions[2].is_multiline());
    assert_eq!(
        kinds(&def, json!({"rating": 5, "comment": "好好好"})),
        vec![]
    );
    assert_eq!(
        kinds(&def, json!({"rating": 5, "comment": "好好好好"})),
        [("answers.comment".to_owned(), K::TooLong)]
    );
    assert_eq!(
        errors(with("/questions/2/max_length", json!(2001))),
        ["questions[2].max_length must be from 1 to 2000 characters"]
    );
    let mut greedy = base();
    for i in 0..2 {
        greedy["questions"].as_array_mut().unwrap().push(json!({
            "id": format!("more{i}"), "type": "text", "max_length": 1500,
            "text": {"zh-CN": "还有吗", "en": "More?"}
        }));
    }
    assert_eq!(
        errors(greedy),
        [
            "questions the text answers may add up to at most 3000 characters, but their max_length values add up to 3600: lower some (the collector accepts 16 KiB per response)"
        ]
    );
}

#[test]
fn conditions_look_back_only() {
    // The example from issue 3.
    let mut forward = base();
    let questions = forward["questions"].as_array_mut().unwrap();
    questions.swap(0, 1);
    assert_eq!(
        errors(forward),
        [
            "questions[0].show_if.question question 'reasons' shows if 'rating' ≤ 2 but 'rating' comes after it: conditions may only use earlier questions",
            "questions[0].required_if.question question 'reasons' is required if 'rating' ≤ 2 but 'rating' comes after it: conditions may only use earlier questions"
        ]
    );
    assert_eq!(
        errors(with(
            "/questions/0/show_if",
            json!({"question": "rating", "op": "eq", "value": 1})
        )),
        ["questions[0].show_if.question question 'rating' cannot depend on its own answer"]
    );
    assert_eq!(
        errors(with("/questions/1/show_if/question", json!("ratting"))),
        ["questions[1].show_if.question names no question: there is no question 'ratting'"]
    );
    assert_eq!(
        errors(with(
            "/questions/2/show_if",
            json!({"question": "comment", "op": "eq", "value": "x"})
        )),
        ["questions[2].show_if.question question 'comment' cannot depend on its own answer"]
    );
}

#[test]
fn condition_values_fit_the_question() {
    let at = "/questions/1/show_if";
    let cond =
        |op: &str, value: Value| with(at, json!({"question": "rating", "op": op, "value": value}));
    for (op, value) in [
        ("eq", json!(1)),
        ("lte", json!(5)),
        ("gte", json!(1)),
        ("in", json!([1, 2])),
    ] {
        assert_eq!(
            errors(cond(op, value.clone())),
            Vec::<String>::new(),
            "{op} {value}"
        );
    }
    assert_eq!(
        errors(cond("lte", json!(6))),
        ["questions[1].show_if.value 6 is never answered: 'rating' runs from 1 to 5"]
    );
    assert_eq!(
        errors(cond("in", json!([1, 9]))),
        ["questions[1].show_if.value 9 is never answered: 'rating' runs from 1 to 5"]
    );
    assert_eq!(
        errors(cond("in", json!([]))),
        ["questions[1].show_if.value must list at least one value"]
    );
    assert_eq!(
        errors(cond("in", json!(1))),
        ["questions[1].show_if.value must be a list of whole numbers: 'rating' runs from 1 to 5"]
    );
    assert_eq!(
        errors(cond("eq", json!("1"))),
        ["questions[1].show_if.value must be a whole number: 'rating' runs from 1 to 5"]
    );

    let on_reasons = |op: &str, value: Value| {
        with(
            "/questions/2/show_if",
            json!({"question": "reasons", "op": op, "value": value}),
        )
    };
    assert_eq!(
        errors(on_reasons("eq", json!("slow"))),
        Vec::<String>::new()
    );
    assert_eq!(
        errors(on_reasons("in", json!(["slow", "rude"]))),
        Vec::<String>::new()
    );
    assert_eq!(
        errors(on_reasons("eq", json!("fast"))),
        ["questions[2].show_if.value 'fast' is not an option of 'reasons'"]
    );
    assert_eq!(
        errors(on_reasons("in", json!(["slow", "fast"]))),
        ["questions[2].show_if.value 'fast' is not an option of 'reasons'"]
    );
    assert_eq!(
        errors(on_reasons("in", json!([]))),
        ["questions[2].show_if.value must list at least one option id"]
    );
    assert_eq!(
        errors(on_reasons("eq", json!(1))),
        ["questions[2].show_if.value must be an option id of 'reasons'"]
    );
    assert_eq!(
        errors(on_reasons("in", json!("slow"))),
        ["questions[2].show_if.value must be a list of option ids of 'reasons'"]
    );
    assert_eq!(
        errors(on_reasons("lte", json!(1))),
        [
            "questions[2].show_if.op 'reasons' is a choice question: compare its options with eq or in"
        ]
    );

    let mut on_text = base();
    on_text["questions"].as_array_mut().unwrap().push(json!({
        "id": "more", "type": "text", "max_length": 10, "text": {"zh-CN": "还有吗", "en": "More?"},
        "show_if": {"question": "comment", "op": "eq", "value": "x"}
    }));
    assert_eq!(
        errors(on_text),
        [
            "questions[3].show_if.question 'comment' is a text question: conditions compare rating, nps, expectation or choice answers"
        ]
    );
    assert!(
        serde_json::from_value::<Definition>(cond("ne", json!(1))).is_err(),
        "unknown op"
    );
}

#[test]
fn conditions_decide_what_is_shown_and_required() {
    let mut value = base();
    value["questions"][2]["show_if"] =
        json!({"question": "reasons", "op": "in", "value": ["rude"]});
    value["questions"][2]["required_if"] =
        json!({"question": "reasons", "op": "eq", "value": "rude"});
    let def = parse(value);
    assert_eq!(def.check(), Report::default());
    let shown = |v: Value| def.shown(&answers(v));
    assert_eq!(shown(json!({})), [true, false, false]);
    assert_eq!(shown(json!({"rating": 3})), [true, false, false]);
    assert_eq!(shown(json!({"rating": 2})), [true, true, false]);
    assert_eq!(
        shown(json!({"rating": 2, "reasons": ["rude"]})),
        [true, true, true]
    );
    assert_eq!(
        shown(json!({"rating": 2, "reasons": {"selected": ["rude"], "other": "x"}})),
        [true, true, true]
    );
    // A hidden question's answer does not count, even if sent.
    assert_eq!(
        shown(json!({"rating": 4, "reasons": ["rude"]})),
        [true, false, false]
    );
    assert_eq!(
        kinds(&def, json!({"rating": 2, "reasons": ["rude"]})),
        [("answers.comment".to_owned(), K::Required)]
    );
    assert_eq!(
        kinds(
            &def,
            json!({"rating": 2, "reasons": ["slow"], "comment": "x"})
        ),
        [("answers.comment".to_owned(), K::NotAsked)]
    );
    assert_eq!(
        kinds(
            &def,
            json!({"rating": 2, "reasons": ["rude"], "comment": "x"})
        ),
        vec![]
    );
}

#[test]
fn required_and_satisfied_by() {
    let def = parse(base());
    assert_eq!(
        kinds(&def, json!({"rating": 2})),
        [("answers.reasons".to_owned(), K::Required)]
    );
    let with_comment = with("/questions/1/satisfied_by", json!(["comment"]));
    let def = parse(with_comment.clone());
    assert_eq!(def.check(), Report::default());
    assert_eq!(kinds(&def, json!({"rating": 2, "comment": "慢"})), vec![]);
    let problems = def.answer_problems(&answers(json!({"rating": 2})));
    assert_eq!(
        problems[0].message,
        "'reasons' needs an answer (an answer to 'comment' also counts)"
    );

    let mut both = with_comment.clone();
    both["questions"][1]["required"] = json!(true);
    assert_eq!(
        errors(both),
        ["questions[1].required_if has no effect because required is true: remove one of them"]
    );
    let mut pointless = without("/questions/1", "required_if");
    pointless["questions"][1]["satisfied_by"] = json!(["comment", "comment", "reasons", "nope"]);
    assert_eq!(
        errors(pointless),
        [
            "questions[1].satisfied_by only matters for a required question: set required or required_if, or remove it",
            "questions[1].satisfied_by[1] 'comment' appears twice",
            "questions[1].satisfied_by[2] 'reasons' is this question itself",
            "questions[1].satisfied_by[3] names no question: there is no question 'nope'",
        ]
    );
}

#[test]
fn display_settings() {
    let display = json!({
        "placement": {"inline": "survey-slot"}, "accent": "#1A73e8", "large_text": true,
        "rules": {"sample_rate": 12.5, "cooldown_days": 30}
    });
    let def = parse(with("/display", display.clone()));
    assert_eq!(def.check(), Report::default());
    assert_eq!(
        def.display.placement,
        Placement::Inline("survey-slot".to_owned())
    );
    assert!(def.display.large_text);
    assert_eq!(def.display.rules.cooldown_days, 30);
    assert_eq!(
        serde_json::to_value(&def.display).unwrap()["placement"],
        json!({"inline": "survey-slot"})
    );
    assert_eq!(
        parse(with("/display", json!({"placement": "bottom_sheet"})))
            .display
            .placement,
        Placement::BottomSheet
    );
    let bad =
        json!({"placement": {"inline": "a b"}, "accent": "blue", "rules": {"delay_ms": 60001}});
    assert_eq!(
        errors(with("/display", bad)),
        [
            "display.accent must be a hex colour: # and 3 or 6 hex digits, such as #1a73e8",
            "display.placement.inline must be the id of an element in the host page: 1 to 100 characters, no spaces",
            "display.rules.delay_ms must be from 0 to 60000 milliseconds",
        ]
    );
    assert!(
        serde_json::from_value::<Definition>(with("/display", json!({"position": "corner"})))
            .is_err()
    );
}

#[test]
fn unknown_fields_and_wrong_shapes_are_refused_with_a_position() {
    assert!(serde_json::from_value::<Definition>(with("/questions/0/show-if", json!({}))).is_err());
    let error = Definition::from_json(r#"{"schema": 1, "id": 5}"#).unwrap_err();
    assert_eq!(error.field, "id", "{error:?}");
    let error = Definition::from_json(r#"{"schema": 1,"#).unwrap_err();
    assert!(error.message.contains("line 1"), "{error:?}");
    let mut value = serde_json::to_value(default_definition()).unwrap();
    value["questions"][1]["options"][2]["label"]["fr"] = json!("x");
    let error = Definition::read(&&value).unwrap_err();
    assert_eq!(error.field, "questions[1].options[2].label.fr", "{error:?}");
    value["questions"][1]["options"][2]["label"] = json!({"en": 5});
    let error = Definition::read(&&value).unwrap_err();
    assert_eq!(error.field, "questions[1].options[2].label.en", "{error:?}");
}

// ---- property tests ----

fn arb_string() -> impl Strategy<Value = String> {
    "[a-z好满意 ]{0,8}[a-z好满意]"
}

fn arb_text(locales: Vec<Locale>) -> impl Strategy<Value = LocalizedText> {
    proptest::collection::vec(arb_string(), locales.len())
        .prop_map(move |strings| LocalizedText(locales.iter().copied().zip(strings).collect()))
}

/// A valid question `i`, possibly conditional on an earlier one of `earlier`.
fn arb_question(
    i: usize,
    locales: &[Locale],
    earlier: Vec<Question>,
) -> impl Strategy<Value = Question> + use<> {
    let text = arb_text(locales.to_vec());
    let label = arb_text(locales.to_vec());
    (
        0..5usize,
        text,
        label,
        3u32..=10,
        any::<bool>(),
        1u32..=300,
        any::<bool>(),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
    )
        .prop_map(
            move |(kind, text, label, points, flag, length, required, pick, value)| {
                let id = format!("q{i}");
                let mut q = match kind {
                    0 => {
                        let mut q = Question::new(&id, QuestionType::Rating, text);
                        q.points = Some(points);
                        q.style = Some(if points <= 5 && flag {
                            RatingStyle::Faces
                        } else {
                            RatingStyle::Numbers
                        });
                        if flag {
                            q.end_labels = Some(EndLabels {
                                low: label.clone(),
                                high: label,
                            });
                        } else if required {
                            q.style = Some(RatingStyle::Labels);
                            q.labels = Some(vec![label; points as usize]);
                        }
                        q
                    }
                    1 => Question::new(&id, QuestionType::Nps, text),
                    2 => {
                        let mut q = Question::new(&id, QuestionType::Choice, text);
                        q.mode = Some(if flag {
                            ChoiceMode::Multiple
                        } else {
                            ChoiceMode::Single
                        });
                        q.options = Some(
                            (0..(points as usize).min(6))
                                .map(|k| ChoiceOption {
                                    id: format!("o{k}"),
                                    label: label.clone(),
                                })
                                .collect(),
                        );
                        if flag {
                            q.other = Some(OtherOption {
                                label,
                                max_length: Some(length.min(200)),
                                placeholder: None,
                            });
                            q.max = Some(2);
                        }
                        q
                    }
                    3 => {
                        let mut q = Question::new(&id, QuestionType::Text, text);
                        q.max_length = Some(length);
                        q.multiline = Some(flag);
                        q.placeholder = flag.then_some(label);
                        q
                    }
                    _ => Question::new(&id, QuestionType::Expectation, text),
                };
                q.required = required;
                let targets: Vec<&Question> = earlier
                    .iter()
                    .filter(|p| p.kind != QuestionType::Text)
                    .collect();
                if !targets.is_empty() && flag {
                    let target = targets[pick.index(targets.len())];
                    let condition = match target.scale() {
                        Some((lo, hi)) => {
                            let n = lo
                                + i64::try_from(
                                    value.index(usize::try_from(hi - lo + 1).unwrap_or(1)),
                                )
                                .unwrap_or(0);
                            Condition {
                                question: target.id.clone(),
                                op: if required {
                                    Comparison::Gte
                                } else {
                                    Comparison::In
                                },
                                value: if required {
                                    ConditionValue::Number(n)
                                } else {
                                    ConditionValue::Numbers(vec![n, lo])
                                },
                            }
                        }
                        None => {
                            let options = target.options.clone().unwrap_or_default();
                            let option = options[value.index(options.len())].id.clone();
                            Condition {
                                question: target.id.clone(),
                                op: Comparison::Eq,
                                value: ConditionValue::Option(option),
                            }
                        }
                    };
                    q.show_if = Some(condition.clone());
                    if !required {
                        q.required_if = Some(condition);
                        // "A reason or a comment": any other question may stand in.
                        q.satisfied_by = vec![earlier[0].id.clone()];
                    }
                }
                q
            },
        )
}

fn arb_questions(locales: Vec<Locale>, n: usize) -> BoxedStrategy<Vec<Question>> {
    if n == 0 {
        return Just(Vec::new()).boxed();
    }
    arb_questions(locales.clone(), n - 1)
        .prop_flat_map(move |earlier| {
            let tail = earlier.clone();
            arb_question(n - 1, &locales, earlier).prop_map(move |q| {
                let mut all = tail.clone();
                all.push(q);
                all
            })
        })
        .boxed()
}

fn arb_definition() -> impl Strategy<Value = Definition> {
    let locales = prop_oneof![
        Just(vec![ZhCn]),
        Just(vec![En]),
        Just(vec![ZhCn, En]),
        Just(vec![En, ZhCn])
    ];
    (locales, 1usize..6).prop_flat_map(|(locales, n)| {
        let placement = prop_oneof![
            Just(Placement::Corner),
            Just(Placement::BottomSheet),
            "[a-z][a-z0-9-]{0,10}".prop_map(Placement::Inline)
        ];
        let display = (
            placement,
            proptest::option::of("#[0-9a-f]{6}"),
            any::<bool>(),
            0u32..=10_000,
            0u32..=365,
        )
            .prop_map(|(placement, accent, large_text, rate, days)| Display {
                placement,
                accent,
                large_text,
                rules: crate::DisplayRules {
                    sample_rate: f64::from(rate) / 100.0,
                    cooldown_days: days,
                    ..crate::DisplayRules::default()
                },
            });
        (
            "[a-z0-9][a-z0-9_-]{0,20}",
            1u32..1000,
            arb_text(locales.clone()),
            arb_text(locales.clone()),
            arb_questions(locales.clone(), n),
            display,
        )
            .prop_map(
                move |(id, version, title, thanks, questions, display)| Definition {
                    schema: SCHEMA_VERSION,
                    id,
                    version,
                    default_locale: locales[0],
                    locales: locales.clone(),
                    title,
                    questions,
                    thanks,
                    display,
                },
            )
    })
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        prop_oneof![
            Just("zh-CN".to_owned()),
            Just("en".to_owned()),
            Just("rating".to_owned()),
            Just("choice".to_owned()),
            Just("q0".to_owned()),
            ".{0,6}"
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("schema".to_owned()),
                    Just("id".to_owned()),
                    Just("type".to_owned()),
                    Just("question".to_owned()),
                    Just("op".to_owned()),
                    Just("value".to_owned()),
                    Just("text".to_owned()),
                    "[a-z_]{1,8}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Replaces the `pick`-th node (in document order) of `value` with `patch`.
fn replace_node(value: &mut Value, pick: &mut usize, patch: &Value) -> bool {
    if *pick == 0 {
        *value = patch.clone();
        return true;
    }
    *pick -= 1;
    match value {
        Value::Array(items) => items.iter_mut().any(|v| replace_node(v, pick, patch)),
        Value::Object(map) => map.values_mut().any(|v| replace_node(v, pick, patch)),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_valid_definition_round_trips_through_json_unchanged(def in arb_definition()) {
        let report = def.check();
        prop_assert!(report.is_valid(), "{:?}\n{}", report.errors, def.to_json());
        let json = def.to_json();
        prop_assert_eq!(&Definition::from_json(&json).unwrap(), &def);
        let compact = serde_json::to_string(&def).unwrap();
        prop_assert_eq!(serde_json::from_str::<Definition>(&compact).unwrap(), def);
    }

    #[test]
    fn validation_never_panics_on_arbitrary_json(value in arb_json(), answers in arb_json()) {
        if let Ok(def) = serde_json::from_value::<Definition>(value) {
            let _ = def.check();
            if let Ok(answers) = serde_json::from_value::<Answers>(answers) {
                let _ = def.answer_problems(&answers);
            }
        }
    }

    #[test]
    fn validation_never_panics_on_a_damaged_definition(
        def in arb_definition(),
        pick in 0usize..400,
        patch in arb_json(),
        answers in arb_json(),
    ) {
        let mut value = serde_json::to_value(&def).unwrap();
        let mut at = pick;
        replace_node(&mut value, &mut at, &patch);
        if let Ok(damaged) = serde_json::from_value::<Definition>(value) {
            let _ = damaged.check();
            let _ = damaged.shown(&Answers::default());
            if let Ok(answers) = serde_json::from_value::<Answers>(answers) {
                let _ = damaged.answer_problems(&answers);
            }
        }
    }

    #[test]
    fn valid_definitions_accept_answers_on_every_shown_required_question(def in arb_definition(), seed in any::<u64>()) {
        // Answer every question that is shown with its lowest valid answer, top to bottom.
        let mut answers = Answers::default();
        for (i, q) in def.questions.iter().enumerate() {
            if !def.shown(&answers)[i] {
                continue;
            }
            let answer = match q.kind {
                QuestionType::Choice => Answer::Choices(vec![q.options.as_ref().unwrap()[0].id.clone()]),
                QuestionType::Text => Answer::Text("好".to_owned()),
                _ => Answer::Number(q.scale().unwrap().0 + i64::from(seed % 2 == 0)),
            };
            answers.set(&q.id, answer);
        }
        // Later answers can hide nothing earlier: conditions only look back.
        prop_assert_eq!(def.answer_problems(&answers), vec![]);
    }
}

/// The errors of `value` as `field: message` lines in `locale`.
fn errors_in(value: Value, locale: Locale) -> Vec<String> {
    parse(value)
        .check()
        .errors
        .iter()
        .map(|e| format!("{} {}", e.field, e.message_in(locale)))
        .collect()
}

#[test]
fn the_issue_examples_read_in_chinese_and_english() {
    let empty = with("/questions/2/text/en", json!(" "));
    assert_eq!(
        errors_in(empty.clone(), ZhCn),
        ["questions[2].text.en 不能为空"]
    );
    assert_eq!(errors_in(empty, En), ["questions[2].text.en is empty"]);

    let mut forward = base();
    forward["questions"].as_array_mut().unwrap().swap(0, 1);
    assert_eq!(
        errors_in(forward.clone(), ZhCn),
        [
            "questions[0].show_if.question 问题“reasons”在“rating”≤ 2 时显示，但“rating”排在它后面：条件只能引用前面的问题",
            "questions[0].required_if.question 问题“reasons”在“rating”≤ 2 时必答，但“rating”排在它后面：条件只能引用前面的问题"
        ]
    );
    // English is the message API clients get, unchanged.
    assert_eq!(errors_in(forward.clone(), En), errors(forward));

    assert_eq!(
        errors_in(without("/title", "zh-CN"), ZhCn),
        ["title.zh-CN 必填：每条文本都必须有默认语言中文（zh-CN）的内容"]
    );

    let untranslated = without("/questions/2/text", "en");
    let report = parse(untranslated).check();
    assert_eq!(
        report.warnings[0].message_in(ZhCn),
        "缺少英文（en）翻译：使用该语言的顾客会看到中文（zh-CN）文本"
    );
}

#[test]
fn reader_errors_read_in_chinese_too() {
    let error = Definition::from_json(r#"{"schema": 1,"#).unwrap_err();
    assert_eq!(error.field, "");
    assert!(error.message.contains("line 1"), "{}", error.message);
    assert_eq!(
        error.message_in(ZhCn),
        "不是有效的 JSON（第 1 行第 13 列附近）"
    );
    let mut value = base();
    value["questions"][0]["points"] = json!("5");
    let error = Definition::read(&&value).unwrap_err();
    assert_eq!(
        (error.field.as_str(), error.message.as_str()),
        ("questions[0].points", "must be a whole number, 0 or more")
    );
    assert_eq!(error.message_in(ZhCn), "应为 0 或更大的整数");
    value["questions"][0]["type"] = json!("stars");
    let error = Definition::read(&&value).unwrap_err();
    assert_eq!(
        error.message_in(ZhCn),
        "应为以下之一：\"rating\"、\"nps\"、\"choice\"、\"text\"、\"expectation\""
    );
    assert_eq!(
        error.message,
        "must be one of \"rating\", \"nps\", \"choice\", \"text\", \"expectation\""
    );
}

#[test]
fn errors_that_name_no_rule_stay_english() {
    let error = FieldError::new("page", "is too long");
    assert_eq!(error.message_in(ZhCn), "is too long");
    // The rule is not part of the JSON error body.
    let json = serde_json::to_value(FieldError::of("title.en", Problem::Empty)).unwrap();
    assert_eq!(json, json!({"field": "title.en", "message": "is empty"}));
}
