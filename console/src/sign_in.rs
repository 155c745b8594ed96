//! Sign-in: an API token (docs/collector.md, "API tokens"), checked by listing the surveys.

use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    api::{self, ApiError},
    app::{Session, Ui},
};

/// The sign-in form. A token the collector refuses gets a clear message; the token is kept in
/// `sessionStorage` only after the collector accepted it.
#[component]
pub fn SignIn() -> impl IntoView {
    let ui = Ui::expect();
    let session = Session::expect();
    let token = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let message = RwSignal::new(session.notice.get_untracked().map(|f| f(ui.s()).to_owned()));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = token.get_untracked().trim().to_owned();
        if value.is_empty() {
            message.set(Some(ui.s().token_empty.to_owned()));
            return;
        }
        busy.set(true);
        message.set(Some(ui.s().signing_in.to_owned()));
        leptos::task::spawn_local(async move {
            let result = api::list(&value).await;
            busy.set(false);
            let s = ui.s();
            match result {
                Ok(_) => session.sign_in(value),
                Err(ApiError::Unauthorized) => message.set(Some(s.wrong_token.to_owned())),
                Err(ApiError::Network) => message.set(Some(s.network_error.to_owned())),
                Err(other) => message.set(Some(other.describe(s))),
            }
        });
    };
    view! {
        <section class="sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">{move || ui.s().sign_in_title}</h1>
            <p id="sign-in-intro">{move || ui.s().sign_in_intro}</p>
            <form on:submit=submit novalidate>
                <label for="token">{move || ui.s().token_label}</label>
                <input id="token" name="token" type="password" autocomplete="off" spellcheck="false"
                    data-testid="token" aria-describedby="sign-in-intro sign-in-message"
                    aria-invalid=move || if message.get().is_some() && !busy.get() { "true" } else { "false" }
                    on:input=move |ev| token.set(event_target_value(&ev))/>
                <button type="submit" class="primary" data-testid="sign-in" disabled=move || busy.get()>
                    {move || ui.s().sign_in}
                </button>
            </form>
            <p id="sign-in-message" class="message" role="status" aria-live="polite" data-testid="sign-in-message">
                {move || message.get()}
            </p>
        </section>
    }
}
