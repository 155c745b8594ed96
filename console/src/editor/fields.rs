//! The editor's controls. Each edits one field of the draft, named by its JSON path: the
//! control's id is `paths::control_id(path)`, and its messages (from `Definition::check`) sit
//! right after it in the element `paths::message_id(path)`, which the control names in
//! `aria-describedby`.
//!
//! Controls are uncontrolled: they take their value when rendered and write every input into
//! the draft. The form is rendered again when its shape changes (`Draft::reshape`), which is
//! also how an edit in the JSON view reaches the form.

use leptos::prelude::*;
use model::{Definition, Locale};

use super::Draft;
use crate::{
    app::{Text, Ui},
    edit::TextAt,
    paths,
};

/// The errors and warnings about the field at `path`, announced politely as they change.
#[component]
pub fn FieldMessages(
    /// The field's JSON path.
    path: String,
) -> impl IntoView {
    let ui = Ui::expect();
    let draft = Draft::expect();
    let id = paths::message_id(&path);
    // In the UI language: model says what is wrong in zh-CN and en.
    let messages = Memo::new(move |_| {
        let locale = ui.0.get();
        draft.report.with(|r| paths::messages_at(r, &path, locale))
    });
    view! {
        <div id=id class="messages" data-testid="field-messages">
            {move || {
                let s = ui.s();
                let m = messages.get();
                let errors = m.errors.into_iter().map(move |text| view! {
                    <p class="error"><strong>{s.error}</strong>" "{text}</p>
                });
                let warnings = m.warnings.into_iter().map(move |text| view! {
                    <p class="warning"><strong>{s.warning}</strong>" "{text}</p>
                });
                (errors.collect_view(), warnings.collect_view())
            }}
        </div>
    }
}

/// Whether the field at `path` has an error (tracked).
fn invalid(draft: Draft, path: String) -> impl Fn() -> &'static str + Send + Sync + 'static {
    move || {
        if draft
            .report
            .with(|r| r.errors.iter().any(|e| e.field == path))
        {
            "true"
        } else {
            "false"
        }
    }
}

/// A text in every locale of the survey, side by side, with a missing translation marked.
#[component]
pub fn TextField(
    /// Which text.
    at: TextAt,
    /// The field's label.
    #[prop(into)]
    label: Signal<String>,
    /// A multi-line field.
    #[prop(optional)]
    multiline: bool,
) -> impl IntoView {
    let ui = Ui::expect();
    let draft = Draft::expect();
    let base = at.path();
    let locales = draft.def.with_untracked(|d| d.locales.clone());
    let default_locale = draft.def.with_untracked(|d| d.default_locale);
    let inputs = locales
        .into_iter()
        .map(|locale| {
            let path = paths::locale(&base, locale);
            let id = paths::control_id(&path);
            let described = paths::message_id(&path);
            let value = draft.def.with_untracked(|d| at.value(d, locale));
            // A missing translation falls back to the default locale (a warning); the default
            // locale missing is an error, shown as one.
            let missing = move || {
                locale != default_locale
                    && draft
                        .def
                        .with(|d| at.get(d).is_none_or(|t| !t.0.contains_key(&locale)))
            };
            let placeholder = move || {
                if locale == default_locale {
                    String::new()
                } else {
                    ui.s().missing_translation.to_owned()
                }
            };
            let write = move |ev| draft.update(|d| at.set(d, locale, &event_target_value(&ev)));
            let control = if multiline {
                view! {
                    <textarea id=id.clone() rows="2" lang=locale.tag() aria-describedby=described.clone()
                        aria-invalid=invalid(draft, path.clone()) class:missing=missing
                        placeholder=placeholder on:input=write prop:value=value></textarea>
                }
                .into_any()
            } else {
                view! {
                    <input id=id.clone() lang=locale.tag() aria-describedby=described.clone()
                        aria-invalid=invalid(draft, path.clone()) class:missing=missing
                        placeholder=placeholder on:input=write prop:value=value/>
                }
                .into_any()
            };
            view! {
                <div class="locale">
                    <label for=id>{move || ui.s().locale_name(locale)}</label>
                    {control}
                    <FieldMessages path=path/>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="text-field">
            <legend>{label}</legend>
            <div class="locales">{inputs}</div>
            <FieldMessages path=base/>
        </fieldset>
    }
}

/// A one-line input (`kind` is its `type`: text, number) for the field at `path`.
pub fn input_field(
    kind: &'static str,
    path: String,
    label: Signal<String>,
    get: impl Fn(&Definition) -> String,
    set: impl Fn(&mut Definition, &str) + Send + Sync + 'static,
) -> impl IntoView {
    let draft = Draft::expect();
    let id = paths::control_id(&path);
    let value = draft.def.with_untracked(get);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type=kind prop:value=value aria-describedby=paths::message_id(&path)
                aria-invalid=invalid(draft, path.clone()) autocomplete="off" spellcheck="false"
                on:input=move |ev| draft.update(|d| set(d, &event_target_value(&ev)))/>
            <FieldMessages path=path/>
        </div>
    }
}

/// A number input for an optional whole-number setting: empty means left out.
pub fn optional_number(
    path: String,
    label: Signal<String>,
    get: impl Fn(&Definition) -> Option<u32>,
    set: impl Fn(&mut Definition, Option<u32>) + Send + Sync + 'static,
) -> impl IntoView {
    input_field(
        "number",
        path,
        label,
        move |d| get(d).map(|n| n.to_string()).unwrap_or_default(),
        move |d, text| {
            let text = text.trim();
            if text.is_empty() {
                set(d, None);
            } else if let Ok(n) = text.parse() {
                set(d, Some(n));
            }
        },
    )
}

/// A checkbox. `reshape` renders the form again after a change (the box shows or hides other
/// controls).
pub fn checkbox_field(
    path: String,
    label: Signal<String>,
    reshape: bool,
    get: impl Fn(&Definition) -> bool,
    set: impl Fn(&mut Definition, bool) + Send + Sync + 'static,
) -> impl IntoView {
    let draft = Draft::expect();
    let id = paths::control_id(&path);
    let checked = draft.def.with_untracked(get);
    let focus = id.clone();
    view! {
        <div class="field check">
            <input id=id.clone() type="checkbox" prop:checked=checked aria-describedby=paths::message_id(&path)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    if reshape {
                        draft.reshape(|d| set(d, on), Some(focus.clone()));
                    } else {
                        draft.update(|d| set(d, on));
                    }
                }/>
            <label for=id>{label}</label>
            <FieldMessages path=path/>
        </div>
    }
}

/// A drop-down of `(value, label)` choices. `reshape` as for [`checkbox_field`].
pub fn select_field(
    path: String,
    label: Signal<String>,
    choices: Vec<(String, Signal<String>)>,
    reshape: bool,
    get: impl Fn(&Definition) -> String,
    set: impl Fn(&mut Definition, &str) + Send + Sync + 'static,
) -> impl IntoView {
    let draft = Draft::expect();
    let id = paths::control_id(&path);
    let current = draft.def.with_untracked(get);
    let focus = id.clone();
    let options = choices
        .into_iter()
        .map(|(value, text)| {
            let selected = value == current;
            view! { <option value=value selected=selected>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id aria-describedby=paths::message_id(&path) aria-invalid=invalid(draft, path.clone())
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    if reshape {
                        draft.reshape(|d| set(d, &value), Some(focus.clone()));
                    } else {
                        draft.update(|d| set(d, &value));
                    }
                }>
                {options}
            </select>
            <FieldMessages path=path/>
        </div>
    }
}

/// A button on a list item (move up, move down, remove). `press` edits the draft and says
/// where the item went (`None`: removed); focus then goes to the same button there, found by
/// `id_of(index)`, or to the element `fallback`.
#[allow(clippy::too_many_arguments)]
pub fn item_button(
    id_of: impl Fn(usize) -> String + Send + Sync + 'static,
    testid: String,
    index: usize,
    enabled: bool,
    label: Text,
    item: Signal<String>,
    fallback: String,
    press: impl Fn(&mut Definition) -> Option<usize> + Send + Sync + 'static,
) -> impl IntoView {
    let ui = Ui::expect();
    let draft = Draft::expect();
    view! {
        <button type="button" id=id_of(index) data-testid=testid disabled=!enabled
            aria-label=move || format!("{} {}", label(ui.s()), item.get())
            on:click=move |_| {
                let mut target = None;
                draft.reshape(|d| target = press(d), None);
                crate::web::focus_soon(target.map_or_else(|| fallback.clone(), &id_of));
            }>
            {move || label(ui.s())}
        </button>
    }
}

/// A label that is not a UI string (built from one).
pub fn text(value: String) -> Signal<String> {
    Signal::derive(move || value.clone())
}

/// The locale a control edits, from its tag (for selects).
pub fn locale_from(tag: &str) -> Option<Locale> {
    Locale::ALL.into_iter().find(|l| l.tag() == tag)
}
