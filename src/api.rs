//! The JS API the loader calls: `boot` once with the script tag's `data-*` values, then
//! `open` and `close` (replayed in order from the loader's queue). None of these throws:
//! every problem becomes one `[survey-widget]` console error and a `survey-widget:error` event.

use std::cell::RefCell;

use std::sync::Arc;

use model::definition::Placement;
use model::{Definition, Locale, SignedTransaction, Transaction};
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use crate::config::{Config, string_field, unsupported_locale};
use crate::contract::{
    ATTR_TEST_RETRY_BASE_MS, EVENT_DISMISSED, EVENT_SHOWN, EVENT_SKIPPED, LOG_PREFIX, OPEN_FORCE,
    error_code,
};
use crate::delivery::{Decision, display_rules};
use crate::state::{Controller, Phase};
use crate::widget::{self, Target, Widget};
use crate::{host, submit};

struct Runtime {
    ctl: Controller,
    _widget: Widget,
    config: Config,
    /// The element inside the shadow root that the widget is mounted into.
    mount: HtmlElement,
    /// Where focus was when the survey opened; it goes back there on close.
    return_to: Option<HtmlElement>,
    /// `open` calls made while `data-survey` is still loading; replayed once it is in.
    waiting: Option<Vec<JsValue>>,
    /// Counts `close` calls, so that an open waiting for its delay is cancelled by one.
    closes: u32,
}

thread_local! {
    static RUNTIME: RefCell<Option<Runtime>> = const { RefCell::new(None) };
}

/// Validates the configuration and mounts the (closed) widget with its live region. Returns
/// whether the widget started; a bad configuration logs one console error and renders nothing.
#[wasm_bindgen]
pub fn boot(data: &JsValue) -> bool {
    if RUNTIME.with_borrow(Option::is_some) {
        return true;
    }
    let config = match Config::parse(data) {
        Ok(config) => config,
        Err(error) => {
            host::report_error(error_code::CONFIG, &error.message());
            return false;
        }
    };
    let Some(mount) = host::create_shadow_mount(None) else {
        host::report_error(
            error_code::CONFIG,
            "could not add the widget to the page: this browser lacks shadow DOM or constructable stylesheets",
        );
        return false;
    };
    if let Some(accent) = &config.accent {
        host::apply_accent(&mount, accent);
    }
    host::track_visual_viewport(&mount);
    let ctl = Controller::new(crate::survey::builtin());
    let widget = widget::mount(
        &mount,
        ctl,
        Target::Endpoint(config.endpoint.as_str().into()),
    );
    let source = config.survey.clone();
    RUNTIME.set(Some(Runtime {
        ctl,
        _widget: widget,
        config,
        mount,
        return_to: None,
        waiting: source.is_some().then(Vec::new),
        closes: 0,
    }));
    if let Some(source) = source {
        any_spawner::Executor::spawn_local(load_survey(source));
    }
    // Testing only: a faster retry schedule (docs/delivery.md). Anything unreadable is ignored.
    let base_ms = string_field(data, ATTR_TEST_RETRY_BASE_MS)
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|ms| (1..=crate::delivery::backoff::BASE_MS).contains(ms))
        .unwrap_or(crate::delivery::backoff::BASE_MS);
    // The loader boots on idle after load: flush what earlier pages left undelivered.
    submit::start(base_ms);
    true
}

/// Loads the `data-survey` definition, shows it (or, if it fails, keeps the built-in survey
/// and reports why), then replays the `open` calls that waited for it.
async fn load_survey(source: String) {
    let survey = match crate::survey::load(&source).await {
        Ok(survey) => Some(survey),
        Err(message) => {
            host::report_error(error_code::SURVEY, &message);
            None
        }
    };
    let Some((ctl, waiting, accent)) = RUNTIME.with_borrow_mut(|r| {
        r.as_mut()
            .map(|r| (r.ctl, r.waiting.take(), r.config.accent.is_none()))
    }) else {
        return;
    };
    if let Some(survey) = survey {
        if accent && let Some(colour) = &survey.display.accent {
            RUNTIME.with_borrow(|r| r.as_ref().map(|r| host::apply_accent(&r.mount, colour)));
        }
        ctl.update(|s| s.survey = Arc::new(survey));
    }
    for options in waiting.into_iter().flatten() {
        open(&options);
    }
}

/// `SurveyWidget.open({ transaction: { id, type, unit, token? }, locale?, force? })`. The
/// survey's display rules decide whether it is shown (`force: true` bypasses them); a skipped
/// open emits `survey-widget:skipped` and logs one `console.debug`.
#[wasm_bindgen]
pub fn open(options: &JsValue) {
    // While the survey definition loads, the call waits (in order) rather than showing the
    // built-in survey for a moment.
    let waited = RUNTIME.with_borrow_mut(|r| match r.as_mut().and_then(|r| r.waiting.as_mut()) {
        Some(waiting) => {
            waiting.push(options.clone());
            true
        }
        None => false,
    });
    if waited {
        return;
    }
    let Some((ctl, config, closes)) =
        RUNTIME.with_borrow(|r| r.as_ref().map(|r| (r.ctl, r.config.clone(), r.closes)))
    else {
        return;
    };
    let (transaction, locale) = match parse_open(options) {
        Ok(parsed) => parsed,
        Err(message) => {
            host::report_error(error_code::OPEN, &message);
            return;
        }
    };
    let locale = config.locale(locale);
    // Open already for this transaction: nothing to decide.
    if ctl.peek(|s| {
        s.open
            && s.transaction
                .as_ref()
                .is_some_and(|t| t.id == transaction.id)
    }) {
        return show(ctl, transaction, locale);
    }
    let force =
        js_sys::Reflect::get(options, &JsValue::from_str(OPEN_FORCE)).is_ok_and(|f| f.is_truthy());
    let survey = ctl.peek(|s| Arc::clone(&s.survey));
    let tx = Transaction {
        id: transaction.id.clone(),
        kind: transaction.kind.clone(),
        unit: String::new(),
    };
    let decision = submit::with_env(|env| {
        display_rules::decide(env, &survey.id, &survey.display.rules, &tx, force)
    });
    match decision {
        Decision::Skip(rule) => {
            let id = rule.id();
            web_sys::console::debug_1(&JsValue::from_str(
                &[LOG_PREFIX, "open(): not shown, rule ", id].concat(),
            ));
            host::emit(EVENT_SKIPPED, &host::object(&[("rule", id)]));
        }
        Decision::Show { delay_ms: 0 } => show(ctl, transaction, locale),
        Decision::Show { delay_ms } => later(
            delay_ms,
            Box::new(move || {
                // A close() meanwhile cancels it.
                if RUNTIME.with_borrow(|r| r.as_ref().is_some_and(|r| r.closes == closes)) {
                    show(ctl, transaction, locale);
                }
            }),
        ),
    }
}

/// Shows the survey for `transaction` and remembers that it was shown.
fn show(ctl: Controller, transaction: SignedTransaction, locale: Locale) {
    let survey = ctl.peek(|s| Arc::clone(&s.survey));
    submit::with_env(|env| display_rules::record_shown(env, &survey.id, &transaction.id));
    if !ctl.peek(|s| s.open) {
        let focused = host::focused_element();
        RUNTIME.with_borrow_mut(|r| {
            if let Some(r) = r {
                r.return_to = focused;
            }
        });
    }
    ctl.begin(transaction, locale);
    place(ctl.peek(|s| Arc::clone(&s.survey)).as_ref());
    // APG: focus lands on the first question's checked point, else its first control; once
    // sent, on the thank-you.
    let targets: &'static [&'static str] = if ctl.peek(|s| s.phase) == Phase::Sent {
        &["#sw-thanks"]
    } else {
        &[".sw-q0 input:checked", ".sw-q0 input, .sw-q0 textarea"]
    };
    after_render(Box::new(move |mount| {
        focus_first(mount, targets);
        host::emit(EVENT_SHOWN, &JsValue::NULL);
    }));
}

/// `SurveyWidget.close()`: the host closes the survey. The draft is kept.
#[wasm_bindgen(js_name = close)]
pub fn close_from_host() {
    close(false);
}

/// Closes the dialog and returns focus to where it was. A close by the customer before the
/// response was sent is a dismissal.
pub(crate) fn close(by_customer: bool) {
    let Some((ctl, return_to)) = RUNTIME.with_borrow_mut(|r| {
        r.as_mut().map(|r| {
            r.closes = r.closes.wrapping_add(1);
            (r.ctl, r.return_to.take())
        })
    }) else {
        return;
    };
    if !ctl.peek(|s| s.open) {
        return;
    }
    let had_focus = host::focus_is_inside() || host::focused_element().is_none();
    ctl.update(|s| s.open = false);
    if let Some(element) = return_to.filter(|_| had_focus) {
        host::restore_focus(&element);
    }
    // Closed before submitting: a dismissal, which starts the display rules' cooldown.
    if by_customer && matches!(ctl.peek(|s| s.phase), Phase::Editing | Phase::Failed(_)) {
        let survey = ctl.peek(|s| Arc::clone(&s.survey));
        submit::with_env(|env| display_rules::record_dismissed(env, &survey.id));
        host::emit(EVENT_DISMISSED, &JsValue::NULL);
    }
}

/// Runs `f` on the widget's mount element once the DOM has caught up with the state: in a
/// timer task, which runs after the microtasks that re-run the view's render effect.
fn after_render(f: Box<dyn FnOnce(&HtmlElement)>) {
    let Some(mount) = RUNTIME.with_borrow(|r| r.as_ref().map(|r| r.mount.clone())) else {
        return;
    };
    later(0, Box::new(move || f(&mount)));
}

/// Runs `f` in a timer task after `ms` milliseconds.
fn later(ms: u32, f: Box<dyn FnOnce()>) {
    let task = Closure::once_into_js(f);
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            task.unchecked_ref(),
            i32::try_from(ms).unwrap_or(i32::MAX),
        );
    }
}

/// Focuses the element matching the first of `selectors` that matches anything. (One selector
/// list would not do: `querySelector` takes the first match in document order, not in list
/// order.)
fn focus_first(mount: &HtmlElement, selectors: &[&str]) {
    for selector in selectors {
        if let Ok(Some(element)) = mount.query_selector(selector)
            && let Ok(element) = element.dyn_into::<HtmlElement>()
        {
            let _ = element.focus();
            return;
        }
    }
}

/// Focuses the element matching `selector` inside the widget once the DOM has caught up.
pub(crate) fn focus_after_render(selector: &'static str) {
    after_render(Box::new(move |mount| focus_first(mount, &[selector])));
}

/// After a blocked submit, focuses the first control of the question that needs attention.
pub(crate) fn focus_question(id: &str) {
    let selector = ["[data-question=\"", id, "\"] :is(input,textarea)"].concat();
    after_render(Box::new(move |mount| focus_first(mount, &[&selector])));
}

/// Puts the widget where the survey says: in the host element an inline survey names, else
/// back on `<body>` (corner or bottom sheet). A missing element is reported and the corner
/// is used.
fn place(survey: &Definition) {
    let Some(mount) = RUNTIME.with_borrow(|r| r.as_ref().map(|r| r.mount.clone())) else {
        return;
    };
    if let Placement::Inline(id) = &survey.display.placement
        && !host::place_inline(&mount, Some(id))
    {
        host::report_error(
            error_code::SURVEY,
            &[
                "display.placement.inline: the page has no element with id \"",
                id,
                "\"; the survey is shown in the corner",
            ]
            .concat(),
        );
    } else if !matches!(survey.display.placement, Placement::Inline(_)) {
        host::place_inline(&mount, None);
    }
}

fn parse_open(options: &JsValue) -> Result<(SignedTransaction, Option<Locale>), String> {
    const USAGE: &str =
        "open(): transaction is required: open({ transaction: { id, type, unit } })";
    let transaction = js_sys::Reflect::get(options, &JsValue::from_str("transaction"))
        .ok()
        .filter(JsValue::is_object)
        .ok_or_else(|| USAGE.to_owned())?;
    let field = |key| string_field(&transaction, key).unwrap_or_default();
    let transaction = SignedTransaction {
        id: field("id"),
        kind: field("type"),
        unit: field("unit"),
        token: string_field(&transaction, "token"),
    };
    if let Some(problem) = transaction.problems().first() {
        return Err(["open(): ", &problem.field, " ", &problem.message].concat());
    }
    let locale = match string_field(options, "locale") {
        None => None,
        Some(tag) => {
            Some(Locale::from_tag(&tag).ok_or_else(|| unsupported_locale("open(): locale", &tag))?)
        }
    };
    Ok((transaction, locale))
}
