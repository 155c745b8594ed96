//! The rules on a customer's answers to a definition: which questions are shown, which are
//! required, and every problem with the answers. The widget asks them before submit, the
//! collector again on receipt.
//!
//! Answers to a question that is not shown are refused ([`AnswerProblemKind::NotAsked`]), not
//! silently dropped: only a client that ignores `show_if` sends them, and storing them would
//! put answers into reports that the survey never asked for. An empty list or blank text is
//! no answer, so it is accepted anywhere (widgets before definitions always sent
//! `"reasons": []` and `"comment": ""`).

use super::{
    ChoiceMode, Comparison, Condition, ConditionValue, Definition, Question, QuestionType,
};
use crate::{
    FieldError,
    answers::{Answer, Answers, char_count},
    digits::decimal,
};

/// What is wrong with one answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerProblemKind {
    /// The key names no question of the survey.
    UnknownQuestion,
    /// A required question (shown) has no answer.
    Required,
    /// An answer was given to a question that is not shown.
    NotAsked,
    /// The answer's JSON shape does not fit the question type.
    WrongType,
    /// A number outside the question's scale.
    OutOfRange,
    /// An option id the question does not offer.
    UnknownOption,
    /// The same option id twice.
    DuplicateOption,
    /// Fewer options selected than `min`.
    TooFewSelected,
    /// More options selected than `max` (or more than one on a single choice).
    TooManySelected,
    /// An "other" text for a question without "other".
    OtherNotOffered,
    /// "other" selected with a blank text.
    OtherEmpty,
    /// The "other" text is longer than allowed.
    OtherTooLong,
    /// A text answer longer than the question's `max_length`.
    TooLong,
}

/// One problem with a customer's answers: which question, what, and where in the payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerProblem {
    /// The question's id (or the unknown key).
    pub question: String,
    /// What is wrong; the widget maps it to its UI strings.
    pub kind: AnswerProblemKind,
    /// The JSON path in the payload, such as `answers.reasons` or `answers.why.other`.
    pub field: String,
    /// An English description for API clients and logs.
    pub message: String,
}

impl AnswerProblem {
    fn new(question: &str, kind: AnswerProblemKind, message: String) -> AnswerProblem {
        let field = match kind {
            AnswerProblemKind::OtherEmpty | AnswerProblemKind::OtherTooLong => {
                ["answers.", question, ".other"].concat()
            }
            _ => ["answers.", question].concat(),
        };
        AnswerProblem {
            question: question.to_owned(),
            kind,
            field,
            message,
        }
    }

    /// As a field error of the collector's error shape.
    pub fn to_field_error(&self) -> FieldError {
        FieldError::new(&self.field, &self.message)
    }
}

impl Definition {
    /// Whether each question is shown for these answers, in question order. A question is
    /// shown when it has no `show_if` or its condition holds.
    pub fn shown(&self, answers: &Answers) -> Vec<bool> {
        let mut shown = Vec::with_capacity(self.questions.len());
        for q in &self.questions {
            let visible = q
                .show_if
                .as_ref()
                .is_none_or(|c| self.holds(c, answers, &shown));
            shown.push(visible);
        }
        shown
    }

    /// Whether question `index` needs an answer now: it is shown, and `required` is set or its
    /// `required_if` holds. (`satisfied_by` may still let another answer stand in.)
    pub fn is_required(&self, index: usize, answers: &Answers, shown: &[bool]) -> bool {
        let Some(q) = self.questions.get(index) else {
            return false;
        };
        shown.get(index).copied().unwrap_or(false)
            && (q.required
                || q.required_if
                    .as_ref()
                    .is_some_and(|c| self.holds(c, answers, shown)))
    }

    /// Whether `c` holds: its question is shown and answered, and the comparison is true. A
    /// condition that names no earlier question never holds (such a definition fails
    /// [`Definition::check`]).
    pub fn holds(&self, c: &Condition, answers: &Answers, shown: &[bool]) -> bool {
        let Some(j) = self.questions.iter().position(|q| q.id == c.question) else {
            return false;
        };
        if !shown.get(j).copied().unwrap_or(false) {
            return false;
        }
        let Some(answer) = answers.given(&c.question) else {
            return false;
        };
        match (answer, c.op, &c.value) {
            (Answer::Number(n), Comparison::Eq, ConditionValue::Number(v)) => n == v,
            (Answer::Number(n), Comparison::Lte, ConditionValue::Number(v)) => n <= v,
            (Answer::Number(n), Comparison::Gte, ConditionValue::Number(v)) => n >= v,
            (Answer::Number(n), Comparison::In, ConditionValue::Numbers(list)) => list.contains(n),
            (Answer::Number(_) | Answer::Text(_), _, _) => false,
            (choice, Comparison::Eq, ConditionValue::Option(id)) => choice.selected().contains(id),
            (choice, Comparison::In, ConditionValue::Options(ids)) => {
                choice.selected().iter().any(|id| ids.contains(id))
            }
            _ => false,
        }
    }

    /// Every problem with `answers` to this definition, in question order, then answers to
    /// unknown questions. Empty means they may be submitted and stored.
    pub fn answer_problems(&self, answers: &Answers) -> Vec<AnswerProblem> {
        let shown = self.shown(answers);
        let mut problems = Vec::new();
        for (i, q) in self.questions.iter().enumerate() {
            let given = answers.given(&q.id);
            if !shown[i] {
                if given.is_some() {
                    problems.push(AnswerProblem::new(
                        &q.id,
                        AnswerProblemKind::NotAsked,
                        ["'", &q.id, "' is not asked for these answers"].concat(),
                    ));
                }
                continue;
            }
            match given {
                None => {
                    let stand_in = q.satisfied_by.iter().any(|other| {
                        answers.given(other).is_some()
                            && self
                                .questions
                                .iter()
                                .position(|p| p.id == *other)
                                .is_some_and(|k| shown[k])
                    });
                    if self.is_required(i, answers, &shown) && !stand_in {
                        let mut message = ["'", &q.id, "' needs an answer"].concat();
                        if !q.satisfied_by.is_empty() {
                            message.push_str(
                                &[" (an answer to ", &quoted(&q.satisfied_by), " also counts)"]
                                    .concat(),
                            );
                        }
                        problems.push(AnswerProblem::new(
                            &q.id,
                            AnswerProblemKind::Required,
                            message,
                        ));
                    }
                }
                Some(answer) => check_answer(q, answer, &mut problems),
            }
        }
        for key in answers.0.keys() {
            if self.question(key).is_none() {
                problems.push(AnswerProblem::new(
                    key,
                    AnswerProblemKind::UnknownQuestion,
                    [
                        "is not a question of survey '",
                        &self.id,
                        "' version ",
                        &decimal(self.version.into()),
                    ]
                    .concat(),
                ));
            }
        }
        problems
    }
}

fn scale_message(lo: i64, hi: i64) -> String {
    [
        "must be a whole number from ",
        &decimal(lo),
        " to ",
        &decimal(hi),
    ]
    .concat()
}

fn quoted(ids: &[String]) -> String {
    let quoted: Vec<String> = ids.iter().map(|id| ["'", id, "'"].concat()).collect();
    quoted.join(" or ")
}

/// The checks on a given answer to a shown question.
fn check_answer(q: &Question, answer: &Answer, problems: &mut Vec<AnswerProblem>) {
    use AnswerProblemKind as K;
    let mut push = |kind, message: String| problems.push(AnswerProblem::new(&q.id, kind, message));
    match (q.kind, answer) {
        (
            QuestionType::Rating | QuestionType::Nps | QuestionType::Expectation,
            Answer::Number(n),
        ) => {
            let (lo, hi) = q.scale().unwrap_or((0, 0));
            if !(lo..=hi).contains(n) {
                push(K::OutOfRange, scale_message(lo, hi));
            }
        }
        (QuestionType::Rating | QuestionType::Nps | QuestionType::Expectation, _) => {
            let (lo, hi) = q.scale().unwrap_or((0, 0));
            push(K::WrongType, scale_message(lo, hi));
        }
        (QuestionType::Text, Answer::Text(text)) => {
            let max = q.text_max_chars();
            if char_count(text) > usize::try_from(max).unwrap_or(usize::MAX) {
                push(
                    K::TooLong,
                    ["must be at most ", &decimal(max.into()), " characters"].concat(),
                );
            }
        }
        (QuestionType::Text, _) => push(K::WrongType, "must be a string".to_owned()),
        (QuestionType::Choice, Answer::Choices(_) | Answer::ChoicesWithOther(_)) => {
            let selected = answer.selected();
            if let Some(id) = selected.iter().find(|id| q.option(id).is_none()) {
                push(
                    K::UnknownOption,
                    ["'", id, "' is not an option of '", &q.id, "'"].concat(),
                );
            }
            if let Some(id) = selected
                .iter()
                .enumerate()
                .find_map(|(k, id)| selected[..k].contains(id).then_some(id))
            {
                push(K::DuplicateOption, ["'", id, "' appears twice"].concat());
            }
            let mut count = selected.len();
            if let Answer::ChoicesWithOther(c) = answer {
                match &q.other {
                    None => push(
                        K::OtherNotOffered,
                        ["'", &q.id, "' has no 'other' option"].concat(),
                    ),
                    Some(_) if c.other.trim().is_empty() => {
                        push(
                            K::OtherEmpty,
                            "describe 'other', or do not select it".to_owned(),
                        );
                    }
                    Some(other) => {
                        count += 1;
                        let max = other.max_chars();
                        if char_count(&c.other) > usize::try_from(max).unwrap_or(usize::MAX) {
                            push(
                                K::OtherTooLong,
                                ["must be at most ", &decimal(max.into()), " characters"].concat(),
                            );
                        }
                    }
                }
            }
            let (min, max) = q.selection_bounds();
            let count = u32::try_from(count).unwrap_or(u32::MAX);
            if count > max {
                let message = match q.choice_mode() {
                    ChoiceMode::Single => "must select one option".to_owned(),
                    ChoiceMode::Multiple => {
                        ["must select at most ", &decimal(max.into()), " options"].concat()
                    }
                };
                push(K::TooManySelected, message);
            } else if count > 0 && count < min {
                push(
                    K::TooFewSelected,
                    ["must select at least ", &decimal(min.into()), " options"].concat(),
                );
            }
        }
        (QuestionType::Choice, _) => push(
            K::WrongType,
            "must be a list of option ids, or {\"selected\": [...], \"other\": \"...\"}".to_owned(),
        ),
    }
}
