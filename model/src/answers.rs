//! What a customer answers, and the rules on it. The widget asks these rules before submit
//! ("can submit?", "is a reason required?") and the collector asks them again on receipt.

use serde::{Deserialize, Serialize};

use crate::Survey;

/// The `answers` object of payload v1.
///
/// Public contract: field names and meanings are part of the POST body. Changing one is a
/// breaking change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// The satisfaction score, 1 (very dissatisfied) to 5 (very satisfied).
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 5)))]
    pub satisfaction: u8,
    /// Ids of the reason tags chosen after a bad rating (score 1 or 2). Defaults to empty.
    #[serde(default)]
    pub reasons: Vec<String>,
    /// Free-text comment, at most 500 characters. Defaults to empty.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 500)))]
    pub comment: String,
}

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

impl Answers {
    /// Every problem with these answers against `survey`, in form order. Empty means valid.
    pub fn problems(&self, survey: &Survey) -> Vec<Problem> {
        let mut problems = Vec::new();
        let score = self.satisfaction;
        if score == 0 || score > survey.max_score() {
            problems.push(Problem::RatingOutOfRange);
        } else if survey.is_bad_rating(score) {
            if self.reasons.is_empty() && self.comment.trim().is_empty() {
                problems.push(Problem::ReasonRequired);
            }
        } else if !self.reasons.is_empty() {
            problems.push(Problem::ReasonsNotAsked);
        }
        if self.reasons.iter().any(|id| survey.reason(id).is_none()) {
            problems.push(Problem::UnknownReason);
        }
        if self
            .reasons
            .iter()
            .enumerate()
            .any(|(i, id)| self.reasons[..i].contains(id))
        {
            problems.push(Problem::DuplicateReason);
        }
        if char_count(&self.comment) > survey.comment_max_chars {
            problems.push(Problem::CommentTooLong);
        }
        problems
    }
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
        let answers = Answers {
            satisfaction,
            reasons,
            comment: self.comment.trim().to_owned(),
        };
        match answers.problems(survey).first() {
            Some(problem) => Err(*problem),
            None => Ok(answers),
        }
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
        assert_eq!(d.answers(&S).unwrap().reasons, Vec::<String>::new());
        d.rating = Some(2);
        assert_eq!(d.answers(&S).unwrap().reasons, vec!["long_wait".to_owned()]);
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
    fn answers_reject_what_the_form_cannot_produce() {
        let a = |s, r: &[&str], c: &str| Answers {
            satisfaction: s,
            reasons: r.iter().map(|x| (*x).to_owned()).collect(),
            comment: c.to_owned(),
        };
        assert_eq!(a(0, &[], "").problems(&S), vec![Problem::RatingOutOfRange]);
        assert_eq!(a(6, &[], "").problems(&S), vec![Problem::RatingOutOfRange]);
        assert_eq!(
            a(5, &["long_wait"], "").problems(&S),
            vec![Problem::ReasonsNotAsked]
        );
        assert_eq!(
            a(1, &["nope"], "").problems(&S),
            vec![Problem::UnknownReason]
        );
        assert_eq!(
            a(1, &["other", "other"], "").problems(&S),
            vec![Problem::DuplicateReason]
        );
        assert_eq!(a(1, &["other"], "").problems(&S), vec![]);
    }

    #[test]
    fn answers_round_trip_and_default_optional_fields() {
        let a = Answers {
            satisfaction: 2,
            reasons: vec!["other".into()],
            comment: "x".into(),
        };
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(
            json,
            r#"{"satisfaction":2,"reasons":["other"],"comment":"x"}"#
        );
        assert_eq!(serde_json::from_str::<Answers>(&json).unwrap(), a);
        let bare: Answers = serde_json::from_str(r#"{"satisfaction":4}"#).unwrap();
        assert_eq!(
            bare,
            Answers {
                satisfaction: 4,
                ..Answers::default()
            }
        );
        assert!(serde_json::from_str::<Answers>(r#"{"satisfaction":4,"extra":1}"#).is_err());
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
            if let Ok(answers) = d.answers(&S) {
                proptest::prop_assert!(answers.problems(&S).is_empty());
                let json = serde_json::to_string(&answers).unwrap();
                proptest::prop_assert_eq!(serde_json::from_str::<Answers>(&json).unwrap(), answers);
            }
        }
    }
}
