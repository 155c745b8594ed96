//! The widget's state: one reactive value that the JS API, the event handlers and the view all
//! share. The view reads it in one render effect (see `widget.rs`); everything else updates it.

use std::sync::Arc;

use model::definition::{AnswerProblem, AnswerProblemKind};
use model::{Answer, Answers, Definition, Locale, SignedTransaction};
use reactive_graph::{prelude::*, signal::RwSignal};

use crate::submit::SubmitError;

/// Where the current response is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The customer is filling in the form.
    Editing,
    /// The POST is in flight.
    Sending,
    /// The endpoint accepted the response; the thank-you is shown.
    Sent,
    /// The response is in the outbox but not delivered yet (offline, or the endpoint is down):
    /// the customer is told it will be sent later, and the widget keeps trying.
    Saved,
    /// The response was refused or could not be stored; the answers are kept and a retry is
    /// offered.
    Failed(SubmitError),
}

/// Everything the widget shows, in one value.
#[derive(Clone, Debug)]
pub struct State {
    /// Whether the dialog is on screen.
    pub open: bool,
    /// The language shown.
    pub locale: Locale,
    /// The transaction being rated, with the token the host's back end minted for it, if any.
    pub transaction: Option<SignedTransaction>,
    /// The survey shown: the built-in one or the definition `data-survey` names.
    pub survey: Arc<Definition>,
    /// The customer's answers so far, by question id (hidden questions' answers included, so
    /// that nothing typed is lost when a condition flips back).
    pub answers: Answers,
    /// Where the response is in its life.
    pub phase: Phase,
    /// Whether the customer pressed submit while a problem remained.
    pub tried: bool,
    /// The response id, fixed at the first submit so that a retry is recognisably the same.
    pub response_id: Option<String>,
    /// Counts the responses started; the view builds a fresh form when it changes.
    pub generation: u32,
}

impl State {
    /// The answers to submit: those of the questions shown, texts trimmed. An answer to a
    /// question a condition hides again is kept in the draft but not sent.
    pub fn submitted(&self) -> Answers {
        let shown = self.survey.shown(&self.answers);
        let mut answers = Answers::default();
        for (question, shown) in self.survey.questions.iter().zip(shown) {
            if let Some(answer) = self.answers.get(&question.id).filter(|_| shown) {
                let mut answer = answer.clone();
                match &mut answer {
                    Answer::Text(text) => *text = text.trim().to_owned(),
                    Answer::ChoicesWithOther(c) => c.other = c.other.trim().to_owned(),
                    Answer::Number(_) | Answer::Choices(_) => {}
                }
                answers.set(&question.id, answer);
            }
        }
        answers
    }

    /// The first problem that stops a submit, if any: `model`'s rules on the answers.
    pub fn problem(&self) -> Option<AnswerProblem> {
        let mut first = self
            .survey
            .answer_problems(&self.submitted())
            .into_iter()
            .next()?;
        // "Other" chosen but not described is no answer to `model`; tell the customer what is
        // missing rather than to answer a question they have answered.
        if first.kind == AnswerProblemKind::Required
            && matches!(
                self.answers.get(&first.question),
                Some(Answer::ChoicesWithOther(c)) if c.selected.is_empty()
            )
        {
            first.kind = AnswerProblemKind::OtherEmpty;
        }
        Some(first)
    }

    /// The problem pointed out next to the form, given [`State::problem`]. A question that is
    /// always required is only pointed out after a submit attempt; one that a condition has
    /// just made required ("a reason or a comment, after a bad rating") and an answer that
    /// breaks a rule (too long, too many) are pointed out at once.
    pub fn hint(&self, problem: Option<AnswerProblem>) -> Option<AnswerProblem> {
        problem.filter(|p| {
            self.tried
                || p.kind != AnswerProblemKind::Required
                || self
                    .survey
                    .question(&p.question)
                    .is_some_and(|q| !q.required)
        })
    }
}

/// A handle on the widget's state. `Copy`: the value lives in Leptos's reactive arena.
#[derive(Clone, Copy)]
pub struct Controller {
    /// The state. Reading it inside a render effect subscribes the effect to every change.
    pub state: RwSignal<State>,
}

impl Controller {
    /// Fresh state: closed, nothing answered, showing `survey`.
    pub fn new(survey: Arc<Definition>) -> Controller {
        Controller {
            state: RwSignal::new(State {
                open: false,
                locale: Locale::default(),
                transaction: None,
                survey,
                answers: Answers::default(),
                phase: Phase::Editing,
                tried: false,
                response_id: None,
                generation: 0,
            }),
        }
    }

    /// Reads the state without subscribing.
    pub fn peek<T>(self, f: impl FnOnce(&State) -> T) -> T {
        self.state.with_untracked(f)
    }

    /// Changes the state; the view follows.
    pub fn update(self, f: impl FnOnce(&mut State)) {
        self.state.update(f);
    }

    /// Starts rating `transaction`. A different transaction starts a new, empty response;
    /// the same one keeps what the customer typed (or its thank-you, once sent).
    pub fn begin(self, transaction: SignedTransaction, locale: Locale) {
        self.update(|s| {
            if s.transaction
                .as_ref()
                .is_none_or(|t| t.id != transaction.id)
            {
                s.answers = Answers::default();
                s.phase = Phase::Editing;
                s.tried = false;
                s.response_id = None;
                s.transaction = Some(transaction);
                s.generation = s.generation.wrapping_add(1);
            }
            s.locale = s.survey.locale_for(locale);
            s.open = true;
        });
    }
}

impl Default for Controller {
    fn default() -> Controller {
        Controller::new(crate::survey::builtin())
    }
}
