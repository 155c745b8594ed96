//! The satisfaction rating: the WAI-ARIA APG "Rating Radio Group" pattern, built from native
//! radio inputs in a fieldset, so arrow keys move and select and Tab lands on the checked one.

use leptos::prelude::*;
use model::{Locale, Survey};

/// A 1..=N rating scale, lowest score on the left.
#[component]
pub fn RatingScale(
    /// The survey whose scale and labels are shown.
    survey: &'static Survey,
    /// The language of the labels.
    locale: Locale,
    /// The chosen score.
    #[prop(into)]
    value: Signal<Option<u8>>,
    /// Called with the score the customer chooses.
    on_change: Callback<u8>,
    /// Id of the element describing a problem with the rating, if any.
    #[prop(into)]
    described_by: Signal<Option<&'static str>>,
) -> impl IntoView {
    let chosen_label = move || {
        value
            .get()
            .and_then(|score| survey.rating_label(score))
            .map(|t| t.get(locale))
    };
    let options = (1..=survey.max_score())
        .map(|score| {
            let label = survey.rating_label(score).map(|t| t.get(locale));
            view! {
                <label class="sw-star" class:sw-on=move || value.get().is_some_and(|v| v >= score)>
                    <input
                        type="radio"
                        name="sw-rating"
                        class="sw-radio"
                        data-testid="rating-option"
                        prop:checked=move || value.get() == Some(score)
                        on:change=move |_| on_change.run(score)
                    />
                    <span class="sw-star-glyph" aria-hidden="true">"★"</span>
                    <span class="sw-vh">{label}</span>
                </label>
            }
        })
        .collect_view();
    let first_label = survey.rating_label(1).map(|t| t.get(locale));
    let last_label = move || {
        survey
            .rating_label(survey.max_score())
            .map(|t| t.get(locale))
    };

    view! {
        <fieldset class="sw-field" aria-describedby=move || described_by.get()>
            <legend class="sw-legend">{survey.rating_question.get(locale)}</legend>
            <div class="sw-stars">{options}</div>
            <div class="sw-scale-ends" aria-hidden="true">
                <span>{first_label}</span>
                <span>{last_label}</span>
            </div>
            <p class="sw-chosen" aria-hidden="true" data-testid="rating-label">{chosen_label}</p>
        </fieldset>
    }
}
