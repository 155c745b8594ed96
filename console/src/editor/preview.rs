//! The live preview: the real widget (`survey_widget::preview::Preview`) showing the draft,
//! interactive and sending nothing, at desktop or 375 px phone width, in zh-CN or en, with or
//! without large text. A draft with errors is not shown (the widget renders only valid
//! definitions, as it does for customers); the preview keeps the last valid one.

use leptos::{html::Div, prelude::*};
use model::Locale;
use survey_widget::preview::Preview;

use super::Draft;
use crate::app::Ui;

/// The preview pane.
#[component]
pub fn PreviewPane() -> impl IntoView {
    let ui = Ui::expect();
    let draft = Draft::expect();
    let phone = RwSignal::new(false);
    let locale = RwSignal::new(draft.def.with_untracked(|d| d.default_locale));
    let large = RwSignal::new(draft.def.with_untracked(|d| d.display.large_text));
    // The survey's own large-text setting moves the switch; the switch alone only previews.
    Effect::new(move |previous: Option<bool>| {
        let setting = draft.def.with(|d| d.display.large_text);
        if previous.is_some_and(|p| p != setting) {
            large.set(setting);
        }
        setting
    });
    let stage = NodeRef::<Div>::new();
    let preview = StoredValue::new_local(None::<Preview>);
    // The widget's own render effect must belong to this component, not to the effect below:
    // an effect disposes what it created each time it runs again.
    let owner = Owner::current();
    Effect::new(move |_| {
        let (locale, large) = (locale.get(), large.get());
        let Some(def) = draft
            .def
            .with(|d| draft.report.with(|r| r.is_valid().then(|| d.clone())))
        else {
            return;
        };
        let Some(stage) = stage.get() else { return };
        preview.update_value(|p| match p {
            Some(p) => p.set(def, locale, large),
            None => {
                let mount = || Preview::mount(&stage, def, locale, large);
                *p = match &owner {
                    Some(owner) => owner.with(mount),
                    None => mount(),
                };
            }
        });
    });
    let width = move |value: bool, testid: &'static str, name: crate::app::Text| {
        view! {
            <button type="button" data-testid=testid aria-pressed=move || if phone.get() == value { "true" } else { "false" }
                on:click=move |_| phone.set(value)>
                {move || name(ui.s())}
            </button>
        }
    };
    let language = move |value: Locale| {
        view! {
            <button type="button" data-testid=format!("preview-{}", value.tag()) lang=value.tag()
                aria-pressed=move || if locale.get() == value { "true" } else { "false" }
                on:click=move |_| locale.set(value)>
                {value.tag()}
            </button>
        }
    };
    view! {
        <section class="preview" aria-labelledby="preview-title" data-testid="preview">
            <h2 id="preview-title">{move || ui.s().preview}</h2>
            <div class="row preview-tools">
                <div role="group" aria-label=move || ui.s().preview_width class="toggle">
                    {width(false, "preview-desktop", |s| s.preview_desktop)}
                    {width(true, "preview-phone", |s| s.preview_phone)}
                </div>
                <div role="group" aria-label=move || ui.s().preview_locale class="toggle">
                    {language(Locale::ZhCn)}
                    {language(Locale::En)}
                </div>
                <div class="field check">
                    <input id="preview-large" type="checkbox" data-testid="preview-large"
                        prop:checked=move || large.get() on:change=move |ev| large.set(event_target_checked(&ev))/>
                    <label for="preview-large">{move || ui.s().large_text}</label>
                </div>
            </div>
            <p class="hint" data-testid="preview-stale" hidden=move || draft.report.with(|r| r.is_valid())>
                {move || ui.s().preview_stale}
            </p>
            <div class="preview-stage" class:phone=move || phone.get() node_ref=stage data-testid="preview-stage"></div>
        </section>
    }
}
