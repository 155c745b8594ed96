//! The view: a non-modal dialog built from the survey definition (its title, each question by
//! type, the thank-you), plus the live region that exists from mount.
//!
//! One render effect reads the state. It builds the dialog's elements when the dialog opens
//! (again when the language, the survey or the response changes) and otherwise only updates
//! the parts that depend on the state, each when its value changes. See `dom.rs` for why this
//! is not `view!`. Every survey text is set as text, never parsed as HTML.

use std::rc::Rc;
use std::sync::Arc;

use model::definition::{
    AnswerProblem, AnswerProblemKind, ChoiceMode, LocalizedText, Question, RatingStyle,
};
use model::{Answer, Answers, Definition, Locale, QuestionType, ResponseV1};
use reactive_graph::{effect::RenderEffect, prelude::*};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, KeyboardEvent};

use crate::contract::WIDGET_VERSION;
use crate::dom::{Listener, child, flag, on, set, set_text, text};
use crate::host;
use crate::i18n::{Strings, decimal};
use crate::state::{Controller, Phase, State};
use crate::submit::{self, SubmitError};

/// Id of the paragraph that explains what still stops a submit.
const HINT_ID: &str = "sw-hint";

/// Where responses go: the configured endpoint, or nowhere in the Studio's preview, where
/// submit shows the thank-you without sending.
#[derive(Clone)]
pub enum Target {
    /// POST to this endpoint.
    Endpoint(Rc<str>),
    /// Send nothing; close and "done" start the survey again.
    Preview,
}

/// The mounted widget. It stays on the page while this value lives.
pub struct Widget {
    _effect: RenderEffect<Ui>,
}

/// Mounts the widget, closed, into `parent`. `ctl` opens and closes it.
pub fn mount(parent: &Element, ctl: Controller, target: Target) -> Widget {
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
        status: String::new(),
        locale: None,
        dialog: None,
        target,
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
    status: String,
    locale: Option<Locale>,
    dialog: Option<Dialog>,
    target: Target,
}

/// What a dialog was built for; a change rebuilds it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Key {
    locale: Locale,
    generation: u32,
    survey: *const Definition,
}

impl Ui {
    fn sync(&mut self, s: &State, ctl: Controller) {
        let t = Strings::of(s.locale);
        let problem = s.problem();
        if self.locale != Some(s.locale) {
            self.locale = Some(s.locale);
            set(&self.root, "lang", Some(s.locale.tag()));
        }
        let key = Key {
            locale: s.locale,
            generation: s.generation,
            survey: Arc::as_ptr(&s.survey),
        };
        if !s.open || self.dialog.as_ref().is_some_and(|d| d.key != key) {
            self.dialog = None;
        }
        if s.open {
            let target = &self.target;
            let root = &self.root;
            self.dialog
                .get_or_insert_with(|| Dialog::build(root, key, s, ctl, target))
                .sync(s, t, problem.as_ref());
        }
        let status = match s.phase {
            Phase::Sending => t.sending.to_owned(),
            Phase::Sent => t.sent.to_owned(),
            Phase::Saved => t.saved.to_owned(),
            Phase::Failed(error) => error_text(t, error).to_owned(),
            Phase::Editing => match &problem {
                Some(p) if s.tried => t.problem(p, s.survey.question(&p.question)),
                _ => String::new(),
            },
        };
        if status != self.status {
            set_text(&self.live, &status);
            self.status = status;
        }
    }
}

/// What the dialog's changing parts show; `Dialog::sync` writes only what differs.
#[derive(Clone, PartialEq)]
struct Look {
    shown: Vec<bool>,
    answers: Vec<Option<Answer>>,
    blocked: bool,
    hint: Option<(String, AnswerProblemKind)>,
    phase: Phase,
}

/// One question's elements.
struct Field {
    /// The question's box: a fieldset (or a div for a text question), hidden with its
    /// condition.
    group: Element,
    kind: FieldKind,
}

enum FieldKind {
    /// rating, nps, expectation: one radio per point.
    Scale {
        points: Vec<(i64, Element, HtmlInputElement)>,
        stars: bool,
        /// The chosen point's label, for labelled points shown as glyphs.
        chosen: Option<(Element, Vec<String>)>,
    },
    /// choice: a radio (single) or checkbox (multiple) per option, then "other".
    Choice {
        options: Vec<(String, HtmlInputElement)>,
        other: Option<(HtmlInputElement, HtmlInputElement)>,
    },
    /// text: the field, the counter and its number.
    Text {
        input: Element,
        counter: Element,
        count: Element,
        max: usize,
    },
}

/// The dialog's elements for one language, one survey and one response.
struct Dialog {
    key: Key,
    card: Element,
    fields: Vec<Field>,
    hint: Element,
    error: Element,
    submit: Element,
    form: Element,
    thanks: Element,
    thanks_text: Element,
    last: Option<Look>,
    _listeners: Vec<Listener>,
}

impl Drop for Dialog {
    fn drop(&mut self) {
        self.card.remove();
    }
}

/// Closes the dialog as the customer asked; in the preview, starts the survey again.
fn close_pressed(ctl: Controller, preview: bool) {
    if preview {
        ctl.update(|s| {
            s.answers = Answers::default();
            s.phase = Phase::Editing;
            s.tried = false;
            s.generation = s.generation.wrapping_add(1);
        });
    } else {
        crate::api::close(true);
    }
}

impl Dialog {
    fn build(parent: &Element, key: Key, s: &State, ctl: Controller, target: &Target) -> Dialog {
        let locale = s.locale;
        let survey = &s.survey;
        let t = Strings::of(locale);
        let preview = matches!(target, Target::Preview);
        let mut listeners = Vec::new();
        let display = &survey.display;
        let class = [
            "sw-card",
            // Inline placement is an attribute of the mount (`host::place_inline`).
            match display.placement {
                model::definition::Placement::BottomSheet => " sw-sheet",
                _ => "",
            },
            if display.large_text { " sw-large" } else { "" },
        ]
        .concat();
        let card = child(
            parent,
            "section",
            &[
                ("class", &class),
                ("role", "dialog"),
                ("aria-labelledby", "sw-title"),
                ("data-testid", "dialog"),
            ],
        );
        listeners.push(on(&card, "keydown", move |ev| {
            if ev.unchecked_ref::<KeyboardEvent>().key() == "Escape" {
                ev.stop_propagation();
                close_pressed(ctl, preview);
            }
        }));

        let head = child(&card, "header", &[("class", "sw-head")]);
        text(
            &child(&head, "h2", &[("id", "sw-title"), ("class", "sw-title")]),
            say(s, &survey.title),
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
        listeners.push(on(&close, "click", move |_| close_pressed(ctl, preview)));

        let thanks = child(
            &card,
            "div",
            &[("class", "sw-thanks"), ("data-testid", "thanks")],
        );
        let thanks_text = child(
            &thanks,
            "p",
            &[
                ("id", "sw-thanks"),
                ("class", "sw-thanks-text"),
                ("tabindex", "-1"),
            ],
        );
        let done = child(
            &thanks,
            "button",
            &[("type", "button"), ("class", "sw-button")],
        );
        text(&done, t.close);
        listeners.push(on(&done, "click", move |_| close_pressed(ctl, preview)));

        let form = child(&card, "form", &[("class", "sw-form"), ("novalidate", "")]);
        let target = target.clone();
        listeners.push(on(&form, "submit", move |ev| {
            ev.prevent_default();
            submit_pressed(ctl, &target);
        }));

        let fields = survey
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| build_field(&form, i, q, s, ctl, &mut listeners))
            .collect();

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
            key,
            card,
            fields,
            hint,
            error,
            submit,
            form,
            thanks,
            thanks_text,
            last: None,
            _listeners: listeners,
        }
    }

    fn sync(&mut self, s: &State, t: &Strings, problem: Option<&AnswerProblem>) {
        let survey = &s.survey;
        let hint = s.hint(problem.cloned());
        let look = Look {
            shown: survey.shown(&s.answers),
            answers: survey
                .questions
                .iter()
                .map(|q| s.answers.get(&q.id).cloned())
                .collect(),
            blocked: problem.is_some(),
            hint: hint.as_ref().map(|p| (p.question.clone(), p.kind)),
            phase: s.phase,
        };
        let last = self.last.replace(look.clone());

        for (i, field) in self.fields.iter().enumerate() {
            let was = last.as_ref();
            if was.is_none_or(|l| l.shown[i] != look.shown[i]) {
                flag(&field.group, "hidden", !look.shown[i]);
            }
            if was.is_none_or(|l| l.answers[i] != look.answers[i]) {
                field.show_answer(look.answers[i].as_ref());
            }
            let hinted = |l: &Look| {
                l.hint
                    .as_ref()
                    .is_some_and(|(q, _)| *q == survey.questions[i].id)
            };
            if was.is_none_or(|l| hinted(l) != hinted(&look)) {
                field.describe(hinted(&look));
            }
        }
        let changed =
            |same: fn(&Look, &Look) -> bool| last.as_ref().is_none_or(|l| !same(l, &look));
        if changed(|a, b| a.hint == b.hint) {
            flag(&self.hint, "hidden", hint.is_none());
            let message = hint
                .as_ref()
                .map(|p| t.problem(p, survey.question(&p.question)))
                .unwrap_or_default();
            set_text(&self.hint, &message);
        }
        if changed(|a, b| a.phase == b.phase && a.blocked == b.blocked) {
            // Saved for later is as final for the customer as sent: the form is done with.
            let sent = matches!(look.phase, Phase::Sent | Phase::Saved);
            flag(&self.form, "hidden", sent);
            flag(&self.thanks, "hidden", !sent);
            set_text(
                &self.thanks_text,
                if look.phase == Phase::Saved {
                    t.saved
                } else {
                    say(s, &survey.thanks)
                },
            );
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

/// The glyph of point `index` (of `count`) in a rating's style; `None` shows the label.
fn glyph(style: RatingStyle, value: i64, index: usize, count: usize) -> Option<String> {
    const FACES: [&str; 5] = ["😞", "🙁", "😐", "🙂", "😄"];
    match style {
        RatingStyle::Stars => Some("★".to_owned()),
        RatingStyle::Faces => {
            let at = if count > 1 {
                index * 4 / (count - 1)
            } else {
                2
            };
            Some(FACES[at.min(4)].to_owned())
        }
        RatingStyle::Numbers => Some(number(value)),
        RatingStyle::Labels => None,
    }
}

fn number(value: i64) -> String {
    let digits = decimal(value.unsigned_abs() as usize);
    if value < 0 {
        ["−", &digits].concat()
    } else {
        digits
    }
}

fn build_field(
    form: &Element,
    index: usize,
    q: &Question,
    s: &State,
    ctl: Controller,
    listeners: &mut Vec<Listener>,
) -> Field {
    let locale = s.locale;
    let first = if index == 0 { " sw-q0" } else { "" };
    let is_text = q.kind == QuestionType::Text;
    let testid = match q.kind {
        QuestionType::Choice => "reasons",
        QuestionType::Text => "comment-field",
        _ => "rating",
    };
    let group = child(
        form,
        if is_text { "div" } else { "fieldset" },
        &[
            ("class", &["sw-field", first].concat()),
            ("data-question", &q.id),
            ("data-testid", testid),
        ],
    );
    let id: Rc<str> = q.id.as_str().into();
    let name = ["sw-", &q.id].concat();
    let kind = match (q.kind, q.scale()) {
        (QuestionType::Text, _) => {
            let input_id = ["sw-input-", &q.id].concat();
            let count_id = ["sw-count-", &q.id].concat();
            text(
                &child(
                    &group,
                    "label",
                    &[("class", "sw-legend"), ("for", &input_id)],
                ),
                say(s, &q.text),
            );
            let placeholder = q
                .placeholder
                .as_ref()
                .map_or_else(|| Strings::of(locale).comment_placeholder, |p| say(s, p));
            let input = if q.is_multiline() {
                child(
                    &group,
                    "textarea",
                    &[
                        ("id", &input_id),
                        ("class", "sw-comment"),
                        ("rows", "3"),
                        ("data-testid", "comment"),
                        ("placeholder", placeholder),
                        ("aria-describedby", &count_id),
                    ],
                )
            } else {
                child(
                    &group,
                    "input",
                    &[
                        ("id", &input_id),
                        ("type", "text"),
                        ("class", "sw-comment sw-line"),
                        ("data-testid", "comment"),
                        ("placeholder", placeholder),
                        ("aria-describedby", &count_id),
                    ],
                )
            };
            let id = Rc::clone(&id);
            listeners.push(on(&input, "input", move |ev| {
                if let Some(field) = ev.target() {
                    let value = js_sys::Reflect::get(&field, &"value".into())
                        .ok()
                        .and_then(|v| v.as_string())
                        .unwrap_or_default();
                    ctl.update(|s| *s.answers.text_mut(&id) = value);
                }
            }));
            let max = q.text_max_chars() as usize;
            let counter = child(
                &group,
                "p",
                &[("id", &count_id), ("data-testid", "counter")],
            );
            let count = child(&counter, "span", &[]);
            text(&counter, &["/", &decimal(max)].concat());
            text(
                &child(&counter, "span", &[("class", "sw-vh")]),
                &[" ", Strings::of(locale).chars].concat(),
            );
            FieldKind::Text {
                input,
                counter,
                count,
                max,
            }
        }
        (_, Some((low, high))) => {
            text(
                &child(&group, "legend", &[("class", "sw-legend")]),
                say(s, &q.text),
            );
            let style = if q.kind == QuestionType::Rating {
                q.rating_style()
            } else if q.kind == QuestionType::Nps {
                RatingStyle::Numbers
            } else {
                RatingStyle::Labels
            };
            let labels: Option<Vec<String>> = q
                .point_labels()
                .map(|l| l.iter().map(|t| say(s, t).to_owned()).collect());
            let ends = q.scale_end_labels();
            let count = (high - low + 1) as usize;
            let row_class = match style {
                RatingStyle::Stars => "sw-stars",
                RatingStyle::Labels => "sw-chips sw-scale",
                RatingStyle::Faces => "sw-stars sw-points sw-faces",
                RatingStyle::Numbers => "sw-stars sw-points",
            };
            let row = child(&group, "div", &[("class", row_class)]);
            let mut points = Vec::with_capacity(count);
            for (i, value) in (low..=high).enumerate() {
                let label_class = if style == RatingStyle::Labels {
                    "sw-chip"
                } else {
                    "sw-star"
                };
                let point = child(&row, "label", &[("class", label_class)]);
                let radio: HtmlInputElement = child(
                    &point,
                    "input",
                    &[
                        ("type", "radio"),
                        ("name", &name),
                        ("class", "sw-radio"),
                        ("value", &number(value)),
                        ("data-testid", "rating-option"),
                    ],
                )
                .unchecked_into();
                let id = Rc::clone(&id);
                listeners.push(on(&radio, "change", move |_| {
                    ctl.update(|s| s.answers.set(&id, Answer::Number(value)));
                }));
                // The accessible name: the point's label, else its number with the end label.
                let label = labels.as_ref().and_then(|l| l.get(i)).cloned();
                let end = ends.as_ref().and_then(|e| {
                    if value == low {
                        Some(say(s, &e.low))
                    } else if value == high {
                        Some(say(s, &e.high))
                    } else {
                        None
                    }
                });
                let name = label.clone().unwrap_or_else(|| match end {
                    Some(end) => [&number(value), " ", end].concat(),
                    None => number(value),
                });
                match glyph(style, value, i, count) {
                    Some(g) => {
                        text(
                            &child(
                                &point,
                                "span",
                                &[("class", "sw-star-glyph"), ("aria-hidden", "true")],
                            ),
                            &g,
                        );
                        text(&child(&point, "span", &[("class", "sw-vh")]), &name);
                    }
                    None => text(&child(&point, "span", &[]), &name),
                }
                points.push((value, point, radio));
            }
            let (low_end, high_end) = match (&ends, &labels) {
                (Some(e), _) => (say(s, &e.low).to_owned(), say(s, &e.high).to_owned()),
                (None, Some(l)) if style != RatingStyle::Labels => (
                    l.first().cloned().unwrap_or_default(),
                    l.last().cloned().unwrap_or_default(),
                ),
                _ => (String::new(), String::new()),
            };
            if !low_end.is_empty() || !high_end.is_empty() {
                let ends = child(
                    &group,
                    "div",
                    &[("class", "sw-scale-ends"), ("aria-hidden", "true")],
                );
                text(&child(&ends, "span", &[]), &low_end);
                text(&child(&ends, "span", &[]), &high_end);
            }
            let chosen = labels
                .filter(|_| style != RatingStyle::Labels)
                .map(|labels| {
                    let chosen = child(
                        &group,
                        "p",
                        &[
                            ("class", "sw-chosen"),
                            ("aria-hidden", "true"),
                            ("data-testid", "rating-label"),
                        ],
                    );
                    (chosen, labels)
                });
            FieldKind::Scale {
                points,
                stars: style == RatingStyle::Stars,
                chosen,
            }
        }
        _ => {
            text(
                &child(&group, "legend", &[("class", "sw-legend")]),
                say(s, &q.text),
            );
            let single = q.choice_mode() == ChoiceMode::Single;
            let kind = if single { "radio" } else { "checkbox" };
            let chips = child(&group, "div", &[("class", "sw-chips")]);
            let make = |option: &str, label: &str| -> HtmlInputElement {
                let chip = child(&chips, "label", &[("class", "sw-chip")]);
                let input: HtmlInputElement = child(
                    &chip,
                    "input",
                    &[
                        ("type", kind),
                        ("name", &name),
                        ("class", "sw-check"),
                        ("data-testid", "reason-option"),
                        ("data-reason", option),
                    ],
                )
                .unchecked_into();
                text(&child(&chip, "span", &[]), label);
                input
            };
            let mut options = Vec::new();
            for option in q.options.iter().flatten() {
                let input = make(&option.id, say(s, &option.label));
                let id = Rc::clone(&id);
                let option_id = option.id.clone();
                listeners.push(on(&input, "change", move |_| {
                    ctl.update(|s| toggle_option(&mut s.answers, &id, &option_id, single));
                }));
                options.push((option.id.clone(), input));
            }
            let other = q.other.as_ref().map(|other| {
                // "(other)" is never an option id (ids are a-z 0-9 _ -).
                let check = make("(other)", say(s, &other.label));
                let text_input: HtmlInputElement = child(
                    &group,
                    "input",
                    &[
                        ("type", "text"),
                        ("class", "sw-comment sw-line sw-other"),
                        ("aria-label", say(s, &other.label)),
                        ("data-testid", "other-text"),
                        (
                            "placeholder",
                            other.placeholder.as_ref().map_or("", |p| say(s, p)),
                        ),
                    ],
                )
                .unchecked_into();
                let id_check = Rc::clone(&id);
                listeners.push(on(&check, "change", move |ev| {
                    let on = ev
                        .target()
                        .is_some_and(|t| t.unchecked_into::<HtmlInputElement>().checked());
                    ctl.update(|s| set_other(&mut s.answers, &id_check, Some(on), None, single));
                }));
                let id_text = Rc::clone(&id);
                listeners.push(on(&text_input, "input", move |ev| {
                    if let Some(t) = ev.target() {
                        let value = t.unchecked_into::<HtmlInputElement>().value();
                        ctl.update(|s| {
                            set_other(&mut s.answers, &id_text, None, Some(value), single);
                        });
                    }
                }));
                (check, text_input)
            });
            FieldKind::Choice { options, other }
        }
    };
    Field { group, kind }
}

/// Selects or deselects `option` of choice `id`. A single choice holds one option.
fn toggle_option(answers: &mut Answers, id: &str, option: &str, single: bool) {
    if single {
        answers.set(id, Answer::Choices(vec![option.to_owned()]));
        return;
    }
    let list = answers.choices_mut(id);
    match list.iter().position(|o| o == option) {
        Some(at) => {
            list.remove(at);
        }
        None => list.push(option.to_owned()),
    }
}

/// Selects or deselects "other" of choice `id` (`on`), or changes its text. Its text is kept
/// while it is deselected, so nothing typed is lost.
fn set_other(
    answers: &mut Answers,
    id: &str,
    on: Option<bool>,
    text: Option<String>,
    single: bool,
) {
    let (selected, was_on, old) = match answers.get(id) {
        Some(Answer::ChoicesWithOther(c)) => (c.selected.clone(), true, c.other.clone()),
        Some(Answer::Choices(list)) => (list.clone(), false, String::new()),
        _ => (Vec::new(), false, String::new()),
    };
    let on = on.unwrap_or(was_on || text.is_some());
    let other = text.unwrap_or(old);
    let selected = if single && on { Vec::new() } else { selected };
    answers.set(
        id,
        if on {
            Answer::ChoicesWithOther(model::answers::ChoicesWithOther { selected, other })
        } else {
            Answer::Choices(selected)
        },
    );
}

impl Field {
    /// Shows `answer` in the question's controls.
    fn show_answer(&self, answer: Option<&Answer>) {
        match &self.kind {
            FieldKind::Scale {
                points,
                stars,
                chosen,
            } => {
                let value = answer.and_then(Answer::number);
                for (i, (v, point, radio)) in points.iter().enumerate() {
                    radio.set_checked(value == Some(*v));
                    let on = if *stars {
                        value.is_some_and(|n| n >= *v)
                    } else {
                        value == Some(*v)
                    };
                    let class = point.get_attribute("class").unwrap_or_default();
                    let base = class.trim_end_matches(" sw-on");
                    set(
                        point,
                        "class",
                        Some(&if on {
                            [base, " sw-on"].concat()
                        } else {
                            base.to_owned()
                        }),
                    );
                    if let Some((chosen, labels)) = chosen.as_ref().filter(|_| value == Some(*v)) {
                        set_text(chosen, labels.get(i).map_or("", String::as_str));
                    }
                }
                if let Some((chosen, _)) = chosen.as_ref().filter(|_| value.is_none()) {
                    set_text(chosen, "");
                }
            }
            FieldKind::Choice { options, other } => {
                let selected = answer.map_or(&[][..], Answer::selected);
                for (id, input) in options {
                    input.set_checked(selected.contains(id));
                }
                if let Some((check, text_input)) = other {
                    let (on, text) = match answer {
                        Some(Answer::ChoicesWithOther(c)) => (true, c.other.as_str()),
                        _ => (false, ""),
                    };
                    check.set_checked(on);
                    flag(text_input, "hidden", !on);
                    if text_input.value() != text && on {
                        text_input.set_value(text);
                    }
                }
            }
            FieldKind::Text {
                input,
                counter,
                count,
                max,
            } => {
                let value = match answer {
                    Some(Answer::Text(t)) => t.as_str(),
                    _ => "",
                };
                let field = input.unchecked_ref::<HtmlInputElement>();
                if js_sys::Reflect::get(field, &"value".into())
                    .ok()
                    .and_then(|v| v.as_string())
                    .as_deref()
                    != Some(value)
                {
                    let _ = js_sys::Reflect::set(field, &"value".into(), &value.into());
                }
                let n = model::answers::char_count(value);
                let over = n > *max;
                set(input, "aria-invalid", over.then_some("true"));
                set(
                    counter,
                    "class",
                    Some(if over { "sw-count sw-over" } else { "sw-count" }),
                );
                set_text(count, &decimal(n));
            }
        }
    }

    /// Points the question at the hint paragraph, or stops doing so.
    fn describe(&self, hinted: bool) {
        match &self.kind {
            FieldKind::Text { input, counter, .. } => {
                let count_id = counter.id();
                let ids = if hinted {
                    [&count_id, " ", HINT_ID].concat()
                } else {
                    count_id
                };
                set(input, "aria-describedby", Some(&ids));
            }
            _ => set(&self.group, "aria-describedby", hinted.then_some(HINT_ID)),
        }
        set(&self.group, "data-invalid", hinted.then_some("true"));
    }
}

fn error_text(t: &Strings, error: SubmitError) -> &'static str {
    match error {
        SubmitError::Network => t.error_network,
        SubmitError::Status(_) => t.error_server,
    }
}

/// Submit: sends the answers, or points at what stops them. A double click sends once.
fn submit_pressed(ctl: Controller, target: &Target) {
    let (phase, problem, answers) = ctl.peek(|s| (s.phase, s.problem(), s.submitted()));
    if matches!(phase, Phase::Sending | Phase::Sent | Phase::Saved) {
        return;
    }
    if let Some(problem) = problem {
        ctl.update(|s| s.tried = true);
        crate::api::focus_question(&problem.question);
        return;
    }
    match target {
        Target::Preview => {
            ctl.update(|s| s.phase = Phase::Sent);
            crate::api::focus_after_render("#sw-thanks");
        }
        Target::Endpoint(endpoint) => {
            ctl.update(|s| s.phase = Phase::Sending);
            deliver(ctl, endpoint, answers);
        }
    }
}

/// Builds the response and hands it to the outbox (`submit.rs`), which sends it and moves the
/// widget to its thank-you, saved or retry state.
fn deliver(ctl: Controller, endpoint: &str, answers: Answers) {
    let (transaction, locale, id, survey) = ctl.peek(|s| {
        (
            s.transaction.clone(),
            s.locale,
            s.response_id.clone().or_else(host::uuid_v4),
            s.survey.survey_ref(),
        )
    });
    let (Some(transaction), Some(id)) = (transaction, id) else {
        ctl.update(|s| s.phase = Phase::Failed(SubmitError::Network));
        return;
    };
    ctl.update(|s| s.response_id = Some(id.clone()));
    let payload = ResponseV1 {
        response_id: id,
        survey,
        transaction,
        answers,
        locale,
        submitted_at: host::now_rfc3339(),
        page: host::page_url(),
        widget_version: WIDGET_VERSION.to_owned(),
    };
    submit::submit(ctl, endpoint, &payload);
}

/// A survey text in the state's locale, falling back to the survey's default locale.
fn say<'a>(s: &'a State, text: &'a LocalizedText) -> &'a str {
    s.survey.text(text, s.locale)
}
