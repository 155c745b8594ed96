//! The view: a non-modal dialog with the rating, reasons, comment, submit and thank-you, plus
//! the live region that exists from mount.
//!
//! One render effect reads the state. It builds the dialog's elements when the dialog opens
//! (again when the language or the response changes) and otherwise only updates the parts that
//! depend on the state, each when its value changes. See `dom.rs` for why this is not `view!`.

use std::rc::Rc;

use leptos::prelude::*;
use model::{Answers, DEFAULT_SURVEY, Locale, Problem, ResponseV1, Survey, SurveyRef};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlTextAreaElement, KeyboardEvent};

use crate::contract::{EVENT_SUBMITTED, WIDGET_VERSION, error_code};
use crate::dom::{Listener, child, flag, on, set, set_text, text};
use crate::host;
use crate::i18n::{Strings, decimal};
use crate::state::{Controller, Phase, State};
use crate::submit::{self, SubmitError};

/// The survey shown. Survey definitions loaded at run time come with a later issue.
const SURVEY: &Survey = &DEFAULT_SURVEY;
/// Id of the paragraph that explains what still stops a submit.
const HINT_ID: &str = "sw-hint";

/// The mounted widget. It stays on the page while this value lives.
pub struct Widget {
    _effect: RenderEffect<Ui>,
}

/// Mounts the widget, closed, into `parent`. `ctl` opens and closes it.
pub fn mount(parent: &Element, ctl: Controller, endpoint: String) -> Widget {
    // Effects re-run as tasks on the browser's microtask queue. Errs if already set up.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let root = child(parent, "div", &[("class", "sw")]);
    let live = child(
        &root,
        "div",
        &[
            ("class", "sw-vh"),
            ("role", "status"),
            ("aria-live", "polite"),
            ("data-testid", "live"),
        ],
    );
    let ui = Ui {
        root,
        live,
        status: "",
        locale: None,
        dialog: None,
        endpoint: endpoint.into(),
    };
    let effect = RenderEffect::new_with_value(
        move |ui: Option<Ui>| {
            let mut ui = ui.unwrap_or_else(|| wasm_bindgen::throw_str("no view"));
            ctl.state.with(|s| ui.sync(s, ctl));
            ui
        },
        Some(ui),
    );
    Widget { _effect: effect }
}

/// The root wrapper, its live region and the dialog while open.
struct Ui {
    root: Element,
    live: Element,
    status: &'static str,
    locale: Option<Locale>,
    dialog: Option<Dialog>,
    endpoint: Rc<str>,
}

impl Ui {
    fn sync(&mut self, s: &State, ctl: Controller) {
        let t = Strings::of(s.locale);
        let problem = s.problem(SURVEY);
        if self.locale != Some(s.locale) {
            self.locale = Some(s.locale);
            set(&self.root, "lang", Some(s.locale.tag()));
        }
        let key = (s.locale, s.generation);
        if !s.open || self.dialog.as_ref().is_some_and(|d| d.key != key) {
            self.dialog = None;
        }
        if s.open {
            let endpoint = &self.endpoint;
            let root = &self.root;
            self.dialog
                .get_or_insert_with(|| Dialog::build(root, s, ctl, endpoint))
                .sync(s, t, problem);
        }
        let status = match s.phase {
            Phase::Sending => t.sending,
            Phase::Sent => t.sent,
            Phase::Failed(error) => error_text(t, error),
            Phase::Editing => match problem {
                Some(p) if s.tried => t.problem(p),
                _ => "",
            },
        };
        if status != self.status {
            self.status = status;
            set_text(&self.live, status);
        }
    }
}

/// What the dialog's changing parts show; `Dialog::sync` writes only what differs.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Look {
    rating: Option<u8>,
    reasons: bool,
    blocked: bool,
    hint: Option<Problem>,
    count: usize,
    phase: Phase,
}

/// The dialog's elements for one language and one response.
struct Dialog {
    key: (Locale, u32),
    card: Element,
    stars: Vec<Element>,
    rating: Element,
    chosen: Element,
    reasons: Element,
    comment: Element,
    counter: Element,
    count: Element,
    hint: Element,
    error: Element,
    submit: Element,
    form: Element,
    thanks: Element,
    last: Option<Look>,
    _listeners: Vec<Listener>,
}

impl Drop for Dialog {
    fn drop(&mut self) {
        self.card.remove();
    }
}

impl Dialog {
    fn build(parent: &Element, s: &State, ctl: Controller, endpoint: &Rc<str>) -> Dialog {
        let locale = s.locale;
        let t = Strings::of(locale);
        let mut listeners = Vec::new();
        let card = child(
            parent,
            "section",
            &[
                ("class", "sw-card"),
                ("role", "dialog"),
                ("aria-labelledby", "sw-title"),
                ("data-testid", "dialog"),
            ],
        );
        listeners.push(on(&card, "keydown", |ev| {
            if ev.unchecked_ref::<KeyboardEvent>().key() == "Escape" {
                ev.stop_propagation();
                crate::api::close(true);
            }
        }));

        let head = child(&card, "header", &[("class", "sw-head")]);
        text(
            &child(&head, "h2", &[("id", "sw-title"), ("class", "sw-title")]),
            SURVEY.title.get(locale),
        );
        let close = child(
            &head,
            "button",
            &[
                ("type", "button"),
                ("class", "sw-close"),
                ("aria-label", t.close),
                ("data-testid", "close"),
            ],
        );
        text(&child(&close, "span", &[("aria-hidden", "true")]), "×");
        listeners.push(on(&close, "click", |_| crate::api::close(true)));

        let thanks = child(
            &card,
            "div",
            &[("class", "sw-thanks"), ("data-testid", "thanks")],
        );
        text(
            &child(
                &thanks,
                "p",
                &[
                    ("id", "sw-thanks"),
                    ("class", "sw-thanks-text"),
                    ("tabindex", "-1"),
                ],
            ),
            SURVEY.thanks.get(locale),
        );
        let done = child(
            &thanks,
            "button",
            &[("type", "button"), ("class", "sw-button")],
        );
        text(&done, t.close);
        listeners.push(on(&done, "click", |_| crate::api::close(true)));

        let form = child(&card, "form", &[("class", "sw-form"), ("novalidate", "")]);
        let endpoint = Rc::clone(endpoint);
        listeners.push(on(&form, "submit", move |ev| {
            ev.prevent_default();
            submit_pressed(ctl, &endpoint);
        }));

        // The rating: the WAI-ARIA APG "Rating Radio Group" pattern, built from native radio
        // inputs in a fieldset, so arrow keys move and select and Tab lands on the checked one.
        let rating = child(&form, "fieldset", &[("class", "sw-field")]);
        text(
            &child(&rating, "legend", &[("class", "sw-legend")]),
            SURVEY.rating_question.get(locale),
        );
        let row = child(&rating, "div", &[("class", "sw-stars")]);
        let label_of = |score| SURVEY.rating_label(score).map_or("", |l| l.get(locale));
        let mut stars = Vec::new();
        for score in 1..=SURVEY.max_score() {
            let star = child(&row, "label", &[("class", "sw-star")]);
            let radio = child(
                &star,
                "input",
                &[
                    ("type", "radio"),
                    ("name", "sw-rating"),
                    ("class", "sw-radio"),
                    ("data-testid", "rating-option"),
                ],
            );
            flag(&radio, "checked", s.draft.rating == Some(score));
            listeners.push(on(&radio, "change", move |_| {
                ctl.update(|s| s.draft.rating = Some(score));
            }));
            text(
                &child(
                    &star,
                    "span",
                    &[("class", "sw-star-glyph"), ("aria-hidden", "true")],
                ),
                "★",
            );
            text(
                &child(&star, "span", &[("class", "sw-vh")]),
                label_of(score),
            );
            stars.push(star);
        }
        let ends = child(
            &rating,
            "div",
            &[("class", "sw-scale-ends"), ("aria-hidden", "true")],
        );
        text(&child(&ends, "span", &[]), label_of(1));
        text(&child(&ends, "span", &[]), label_of(SURVEY.max_score()));
        let chosen = child(
            &rating,
            "p",
            &[
                ("class", "sw-chosen"),
                ("aria-hidden", "true"),
                ("data-testid", "rating-label"),
            ],
        );

        // The reason tags offered after a bad rating: a group of checkboxes shown as chips.
        let reasons = child(
            &form,
            "fieldset",
            &[("class", "sw-field"), ("data-testid", "reasons")],
        );
        text(
            &child(&reasons, "legend", &[("class", "sw-legend")]),
            SURVEY.reasons_question.get(locale),
        );
        let chips = child(&reasons, "div", &[("class", "sw-chips")]);
        for reason in SURVEY.reasons {
            let chip = child(&chips, "label", &[("class", "sw-chip")]);
            let id = reason.id;
            let check = child(
                &chip,
                "input",
                &[
                    ("type", "checkbox"),
                    ("class", "sw-check"),
                    ("data-testid", "reason-option"),
                    ("data-reason", id),
                ],
            );
            flag(&check, "checked", s.draft.reasons.iter().any(|r| r == id));
            listeners.push(on(&check, "change", move |_| {
                ctl.update(|s| s.draft.toggle_reason(id));
            }));
            text(&child(&chip, "span", &[]), reason.label.get(locale));
        }

        let field = child(&form, "div", &[("class", "sw-field")]);
        text(
            &child(
                &field,
                "label",
                &[("class", "sw-legend"), ("for", "sw-comment")],
            ),
            SURVEY.comment_label.get(locale),
        );
        let comment = child(
            &field,
            "textarea",
            &[
                ("id", "sw-comment"),
                ("class", "sw-comment"),
                ("rows", "3"),
                ("data-testid", "comment"),
                ("placeholder", t.comment_placeholder),
            ],
        );
        // A new textarea's value is its text content, set here as text.
        set_text(&comment, &s.draft.comment);
        listeners.push(on(&comment, "input", move |ev| {
            if let Some(area) = ev.target() {
                let value = area.unchecked_into::<HtmlTextAreaElement>().value();
                ctl.update(|s| s.draft.comment = value);
            }
        }));
        let counter = child(
            &field,
            "p",
            &[("id", "sw-count"), ("data-testid", "counter")],
        );
        let count = child(&counter, "span", &[]);
        text(
            &counter,
            &["/", &decimal(SURVEY.comment_max_chars)].concat(),
        );
        text(
            &child(&counter, "span", &[("class", "sw-vh")]),
            &[" ", t.chars].concat(),
        );

        let hint = child(
            &form,
            "p",
            &[
                ("id", HINT_ID),
                ("class", "sw-hint"),
                ("data-testid", "hint"),
            ],
        );
        let error = child(
            &form,
            "p",
            &[("class", "sw-error"), ("data-testid", "error")],
        );
        let submit = child(
            &form,
            "button",
            &[
                ("type", "submit"),
                ("class", "sw-button sw-submit"),
                ("data-testid", "submit"),
            ],
        );

        Dialog {
            key: (locale, s.generation),
            card,
            stars,
            rating,
            chosen,
            reasons,
            comment,
            counter,
            count,
            hint,
            error,
            submit,
            form,
            thanks,
            last: None,
            _listeners: listeners,
        }
    }

    fn sync(&mut self, s: &State, t: &Strings, problem: Option<Problem>) {
        let look = Look {
            rating: s.draft.rating,
            reasons: s.draft.shows_reasons(SURVEY),
            blocked: problem.is_some(),
            hint: s.hint(problem),
            count: model::answers::char_count(&s.draft.comment),
            phase: s.phase,
        };
        let last = self.last.replace(look);
        let changed = |was: Option<bool>| was != Some(true);
        let locale = self.key.0;

        if changed(last.map(|l| l.rating == look.rating)) {
            for (star, score) in self.stars.iter().zip(1..) {
                let on = look.rating.is_some_and(|r| r >= score);
                set(
                    star,
                    "class",
                    Some(if on { "sw-star sw-on" } else { "sw-star" }),
                );
            }
            let chosen = look.rating.and_then(|r| SURVEY.rating_label(r));
            set_text(&self.chosen, chosen.map_or("", |l| l.get(locale)));
        }
        if changed(last.map(|l| l.reasons == look.reasons)) {
            flag(&self.reasons, "hidden", !look.reasons);
        }
        if changed(last.map(|l| l.hint == look.hint)) {
            let described = look.hint.map(|_| HINT_ID);
            let rating_hint = look.hint == Some(Problem::RatingMissing);
            set(
                &self.rating,
                "aria-describedby",
                described.filter(|_| rating_hint),
            );
            set(&self.reasons, "aria-describedby", described);
            set(
                &self.comment,
                "aria-describedby",
                Some(if described.is_some() {
                    "sw-count sw-hint"
                } else {
                    "sw-count"
                }),
            );
            flag(&self.hint, "hidden", look.hint.is_none());
            set_text(&self.hint, look.hint.map_or("", |p| t.problem(p)));
        }
        if changed(last.map(|l| l.count == look.count)) {
            let over = look.count > SURVEY.comment_max_chars;
            set(&self.comment, "aria-invalid", over.then_some("true"));
            let class = if over { "sw-count sw-over" } else { "sw-count" };
            set(&self.counter, "class", Some(class));
            set_text(&self.count, &decimal(look.count));
        }
        if changed(last.map(|l| l.phase == look.phase && l.blocked == look.blocked)) {
            let sent = look.phase == Phase::Sent;
            flag(&self.form, "hidden", sent);
            flag(&self.thanks, "hidden", !sent);
            let failed = match look.phase {
                Phase::Failed(error) => error_text(t, error),
                _ => "",
            };
            flag(&self.error, "hidden", failed.is_empty());
            set_text(&self.error, failed);
            let busy = look.phase == Phase::Sending;
            let blocked = busy || look.blocked;
            set(&self.submit, "aria-disabled", blocked.then_some("true"));
            set_text(
                &self.submit,
                match look.phase {
                    Phase::Sending => t.sending,
                    Phase::Failed(_) => t.retry,
                    _ => t.submit,
                },
            );
        }
    }
}

fn error_text(t: &Strings, error: SubmitError) -> &'static str {
    match error {
        SubmitError::Network => t.error_network,
        SubmitError::Status(_) => t.error_server,
    }
}

/// Submit: sends the answers, or points at what stops them. A double click sends once.
fn submit_pressed(ctl: Controller, endpoint: &Rc<str>) {
    let (phase, answers) = ctl.peek(|s| (s.phase, s.draft.answers(SURVEY)));
    if matches!(phase, Phase::Sending | Phase::Sent) {
        return;
    }
    match answers {
        Err(problem) => {
            ctl.update(|s| s.tried = true);
            crate::api::focus_problem(problem);
        }
        Ok(answers) => {
            ctl.update(|s| s.phase = Phase::Sending);
            leptos::task::spawn_local(deliver(ctl, Rc::clone(endpoint), answers));
        }
    }
}

/// Sends the response and moves the widget to its thank-you or its retry state.
async fn deliver(ctl: Controller, endpoint: Rc<str>, answers: Answers) {
    let (transaction, locale, id) = ctl.peek(|s| {
        (
            s.transaction.clone(),
            s.locale,
            s.response_id.clone().or_else(host::uuid_v4),
        )
    });
    let (Some(transaction), Some(id)) = (transaction, id) else {
        ctl.update(|s| s.phase = Phase::Failed(SubmitError::Network));
        return;
    };
    ctl.update(|s| s.response_id = Some(id.clone()));
    let payload = ResponseV1 {
        response_id: id,
        survey: SurveyRef::of(SURVEY),
        transaction,
        answers,
        locale,
        submitted_at: host::now_rfc3339(),
        page: host::page_url(),
        widget_version: WIDGET_VERSION.to_owned(),
    };
    let result = submit::post(&endpoint, &payload).await;
    ctl.update(|s| {
        s.phase = match result {
            Ok(()) => Phase::Sent,
            Err(error) => Phase::Failed(error),
        }
    });
    match result {
        Ok(()) => {
            host::emit(
                EVENT_SUBMITTED,
                &host::object(&[("response_id", &payload.response_id)]),
            );
            crate::api::focus_after_render("#sw-thanks");
        }
        Err(error) => host::report_error(error_code::SUBMIT, &error.message()),
    }
}
