//! The widget's reactive state, shared through context.

use leptos::prelude::*;
use model::{Draft, Locale, Transaction};

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
    /// The POST failed; the answers are kept and a retry is offered.
    Failed(SubmitError),
}

/// The widget's state. `Copy`: every field is an arena-backed signal.
#[derive(Clone, Copy)]
pub struct Controller {
    /// Whether the dialog is on screen.
    pub open: RwSignal<bool>,
    /// The language shown.
    pub locale: RwSignal<Locale>,
    /// The transaction being rated.
    pub transaction: RwSignal<Option<Transaction>>,
    /// The customer's answers so far.
    pub draft: RwSignal<Draft>,
    /// Where the response is in its life.
    pub phase: RwSignal<Phase>,
    /// Whether the customer pressed submit while a problem remained.
    pub tried: RwSignal<bool>,
    /// The response id, fixed at the first submit so that a retry is recognisably the same.
    pub response_id: RwSignal<Option<String>>,
}

impl Controller {
    /// Fresh state: closed, nothing answered.
    pub fn new() -> Controller {
        Controller {
            open: RwSignal::new(false),
            locale: RwSignal::new(Locale::default()),
            transaction: RwSignal::new(None),
            draft: RwSignal::new(Draft::default()),
            phase: RwSignal::new(Phase::Editing),
            tried: RwSignal::new(false),
            response_id: RwSignal::new(None),
        }
    }

    /// The controller provided by the root component.
    pub fn expect() -> Controller {
        expect_context()
    }

    /// Starts rating `transaction`. A different transaction starts a new, empty response;
    /// the same one keeps what the customer typed (or its thank-you, once sent).
    pub fn begin(self, transaction: Transaction, locale: Locale) {
        let same = self
            .transaction
            .with_untracked(|t| t.as_ref().is_some_and(|t| t.id == transaction.id));
        if !same {
            self.draft.set(Draft::default());
            self.phase.set(Phase::Editing);
            self.tried.set(false);
            self.response_id.set(None);
            self.transaction.set(Some(transaction));
        }
        self.locale.set(locale);
        self.open.set(true);
    }
}

impl Default for Controller {
    fn default() -> Controller {
        Controller::new()
    }
}
