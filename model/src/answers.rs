//! What a customer answers, and the rules on it. The widget asks these rules before submit
//! ("can submit?", "is a reason required?") and the collector asks them again on receipt.

use serde::{Deserialize, Serialize};

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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
