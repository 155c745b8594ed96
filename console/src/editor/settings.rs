//! The survey's own fields (id, languages, title, thank-you text) and its display settings.

use leptos::prelude::*;
use model::{Locale, definition::Placement};

use super::{
    Draft,
    fields::{FieldMessages, TextField, checkbox_field, input_field, locale_from, select_field},
};
use crate::{
    app::{Ui, t},
    edit::{self, TextAt},
    paths,
};

/// Id, default language, languages offered, title and thank-you text.
#[component]
pub fn SurveySettings() -> impl IntoView {
    let ui = Ui::expect();
    let id = super::Draft::expect().def.with_untracked(|d| d.id.clone());
    let locale_choices = || {
        Locale::ALL
            .into_iter()
            .map(|l| {
                let ui = Ui::expect();
                (
                    l.tag().to_owned(),
                    Signal::derive(move || ui.s().locale_name(l).to_owned()),
                )
            })
            .collect::<Vec<_>>()
    };
    let offered = Locale::ALL
        .into_iter()
        .enumerate()
        .map(|(i, locale)| {
            checkbox_field(
                paths::item("locales", i),
                Signal::derive(move || ui.s().locale_name(locale).to_owned()),
                true,
                move |d| d.locales.contains(&locale),
                move |d, on| edit::set_locale(d, locale, on),
            )
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="survey-section">
            <h2 id="survey-section">{move || ui.s().section_survey}</h2>
            <div class="row">
                <div class="field">
                    // The id is chosen when the survey is created and never changes: pages
                    // refer to it. (An id changed in the JSON view is an error: no publish.)
                    <label for=paths::control_id("id")>{move || ui.s().survey_id}</label>
                    <input id=paths::control_id("id") readonly aria-describedby=paths::message_id("id")
                        prop:value=id/>
                    <FieldMessages path="id".to_owned()/>
                </div>
                {select_field("default_locale".to_owned(), t(|s| s.default_locale), locale_choices(), true,
                    |d| d.default_locale.tag().to_owned(),
                    |d, v| if let Some(l) = locale_from(v) { d.default_locale = l; edit::set_locale(d, l, true); })}
            </div>
            <fieldset class="plain">
                <legend>{move || ui.s().locales}</legend>
                <div class="row">{offered}</div>
                <FieldMessages path="locales".to_owned()/>
            </fieldset>
            <TextField at=TextAt::Title label=t(|s| s.title)/>
            <TextField at=TextAt::Thanks label=t(|s| s.thanks) multiline=true/>
        </section>
    }
}

/// Placement, accent, large text and the display rules.
#[component]
pub fn DisplaySettings() -> impl IntoView {
    let ui = Ui::expect();
    let draft = Draft::expect();
    let inline = draft
        .def
        .with_untracked(|d| matches!(d.display.placement, Placement::Inline(_)));
    let placements = vec![
        ("corner".to_owned(), t(|s| s.corner)),
        ("bottom_sheet".to_owned(), t(|s| s.bottom_sheet)),
        ("inline".to_owned(), t(|s| s.inline)),
    ];
    let number = |name: &'static str,
                  label,
                  get: fn(&model::DisplayRules) -> String,
                  set: fn(&mut model::DisplayRules, &str)| {
        input_field(
            "number",
            format!("display.rules.{name}"),
            label,
            move |d| get(&d.display.rules),
            move |d, v| set(&mut d.display.rules, v),
        )
    };
    view! {
        <section class="card" aria-labelledby="display-section">
            <h2 id="display-section">{move || ui.s().section_display}</h2>
            <div class="row">
                {select_field("display.placement".to_owned(), t(|s| s.placement), placements, true,
                    |d| match &d.display.placement {
                        Placement::Corner => "corner",
                        Placement::BottomSheet => "bottom_sheet",
                        Placement::Inline(_) => "inline",
                    }.to_owned(),
                    |d, v| d.display.placement = match v {
                        "bottom_sheet" => Placement::BottomSheet,
                        "inline" => Placement::Inline(String::new()),
                        _ => Placement::Corner,
                    })}
                {inline.then(|| input_field("text", "display.placement.inline".to_owned(), t(|s| s.inline_id),
                    |d| match &d.display.placement { Placement::Inline(id) => id.clone(), _ => String::new() },
                    |d, v| d.display.placement = Placement::Inline(v.to_owned())))}
                {input_field("text", "display.accent".to_owned(), t(|s| s.accent),
                    |d| d.display.accent.clone().unwrap_or_default(),
                    |d, v| d.display.accent = (!v.trim().is_empty()).then(|| v.trim().to_owned()))}
            </div>
            {checkbox_field("display.large_text".to_owned(), t(|s| s.large_text), false,
                |d| d.display.large_text, |d, on| d.display.large_text = on)}
            <fieldset class="plain">
                <legend>{move || ui.s().rules}</legend>
                <div class="row">
                    {number("sample_rate", t(|s| s.sample_rate), |r| r.sample_rate.to_string(),
                        |r, v| if let Ok(n) = v.trim().parse() { r.sample_rate = n })}
                    {number("recontact_days", t(|s| s.recontact_days), |r| r.recontact_days.to_string(),
                        |r, v| if let Ok(n) = v.trim().parse() { r.recontact_days = n })}
                    {number("cooldown_days", t(|s| s.cooldown_days), |r| r.cooldown_days.to_string(),
                        |r, v| if let Ok(n) = v.trim().parse() { r.cooldown_days = n })}
                    {number("delay_ms", t(|s| s.delay_ms), |r| r.delay_ms.to_string(),
                        |r, v| if let Ok(n) = v.trim().parse() { r.delay_ms = n })}
                </div>
                {input_field("text", "display.rules.transaction_types".to_owned(), t(|s| s.transaction_types),
                    |d| d.display.rules.transaction_types.as_ref().map(|l| l.join(", ")).unwrap_or_default(),
                    |d, v| {
                        let list = edit::split_list(v);
                        d.display.rules.transaction_types = (!list.is_empty()).then_some(list);
                    })}
            </fieldset>
        </section>
    }
}
