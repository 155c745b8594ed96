//! The root component: a non-modal dialog with the rating, reasons, comment, submit and
//! thank-you, plus the live region that exists from mount.

use leptos::either::Either;
use leptos::prelude::*;
use model::{Answers, DEFAULT_SURVEY, Locale, Problem, ResponseV1, Survey, SurveyRef};

use crate::contract::{EVENT_SUBMITTED, WIDGET_VERSION, error_code};
use crate::host;
use crate::i18n::Strings;
use crate::rating_scale::RatingScale;
use crate::reason_tags::ReasonTags;
use crate::state::{Controller, Phase};
use crate::submit::{self, SubmitError};

/// The survey shown. Survey definitions loaded at run time come with a later issue.
const SURVEY: &Survey = &DEFAULT_SURVEY;
/// Id of the paragraph that explains what still stops a submit.
const HINT_ID: &str = "sw-hint";

/// The whole widget. Mounted once, at start; `Controller::open` shows and hides the dialog.
#[component]
pub fn Widget(
    /// The state, shared with the JS API.
    ctl: Controller,
    /// Where responses are POSTed.
    endpoint: String,
) -> impl IntoView {
    provide_context(ctl);
    let Controller {
        open,
        locale,
        draft,
        phase,
        tried,
        ..
    } = ctl;
    let problem = Memo::new(move |_| draft.with(|d| d.problem(SURVEY)));
    let status = move || {
        let t = Strings::of(locale.get());
        match phase.get() {
            Phase::Sending => t.sending,
            Phase::Sent => t.sent,
            Phase::Failed(error) => error_text(t, error),
            Phase::Editing => match problem.get() {
                Some(p) if tried.get() => t.problem(p),
                _ => "",
            },
        }
    };
    let endpoint = StoredValue::new(endpoint);

    // The dialog is rebuilt when it opens or its language changes, so that every text inside
    // it is a plain string rather than one more reactive closure (each costs wasm bytes).
    view! {
        <div class="sw" lang=move || locale.get().tag()>
            <div class="sw-vh" role="status" aria-live="polite" data-testid="live">{status}</div>
            {move || {
                open.get().then(|| view! { <Dialog locale=locale.get() problem endpoint /> })
            }}
        </div>
    }
}

/// The dialog in one language: the form, or the thank-you once sent.
#[component]
fn Dialog(
    /// The language of every text.
    locale: Locale,
    /// The first problem that stops a submit.
    problem: Memo<Option<Problem>>,
    /// Where responses are POSTed.
    endpoint: StoredValue<String>,
) -> impl IntoView {
    let ctl = Controller::expect();
    let Controller {
        draft,
        phase,
        tried,
        ..
    } = ctl;
    let t = Strings::of(locale);
    // A missing rating is only pointed out after a submit attempt; a missing reason and an
    // over-long comment are pointed out at once, before submit.
    let hint = Memo::new(move |_| match problem.get() {
        Some(Problem::RatingMissing) if !tried.get() => None,
        other => other,
    });
    let hint_id = Signal::derive(move || hint.get().map(|_| HINT_ID));
    let count = move || draft.with(|d| model::answers::char_count(&d.comment));
    let over = Memo::new(move |_| count() > SURVEY.comment_max_chars);
    // Plain closures over `Memo<bool>`s rather than `<Show>`: the same re-render only when the
    // condition flips, without Show's children and fallback wrappers in the wasm.
    let sent = Memo::new(move |_| phase.get() == Phase::Sent);
    let shows_reasons = Memo::new(move |_| draft.with(|d| d.shows_reasons(SURVEY)));

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if matches!(phase.get_untracked(), Phase::Sending | Phase::Sent) {
            return; // a double click sends once
        }
        match draft.with_untracked(|d| d.answers(SURVEY)) {
            Err(problem) => {
                tried.set(true);
                crate::api::focus_problem(problem);
            }
            Ok(answers) => {
                phase.set(Phase::Sending);
                leptos::task::spawn_local(deliver(ctl, endpoint.get_value(), answers));
            }
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.stop_propagation();
            crate::api::close(true);
        }
    };
    let close = move |_| crate::api::close(true);

    view! {
        <section
            class="sw-card"
            role="dialog"
            aria-labelledby="sw-title"
            data-testid="dialog"
            on:keydown=on_keydown
        >
            <header class="sw-head">
                <h2 id="sw-title" class="sw-title">{SURVEY.title.get(locale)}</h2>
                <button type="button" class="sw-close" aria-label=t.close data-testid="close" on:click=close>
                    <span aria-hidden="true">"×"</span>
                </button>
            </header>
            {move || if sent.get() {
                Either::Left(view! {
                    <div class="sw-thanks" data-testid="thanks">
                        <p id="sw-thanks" class="sw-thanks-text" tabindex="-1">{SURVEY.thanks.get(locale)}</p>
                        <button type="button" class="sw-button" on:click=close>{t.close}</button>
                    </div>
                })
            } else {
                Either::Right(view! {
                <form class="sw-form" novalidate on:submit=on_submit>
                    <RatingScale
                        survey=SURVEY
                        locale=locale
                        value=Signal::derive(move || draft.with(|d| d.rating))
                        on_change=Callback::new(move |score| draft.update(|d| d.rating = Some(score)))
                        described_by=Signal::derive(move || {
                            (hint.get() == Some(Problem::RatingMissing)).then_some(HINT_ID)
                        })
                    />
                    {move || shows_reasons.get().then(|| view! {
                        <ReasonTags
                            survey=SURVEY
                            locale=locale
                            chosen=Signal::derive(move || draft.with(|d| d.reasons.clone()))
                            on_toggle=Callback::new(move |id: &'static str| draft.update(|d| d.toggle_reason(id)))
                            described_by=hint_id
                        />
                    })}
                    <div class="sw-field">
                        <label class="sw-legend" for="sw-comment">{SURVEY.comment_label.get(locale)}</label>
                        <textarea
                            id="sw-comment"
                            class="sw-comment"
                            rows="3"
                            data-testid="comment"
                            placeholder=t.comment_placeholder
                            aria-describedby=move || match hint.get() {
                                Some(_) => "sw-count sw-hint",
                                None => "sw-count",
                            }
                            aria-invalid=move || over.get().then_some("true")
                            prop:value=move || draft.with(|d| d.comment.clone())
                            on:input=move |ev| draft.update(|d| d.comment = event_target_value(&ev))
                        ></textarea>
                        <p id="sw-count" class="sw-count" class:sw-over=over data-testid="counter">
                            {move || crate::i18n::decimal(count())}
                            "/"
                            {crate::i18n::decimal(SURVEY.comment_max_chars)}
                            <span class="sw-vh">" " {t.chars}</span>
                        </p>
                    </div>
                    <p id=HINT_ID class="sw-hint" data-testid="hint" hidden=move || hint.get().is_none()>
                        {move || hint.get().map(|p| t.problem(p))}
                    </p>
                    <p class="sw-error" data-testid="error" hidden=move || !matches!(phase.get(), Phase::Failed(_))>
                        {move || match phase.get() {
                            Phase::Failed(error) => error_text(t, error),
                            _ => "",
                        }}
                    </p>
                    <button
                        type="submit"
                        class="sw-button sw-submit"
                        data-testid="submit"
                        aria-disabled=move || {
                            (problem.get().is_some() || phase.get() == Phase::Sending).then_some("true")
                        }
                    >
                        {move || match phase.get() {
                            Phase::Sending => t.sending,
                            Phase::Failed(_) => t.retry,
                            _ => t.submit,
                        }}
                    </button>
                </form>
                })
            }}
        </section>
    }
}

fn error_text(t: &Strings, error: SubmitError) -> &'static str {
    match error {
        SubmitError::Network => t.error_network,
        SubmitError::Status(_) => t.error_server,
    }
}

/// Sends the response and moves the widget to its thank-you or its retry state.
async fn deliver(ctl: Controller, endpoint: String, answers: Answers) {
    let Controller {
        phase,
        locale,
        transaction,
        response_id,
        ..
    } = ctl;
    let Some(transaction) = transaction.get_untracked() else {
        phase.set(Phase::Editing);
        return;
    };
    let id = match response_id.get_untracked().or_else(host::uuid_v4) {
        Some(id) => id,
        None => {
            phase.set(Phase::Failed(SubmitError::Network));
            return;
        }
    };
    response_id.set(Some(id.clone()));
    let payload = ResponseV1 {
        response_id: id,
        survey: SurveyRef::of(SURVEY),
        transaction,
        answers,
        locale: locale.get_untracked(),
        submitted_at: host::now_rfc3339(),
        page: host::page_url(),
        widget_version: WIDGET_VERSION.to_owned(),
    };
    match submit::post(&endpoint, &payload).await {
        Ok(()) => {
            phase.set(Phase::Sent);
            host::emit(
                EVENT_SUBMITTED,
                &host::object(&[("response_id", &payload.response_id)]),
            );
            crate::api::focus_after_render("#sw-thanks");
        }
        Err(error) => {
            phase.set(Phase::Failed(error));
            host::report_error(error_code::SUBMIT, &error.message());
        }
    }
}
