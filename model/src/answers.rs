//! What a customer answers, and the rules on it. The widget asks these rules before submit
//! ("can submit?", "is a reason required?") and the collector asks them again on receipt.

use serde::{Deserialize, Serialize};

use crate::Survey;
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

/// Why answers cannot be submitted (yet). The widget maps each to a message in the UI strings
/// table; the collector maps each to a field error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// No rating chosen.
    RatingMissing,
    /// The score is not on the survey's scale.
    RatingOutOfRange,
    /// A bad rating needs a reason tag or a comment.
    ReasonRequired,
    /// Reasons were sent for a rating that does not ask for them.
    ReasonsNotAsked,
    /// A reason id the survey does not offer.
    UnknownReason,
    /// The same reason id twice.
    DuplicateReason,
    /// The comment is longer than the survey allows.
    CommentTooLong,
}

impl Problem {
    /// The payload field the problem is about, as a JSON path below the payload root.
    pub const fn field(self) -> &'static str {
        match self {
            Problem::RatingMissing | Problem::RatingOutOfRange => "answers.satisfaction",
            Problem::ReasonRequired
            | Problem::ReasonsNotAsked
            | Problem::UnknownReason
            | Problem::DuplicateReason => "answers.reasons",
            Problem::CommentTooLong => "answers.comment",
        }
    }

    /// An English description for API clients and logs (customers see the UI strings table).
    pub const fn message(self) -> &'static str {
        match self {
            Problem::RatingMissing => "a satisfaction score is required",
            Problem::RatingOutOfRange => "the satisfaction score is not on the survey's scale",
            Problem::ReasonRequired => "a bad rating needs a reason tag or a comment",
            Problem::ReasonsNotAsked => "reasons are only asked for a bad rating",
            Problem::UnknownReason => "a reason id is not one the survey offers",
            Problem::DuplicateReason => "a reason id appears twice",
            Problem::CommentTooLong => "the comment is longer than the survey allows",
        }
    }
}

/// Counts characters the way the widget's counter shows them: Unicode scalar values.
pub fn char_count(text: &str) -> usize {
    text.chars().count()
}

/// The built-in survey's rules, for [`Draft`]: every problem in form order. Empty means valid.
///
/// These are the rules of `model/surveys/default.json` as
/// [`crate::definition::Definition::answer_problems`] applies them; a property test keeps the
/// two in step until the widget renders definitions.
fn legacy_problems(score: u8, reasons: &[String], comment: &str, survey: &Survey) -> Vec<Problem> {
    let mut problems = Vec::new();
    if score == 0 || score > survey.max_score() {
        problems.push(Problem::RatingOutOfRange);
    } else if survey.is_bad_rating(score) {
        if reasons.is_empty() && comment.trim().is_empty() {
            problems.push(Problem::ReasonRequired);
        }
    } else if !reasons.is_empty() {
        problems.push(Problem::ReasonsNotAsked);
    }
    if reasons.iter().any(|id| survey.reason(id).is_none()) {
        problems.push(Problem::UnknownReason);
    }
    if reasons
        .iter()
        .enumerate()
        .any(|(i, id)| reasons[..i].contains(id))
    {
        problems.push(Problem::DuplicateReason);
    }
    if char_count(comment) > survey.comment_max_chars {
        problems.push(Problem::CommentTooLong);
    }
    problems
}

/// The form's state while the customer fills it in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// The chosen score, if any.
    pub rating: Option<u8>,
    /// Chosen reason ids, in the order chosen. Kept when the rating changes, so that going
    /// from 2 to 4 and back loses nothing; only sent while reasons are shown.
    pub reasons: Vec<String>,
    /// The comment as typed.
    pub comment: String,
}

impl Draft {
    /// Whether the reason tags are shown: only after a bad rating.
    pub fn shows_reasons(&self, survey: &Survey) -> bool {
        self.rating.is_some_and(|score| survey.is_bad_rating(score))
    }

    /// Toggles a reason tag on or off.
    pub fn toggle_reason(&mut self, id: &str) {
        if let Some(at) = self.reasons.iter().position(|r| r == id) {
            self.reasons.remove(at);
        } else {
            self.reasons.push(id.to_owned());
        }
    }

    /// The answers this draft would submit, or the first problem that stops it.
    pub fn answers(&self, survey: &Survey) -> Result<Answers, Problem> {
        let satisfaction = self.rating.ok_or(Problem::RatingMissing)?;
        let reasons = if self.shows_reasons(survey) {
            self.reasons.clone()
        } else {
            Vec::new()
        };
        let comment = self.comment.trim().to_owned();
        if let Some(problem) = legacy_problems(satisfaction, &reasons, &comment, survey).first() {
            return Err(*problem);
        }
        let mut answers = Answers::default();
        answers.set(SATISFACTION, Answer::Number(i64::from(satisfaction)));
        answers.set(REASONS, Answer::Choices(reasons));
        answers.set(COMMENT, Answer::Text(comment));
        Ok(answers)
    }

    /// The first problem that stops a submit, if any.
    pub fn problem(&self, survey: &Survey) -> Option<Problem> {
        self.answers(survey).err()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DEFAULT_SURVEY as S;

    fn draft(rating: Option<u8>, reasons: &[&str], comment: &str) -> Draft {
        Draft {
            rating,
            reasons: reasons.iter().map(|r| (*r).to_owned()).collect(),
            comment: comment.to_owned(),
        }
    }

    #[test]
    fn rating_is_required() {
        assert_eq!(
            draft(None, &[], "").problem(&S),
            Some(Problem::RatingMissing)
        );
        assert_eq!(
            draft(None, &[], "great").problem(&S),
            Some(Problem::RatingMissing)
        );
        for score in 3..=5 {
            assert_eq!(draft(Some(score), &[], "").problem(&S), None, "{score}");
        }
    }

    #[test]
    fn bad_rating_needs_a_reason_or_a_comment() {
        for score in [1, 2] {
            let bare = draft(Some(score), &[], "");
            assert!(bare.shows_reasons(&S));
            assert_eq!(bare.problem(&S), Some(Problem::ReasonRequired));
            assert_eq!(
                draft(Some(score), &[], "  \n ").problem(&S),
                Some(Problem::ReasonRequired)
            );
            assert_eq!(draft(Some(score), &["long_wait"], "").problem(&S), None);
            assert_eq!(draft(Some(score), &[], "slow").problem(&S), None);
        }
        assert!(!draft(Some(3), &[], "").shows_reasons(&S));
    }

    #[test]
    fn reasons_are_kept_in_the_draft_but_only_sent_for_a_bad_rating() {
        let mut d = draft(Some(2), &["long_wait"], "");
        d.rating = Some(4);
        assert_eq!(d.answers(&S).unwrap().reasons(), &[] as &[String]);
        d.rating = Some(2);
        assert_eq!(d.answers(&S).unwrap().reasons(), ["long_wait".to_owned()]);
    }

    #[test]
    fn toggle_reason_adds_and_removes() {
        let mut d = Draft::default();
        d.toggle_reason("long_wait");
        d.toggle_reason("other");
        d.toggle_reason("long_wait");
        assert_eq!(d.reasons, vec!["other".to_owned()]);
    }

    #[test]
    fn comment_limit_counts_characters_not_bytes() {
        let max = S.comment_max_chars;
        assert_eq!(draft(Some(5), &[], &"好".repeat(max)).problem(&S), None);
        assert_eq!(
            draft(Some(5), &[], &"好".repeat(max + 1)).problem(&S),
            Some(Problem::CommentTooLong)
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

    proptest::proptest! {
        #[test]
        fn a_draft_that_passes_produces_answers_the_collector_accepts(
            rating in proptest::option::of(0u8..8),
            reasons in proptest::collection::vec(proptest::sample::select(
                S.reasons.iter().map(|r| r.id).chain(["bogus"]).collect::<Vec<_>>()), 0..4),
            comment in ".{0,520}",
        ) {
            let d = Draft { rating, reasons: reasons.iter().map(|r| (*r).to_owned()).collect(), comment };
            let definition = crate::definition::default_definition();
            let result = d.answers(&S);
            if let Ok(answers) = &result {
                let json = serde_json::to_string(answers).unwrap();
                proptest::prop_assert_eq!(&serde_json::from_str::<Answers>(&json).unwrap(), answers);
            }
            // The draft's rules and the built-in definition's agree (one set of rules).
            if let Some(score) = d.rating {
                let mut sent = Answers::default();
                sent.set(SATISFACTION, Answer::Number(i64::from(score)));
                sent.set(REASONS, Answer::Choices(d.reasons.clone()));
                sent.set(COMMENT, Answer::Text(d.comment.trim().to_owned()));
                let legacy = legacy_problems(score, &d.reasons, d.comment.trim(), &S);
                let general = definition.answer_problems(&sent);
                proptest::prop_assert_eq!(legacy.is_empty(), general.is_empty(), "{:?} {:?}", legacy, general);
            }
            if let Ok(answers) = result {
                proptest::prop_assert_eq!(definition.answer_problems(&answers), vec![]);
            }
        }
    }
}
