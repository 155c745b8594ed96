//! The reason tags offered after a bad rating: a group of checkboxes shown as chips.

use leptos::prelude::*;
use model::{Locale, Survey};

/// Multi-select reason tags.
#[component]
pub fn ReasonTags(
    /// The survey whose reasons are offered.
    survey: &'static Survey,
    /// The language of the labels.
    locale: Locale,
    /// The chosen reason ids.
    #[prop(into)]
    chosen: Signal<Vec<String>>,
    /// Called with the id of the reason toggled.
    on_toggle: Callback<&'static str>,
    /// Id of the element describing a problem with the reasons, if any.
    #[prop(into)]
    described_by: Signal<Option<&'static str>>,
) -> impl IntoView {
    let chips = survey
        .reasons
        .iter()
        .map(|reason| {
            let id = reason.id;
            view! {
                <label class="sw-chip">
                    <input
                        type="checkbox"
                        class="sw-check"
                        data-testid="reason-option"
                        data-reason=id
                        prop:checked=move || chosen.with(|c| c.iter().any(|r| r == id))
                        on:change=move |_| on_toggle.run(id)
                    />
                    <span>{reason.label.get(locale)}</span>
                </label>
            }
        })
        .collect_view();

    view! {
        <fieldset class="sw-field" aria-describedby=move || described_by.get() data-testid="reasons">
            <legend class="sw-legend">{survey.reasons_question.get(locale)}</legend>
            <div class="sw-chips">{chips}</div>
        </fieldset>
    }
}
