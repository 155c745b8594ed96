//! The JSON view for power users: the draft as JSON; an edit that reads as a definition
//! replaces the draft (and so the form), one that does not is shown as an error and blocks
//! publish until it is fixed or the view is left.

use leptos::prelude::*;
use model::{Definition, FieldError, Locale};

use super::Draft;
use crate::{app::Ui, i18n::Strings};

/// What the JSON view says about text that does not read as a definition: where, and what
/// (in the UI language).
pub fn describe(s: &Strings, error: &FieldError, locale: Locale) -> String {
    let message = error.message_in(locale);
    if error.field.is_empty() {
        [s.json_invalid, &message].concat()
    } else {
        [s.json_invalid, &error.field, " ", &message].concat()
    }
}

/// The JSON editor.
#[component]
pub fn JsonView() -> impl IntoView {
    let ui = Ui::expect();
    let draft = Draft::expect();
    let initial = draft.def.with_untracked(Definition::to_json);
    let input = move |ev| {
        let text = event_target_value(&ev);
        match Definition::from_json(&text) {
            Ok(def) => {
                draft.json_error.set(None);
                draft.def.set(def);
                draft.shape.update(|n| *n += 1);
            }
            Err(error) => draft.json_error.set(Some(error)),
        }
    };
    view! {
        <div class="json-view">
            <label for="json">{move || ui.s().json_label}</label>
            <p id="json-hint" class="hint">{move || ui.s().json_hint}</p>
            <textarea id="json" data-testid="json" spellcheck="false" rows="30"
                aria-describedby="json-hint json-message"
                aria-invalid=move || if draft.json_error.with(Option::is_some) { "true" } else { "false" }
                prop:value=initial on:input=input></textarea>
            <p id="json-message" class="message error" role="status" aria-live="polite" data-testid="json-message">
                {move || draft.json_error.with(|e| e.as_ref().map(|e| describe(ui.s(), e, ui.0.get())))}
            </p>
        </div>
    }
}
