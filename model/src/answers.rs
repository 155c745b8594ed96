//! What a customer answers, and the rules on it. The widget asks these rules before submit
//! ("can submit?", "is a reason required?") and the collector asks them again on receipt.

use std::fmt;

use serde::{
    Deserialize, Deserializer, Serialize,
    de::{self, IgnoredAny, MapAccess, SeqAccess, Unexpected, Visitor},
};

use crate::map::SmallMap;

/// The `answers` object of payload v1: one entry per answered question, keyed by the question's
/// id in the survey definition (`questions[].id`).
///
/// The built-in survey's questions are `satisfaction` (a rating), `reasons` (a multiple choice)
/// and `comment` (a text), so its answers read `{"satisfaction": 2, "reasons": ["long_wait"],
/// "comment": "…"}`, as they always have.
///
/// An empty list or a blank string is no answer. The rules on answers are
/// `Definition::answer_problems` in `model::definition`.
///
/// Public contract: the shape of each answer is part of the POST body. Changing one is a
/// breaking change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Answers(pub SmallMap<String, Answer>);

/// One answer. Which shape a question takes depends on its type.
// It serializes untagged (the JSON value alone) and reads back by the JSON value's type with a
// hand-written `Deserialize` (below): serde's derived untagged reading buffers the value and
// tries each variant in turn, formatting an error for each miss. (A `//` comment: the `///`
// above is the published JSON Schema's description.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Answer {
    /// A rating (1 to its points), nps (0 to 10) or expectation (−2 to 2).
    Number(i64),
    /// A text answer.
    Text(String),
    /// A choice: the ids of the selected options, in the order chosen.
    Choices(Vec<String>),
    /// A choice whose "other" option is selected, with its text.
    ChoicesWithOther(ChoicesWithOther),
}

/// A choice answer whose "other" option is selected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChoicesWithOther {
    /// The ids of the other selected options, in the order chosen. Defaults to none.
    #[serde(default)]
    pub selected: Vec<String>,
    /// What the customer wrote for "other".
    pub other: String,
}

/// What an answer may be, for error messages.
const EXPECTED_ANSWER: &str = "an integer, a text, a list of option ids, \
     or {\"selected\": [option ids], \"other\": text}";

/// Reads the JSON value's type to pick the variant, without buffering the value or trying
/// variants: an integer is a [`Answer::Number`], a string a [`Answer::Text`], a list a
/// [`Answer::Choices`] and an object a [`Answer::ChoicesWithOther`]. The JSON accepted is what
/// the derived untagged reading accepted (it too took `[[ids], "other"]` for
/// `ChoicesWithOther`, the form serde gives every struct), but an error is precise: it names the
/// element or key that is wrong (`answers.reasons[1]`, `answers.why.other`) and what was
/// expected, rather than "data did not match any variant of untagged enum Answer".
impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Answer, D::Error> {
        deserializer.deserialize_any(AnswerVisitor)
    }
}

struct AnswerVisitor;

impl<'de> Visitor<'de> for AnswerVisitor {
    type Value = Answer;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTED_ANSWER)
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Answer, E> {
        Ok(Answer::Number(n))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Answer, E> {
        i64::try_from(n)
            .map(Answer::Number)
            .map_err(|_| E::invalid_value(Unexpected::Unsigned(n), &self))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Answer, E> {
        Ok(Answer::Text(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Answer, E> {
        Ok(Answer::Text(text))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Answer, A::Error> {
        let mut ids = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(16));
        match seq.next_element::<IdOrIds>()? {
            None => return Ok(Answer::Choices(ids)),
            Some(IdOrIds::Id(id)) => ids.push(id),
            // `ChoicesWithOther` as a sequence: `[[selected ids], "other"]`.
            Some(IdOrIds::Ids(selected)) => {
                let other = seq
                    .next_element::<String>()?
                    .ok_or_else(|| de::Error::invalid_length(1, &CHOICES_WITH_OTHER_SEQ))?;
                if seq.next_element::<IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(3, &CHOICES_WITH_OTHER_SEQ));
                }
                return Ok(Answer::ChoicesWithOther(ChoicesWithOther {
                    selected,
                    other,
                }));
            }
        }
        while let Some(id) = seq.next_element::<String>()? {
            ids.push(id);
        }
        Ok(Answer::Choices(ids))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Answer, A::Error> {
        ChoicesWithOther::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(Answer::ChoicesWithOther)
    }
}

/// What serde's derived struct reading expects of `ChoicesWithOther` as a sequence.
const CHOICES_WITH_OTHER_SEQ: &str = "struct ChoicesWithOther with 2 elements";

/// The first element of a list answer: an option id (a [`Answer::Choices`]), or the list of
/// selected ids that begins a `ChoicesWithOther` in sequence form.
enum IdOrIds {
    Id(String),
    Ids(Vec<String>),
}

impl<'de> Deserialize<'de> for IdOrIds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<IdOrIds, D::Error> {
        struct IdOrIdsVisitor;
        impl<'de> Visitor<'de> for IdOrIdsVisitor {
            type Value = IdOrIds;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an option id")
            }
            fn visit_str<E: de::Error>(self, id: &str) -> Result<IdOrIds, E> {
                Ok(IdOrIds::Id(id.to_owned()))
            }
            fn visit_string<E: de::Error>(self, id: String) -> Result<IdOrIds, E> {
                Ok(IdOrIds::Id(id))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<IdOrIds, A::Error> {
                Vec::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(IdOrIds::Ids)
            }
        }
        deserializer.deserialize_any(IdOrIdsVisitor)
    }
}

impl Answer {
    /// Whether this counts as an answer: not an empty list, not blank text.
    pub fn is_given(&self) -> bool {
        match self {
            Answer::Number(_) => true,
            Answer::Text(text) => !text.trim().is_empty(),
            Answer::Choices(ids) => !ids.is_empty(),
            Answer::ChoicesWithOther(c) => !c.selected.is_empty() || !c.other.trim().is_empty(),
        }
    }

    /// The number, for a scale answer.
    pub fn number(&self) -> Option<i64> {
        match self {
            Answer::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The selected option ids (not "other"), for a choice answer.
    pub fn selected(&self) -> &[String] {
        match self {
            Answer::Choices(ids) => ids,
            Answer::ChoicesWithOther(c) => &c.selected,
            Answer::Number(_) | Answer::Text(_) => &[],
        }
    }
}

impl Answers {
    /// The answer to question `id`, if one was sent (given or empty).
    pub fn get(&self, id: &str) -> Option<&Answer> {
        self.0.get(id)
    }

    /// The answer to question `id`, if it counts as given.
    pub fn given(&self, id: &str) -> Option<&Answer> {
        self.0.get(id).filter(|a| a.is_given())
    }

    /// Sets the answer to question `id`.
    pub fn set(&mut self, id: &str, answer: Answer) {
        self.0.insert(id.to_owned(), answer);
    }

    /// The text answer to question `id`, for editing; an empty one is added (replacing any
    /// answer of another shape) when there is none.
    pub fn text_mut(&mut self, id: &str) -> &mut String {
        let answer = self
            .0
            .get_or_insert_with(id.to_owned(), || Answer::Text(String::new()));
        if !matches!(answer, Answer::Text(_)) {
            *answer = Answer::Text(String::new());
        }
        match answer {
            Answer::Text(text) => text,
            _ => unreachable!("just set to text"),
        }
    }

    /// The selected option ids of question `id`, for editing; an empty list is added
    /// (replacing any answer of another shape) when there is none.
    pub fn choices_mut(&mut self, id: &str) -> &mut Vec<String> {
        let answer = self
            .0
            .get_or_insert_with(id.to_owned(), || Answer::Choices(Vec::new()));
        match answer {
            Answer::ChoicesWithOther(c) => &mut c.selected,
            Answer::Choices(ids) => ids,
            other => {
                *other = Answer::Choices(Vec::new());
                match other {
                    Answer::Choices(ids) => ids,
                    _ => unreachable!("just set to choices"),
                }
            }
        }
    }

    /// Answers to the built-in survey: a score, reason ids and a comment, each under its
    /// question id (`satisfaction`, `reasons`, `comment`).
    pub fn builtin(satisfaction: u8, reasons: &[&str], comment: &str) -> Answers {
        let mut answers = Answers::default();
        answers.set(SATISFACTION, Answer::Number(i64::from(satisfaction)));
        answers.set(
            REASONS,
            Answer::Choices(reasons.iter().map(|r| (*r).to_owned()).collect()),
        );
        answers.set(COMMENT, Answer::Text(comment.to_owned()));
        answers
    }

    /// Every free text in these answers (text answers and "other" texts), for masking.
    pub fn texts_mut(&mut self) -> impl Iterator<Item = &mut String> {
        self.0.values_mut().filter_map(|answer| match answer {
            Answer::Text(text) => Some(text),
            Answer::ChoicesWithOther(c) => Some(&mut c.other),
            Answer::Number(_) | Answer::Choices(_) => None,
        })
    }

    /// The number answered to question `satisfaction`, if any: the built-in survey's rating.
    pub fn satisfaction(&self) -> Option<i64> {
        self.get(SATISFACTION).and_then(Answer::number)
    }

    /// The option ids answered to question `reasons` (the built-in survey's reason tags).
    pub fn reasons(&self) -> &[String] {
        self.get(REASONS).map_or(&[], Answer::selected)
    }

    /// The text answered to question `comment` (the built-in survey's comment), or "".
    pub fn comment(&self) -> &str {
        match self.get(COMMENT) {
            Some(Answer::Text(text)) => text,
            _ => "",
        }
    }
}

/// The id of the built-in survey's rating question. The collector stores the answer to a
/// question with this id in its own column, so name a survey's main rating this way.
pub const SATISFACTION: &str = "satisfaction";
/// The id of the built-in survey's reason-tag question.
pub const REASONS: &str = "reasons";
/// The id of the built-in survey's comment question.
pub const COMMENT: &str = "comment";

/// Counts characters the way the widget's counter shows them: Unicode scalar values.
pub fn char_count(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::{AnswerProblemKind as K, default_definition};

    /// The built-in survey's problems with these answers, as (question, kind).
    fn problems(score: Option<i64>, reasons: &[&str], comment: &str) -> Vec<(String, K)> {
        let mut a = Answers::default();
        if let Some(score) = score {
            a.set(SATISFACTION, Answer::Number(score));
        }
        a.set(
            REASONS,
            Answer::Choices(reasons.iter().map(|r| (*r).to_owned()).collect()),
        );
        a.set(COMMENT, Answer::Text(comment.to_owned()));
        default_definition()
            .answer_problems(&a)
            .into_iter()
            .map(|p| (p.question, p.kind))
            .collect()
    }

    fn one(question: &str, kind: K) -> Vec<(String, K)> {
        vec![(question.to_owned(), kind)]
    }

    #[test]
    fn the_built_in_rating_is_required() {
        assert_eq!(problems(None, &[], ""), one(SATISFACTION, K::Required));
        assert_eq!(problems(None, &[], "great"), one(SATISFACTION, K::Required));
        for score in 3..=5 {
            assert_eq!(problems(Some(score), &[], ""), vec![], "{score}");
        }
        assert_eq!(problems(Some(6), &[], ""), one(SATISFACTION, K::OutOfRange));
    }

    #[test]
    fn a_bad_built_in_rating_needs_a_reason_or_a_comment() {
        for score in [1, 2] {
            assert_eq!(problems(Some(score), &[], ""), one(REASONS, K::Required));
            assert_eq!(
                problems(Some(score), &[], "  \n "),
                one(REASONS, K::Required)
            );
            assert_eq!(problems(Some(score), &["long_wait"], ""), vec![]);
            assert_eq!(problems(Some(score), &[], "slow"), vec![]);
        }
        assert_eq!(
            problems(Some(4), &["long_wait"], ""),
            one(REASONS, K::NotAsked)
        );
        assert_eq!(
            problems(Some(2), &["nope"], ""),
            one(REASONS, K::UnknownOption)
        );
    }

    #[test]
    fn the_comment_limit_counts_characters_not_bytes() {
        assert_eq!(problems(Some(5), &[], &"好".repeat(500)), vec![]);
        assert_eq!(
            problems(Some(5), &[], &"好".repeat(501)),
            one(COMMENT, K::TooLong)
        );
        assert_eq!(char_count("a好😀"), 3);
    }

    #[test]
    fn answers_round_trip_in_the_payload_v1_shape() {
        let mut a = Answers::default();
        a.set(SATISFACTION, Answer::Number(2));
        a.set(REASONS, Answer::Choices(vec!["other".into()]));
        a.set(COMMENT, Answer::Text("x".into()));
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(
            json,
            r#"{"comment":"x","reasons":["other"],"satisfaction":2}"#
        );
        assert_eq!(serde_json::from_str::<Answers>(&json).unwrap(), a);
        // What widgets before survey definitions send still reads the same.
        let old: Answers =
            serde_json::from_str(r#"{"satisfaction":2,"reasons":["other"],"comment":"x"}"#)
                .unwrap();
        assert_eq!(old, a);
        assert_eq!(
            (old.satisfaction(), old.reasons(), old.comment()),
            (Some(2), &["other".to_owned()][..], "x")
        );
        let other: Answers =
            serde_json::from_str(r#"{"why":{"selected":["a"],"other":"停车难"}}"#).unwrap();
        assert_eq!(
            other.get("why"),
            Some(&Answer::ChoicesWithOther(ChoicesWithOther {
                selected: vec!["a".into()],
                other: "停车难".into()
            }))
        );
        for bad in [
            r#"{"x":1.5}"#,
            r#"{"x":null}"#,
            r#"{"x":[1]}"#,
            r#"{"x":{"other":"a","y":1}}"#,
        ] {
            assert!(serde_json::from_str::<Answers>(bad).is_err(), "{bad}");
        }
    }

    /// The derived untagged reading that `Answer`'s hand-written `Deserialize` replaced: the
    /// JSON accepted, and what it reads as, must not change.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum UntaggedAnswer {
        Number(i64),
        Text(String),
        Choices(Vec<String>),
        ChoicesWithOther(ChoicesWithOther),
    }

    impl From<UntaggedAnswer> for Answer {
        fn from(answer: UntaggedAnswer) -> Answer {
            match answer {
                UntaggedAnswer::Number(n) => Answer::Number(n),
                UntaggedAnswer::Text(text) => Answer::Text(text),
                UntaggedAnswer::Choices(ids) => Answer::Choices(ids),
                UntaggedAnswer::ChoicesWithOther(c) => Answer::ChoicesWithOther(c),
            }
        }
    }

    /// Whether `json` reads as the same answer, or fails, both ways.
    fn reads_as_untagged_did(json: &str) -> Result<(), String> {
        let new = serde_json::from_str::<Answer>(json).ok();
        let old = serde_json::from_str::<UntaggedAnswer>(json)
            .ok()
            .map(Answer::from);
        if new == old {
            Ok(())
        } else {
            Err(format!("{json}: now {new:?}, untagged {old:?}"))
        }
    }

    #[test]
    fn every_shape_reads_as_the_untagged_enum_read_it() {
        for json in [
            "2",
            "-2",
            "0",
            "9223372036854775807",
            "-9223372036854775808",
            "9223372036854775808",
            "18446744073709551615",
            "1.5",
            "2.0",
            "1e2",
            "null",
            "true",
            r#""""#,
            r#""排队太久 😡""#,
            r#""a\"b\u00e9""#,
            "[]",
            r#"["a"]"#,
            r#"["a","b"]"#,
            r#"["a",1]"#,
            "[1]",
            "[null]",
            r#"["a",["b"]]"#,
            r#"[[],"x"]"#,
            r#"[["a","b"],"停车难"]"#,
            r#"[["a"]]"#,
            r#"[["a"],"x","y"]"#,
            r#"[["a"],1]"#,
            r#"[[1],"x"]"#,
            "[[]]",
            "{}",
            r#"{"other":"x"}"#,
            r#"{"other":""}"#,
            r#"{"selected":["a"],"other":"x"}"#,
            r#"{"other":"x","selected":[]}"#,
            r#"{"selected":["a"]}"#,
            r#"{"other":"x","y":1}"#,
            r#"{"other":1}"#,
            r#"{"other":"x","selected":"a"}"#,
            r#"{"other":"x","other":"y"}"#,
            r#"{"other":null}"#,
        ] {
            reads_as_untagged_did(json).unwrap();
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 512,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Any JSON value (biased towards answer-like ones) reads as the untagged enum read it.
        #[test]
        fn any_value_reads_as_the_untagged_enum_read_it(value in arb_answer_like()) {
            let json = value.to_string();
            proptest::prop_assert!(reads_as_untagged_did(&json).is_ok(), "{}", json);
        }
    }

    fn arb_answer_like() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
            ".{0,4}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map(
                    prop_oneof![
                        Just("selected".to_owned()),
                        Just("other".to_owned()),
                        ".{0,3}"
                    ],
                    inner,
                    0..3
                )
                .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    /// Errors name the element or key that is wrong, not only the answer, and say what was
    /// expected (the untagged enum said "data did not match any variant").
    #[test]
    fn a_wrong_answer_names_where_and_what() {
        use crate::response::ingest::{BodyError, read_payload};
        let sample = serde_json::to_string(&crate::response::tests::sample()).unwrap();
        let shape = |answers: &str| {
            let json = sample.replace(r#""answers":{"#, &format!(r#""answers":{{"x":{answers},"#));
            match read_payload(json.as_bytes()) {
                Err(BodyError::Shape { field, message }) => (field.unwrap_or_default(), message),
                other => panic!("{answers}: {other:?}"),
            }
        };
        let (field, message) = shape("1.5");
        assert_eq!(field, "answers.x");
        assert_eq!(
            message,
            format!("invalid type: floating point `1.5`, expected {EXPECTED_ANSWER}")
        );
        assert_eq!(shape("null").0, "answers.x");
        assert_eq!(shape("18446744073709551615").0, "answers.x");
        let (field, message) = shape(r#"["a",1]"#);
        assert_eq!(field, "answers.x[1]");
        assert!(
            message.starts_with("invalid type: integer `1`"),
            "{message}"
        );
        assert_eq!(shape("[1]").0, "answers.x[0]");
        let (field, message) = shape(r#"{"other":"a","y":1}"#);
        assert_eq!(field, "answers.x.y");
        assert!(message.starts_with("unknown field `y`"), "{message}");
        assert_eq!(shape(r#"{"other":1}"#).0, "answers.x.other");
        let (field, message) = shape(r#"{"selected":[]}"#);
        assert_eq!(field, "answers.x");
        assert_eq!(message, "missing field `other`");
    }

    #[test]
    fn empty_lists_and_blank_text_are_no_answer() {
        assert!(!Answer::Choices(vec![]).is_given());
        assert!(!Answer::Text(" \n".into()).is_given());
        assert!(Answer::Number(0).is_given());
        assert!(
            !Answer::ChoicesWithOther(ChoicesWithOther {
                selected: vec![],
                other: " ".into()
            })
            .is_given()
        );
    }
}
