//! The editor: one survey's draft, checked by `model` as it changes, with the form, the JSON
//! view, the version history, publish and "Download JSON".

mod condition;
mod fields;
mod json_view;
mod preview;
mod question;
mod settings;

use leptos::prelude::*;
use model::{Definition, FieldError, definition::Report};

use crate::{
    api::{self, ApiError},
    app::{Page, Session, Ui},
    history::History,
    i18n::fill,
    paths, web,
};

/// The draft being edited, as context for every control.
#[derive(Clone, Copy)]
pub struct Draft {
    /// The definition as edited so far.
    pub def: RwSignal<Definition>,
    /// Bumped when the form's shape changes (a question added, moved or retyped, an edit in
    /// the JSON view): the form is then rendered again from the draft.
    pub shape: RwSignal<u32>,
    /// What `Definition::check_publish_as` says about the draft, published as the opened survey.
    pub report: Memo<Report>,
    /// JSON typed into the JSON view that cannot be read: publish waits for it.
    pub json_error: RwSignal<Option<FieldError>>,
}

impl Draft {
    /// The context provided by the editor.
    pub fn expect() -> Self {
        expect_context()
    }

    /// Edits the draft; the form keeps its controls.
    pub fn update(self, edit: impl FnOnce(&mut Definition)) {
        self.def.update(edit);
    }

    /// Edits the draft and renders the form again, then focuses the control with id `focus`
    /// (the one that made the change, or what took its place).
    pub fn reshape(self, edit: impl FnOnce(&mut Definition), focus: Option<String>) {
        self.def.update(edit);
        self.shape.update(|n| *n += 1);
        if let Some(id) = focus {
            web::focus_soon(id);
        }
    }
}

/// The editor for survey `id`: the current version loaded from the collector, or `new`, a
/// survey not published yet.
#[component]
pub fn Editor(
    /// The survey's id.
    id: String,
    /// A new survey's first draft; `None` loads the current version.
    new: Option<Definition>,
) -> impl IntoView {
    let ui = Ui::expect();
    let loaded = LocalResource::new(move || {
        let id = id.clone();
        let new = new.clone();
        async move {
            match new {
                Some(def) => Ok((def, false)),
                None => api::current(&id).await.map(|def| (def, true)),
            }
        }
    });
    view! {
        <Suspense fallback=move || view! { <p>{move || ui.s().loading}</p> }>
            {move || loaded.get().map(|result| match result {
                Ok((def, published)) => view! { <EditorBody def=def published=published/> }.into_any(),
                Err(error) => view! { <p class="message error" role="alert">{error.describe(ui.s())}</p> }.into_any(),
            })}
        </Suspense>
    }
}

/// Which view of the draft shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Form,
    Json,
    History,
}

/// The editor once the draft is there.
#[component]
fn EditorBody(
    /// The definition to start from.
    def: Definition,
    /// Whether it is a published version (else a new survey).
    published: bool,
) -> impl IntoView {
    let ui = Ui::expect();
    let session = Session::expect();
    let original = RwSignal::new(published.then(|| def.clone()));
    let def = RwSignal::new(def);
    // The survey the editor opened, which publish goes to: an id changed in the JSON view is
    // an error of the draft (model's rule, the one the collector applies on publish).
    let id = def.with_untracked(|d| d.id.clone());
    let report = {
        let id = id.clone();
        Memo::new(move |_| def.with(|d| d.check_publish_as(&id)))
    };
    let draft = Draft {
        def,
        shape: RwSignal::new(0),
        report,
        json_error: RwSignal::new(None),
    };
    provide_context(draft);
    let tab = RwSignal::new(Tab::Form);
    let publishing = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<u32, ApiError>>);
    let changed =
        Memo::new(move |_| original.with(|o| o.as_ref().is_none_or(|o| def.with(|d| d != o))));
    let error_count = Memo::new(move |_| {
        report.with(|r| r.errors.len()) + usize::from(draft.json_error.with(Option::is_some))
    });
    let can_publish = move || error_count.get() == 0 && changed.get() && !publishing.get();
    let survey_id = id.clone();

    let publish = move |_| {
        if !can_publish() {
            return;
        }
        publishing.set(true);
        outcome.set(None);
        let body = def.get_untracked();
        let token = session.bearer();
        // The survey the editor opened (the collector refuses a body with another id).
        let survey = survey_id.clone();
        leptos::task::spawn_local(async move {
            let result = api::publish(&token, &survey, &body).await;
            publishing.set(false);
            match result {
                Ok(published) => {
                    def.update(|d| d.version = published.version);
                    original.set(Some(def.get_untracked()));
                    outcome.set(Some(Ok(published.version)));
                }
                Err(ApiError::Unauthorized) => session.expired(),
                Err(error) => outcome.set(Some(Err(error))),
            }
        });
    };
    // Unpublished changes are not lost by accident: closing or reloading the tab asks the
    // browser's question, and "back to the list" asks ours.
    let guard = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if changed.get_untracked() {
            ev.prevent_default();
        }
    });
    on_cleanup(move || guard.remove());
    let back = move |_| {
        if !changed.get_untracked() || web::confirm(ui.s().leave_unsaved) {
            session.page.set(Page::List);
        }
    };
    let download = move |_| {
        def.with_untracked(|d| {
            web::download(&format!("{}-v{}.json", d.id, d.version), &d.to_json());
        });
    };
    let version_text = move || match original.get() {
        Some(o) => fill(ui.s().version_n, o.version),
        None => ui.s().not_published.to_owned(),
    };
    let status = move || {
        let s = ui.s();
        let errors = error_count.get();
        let mut text = if errors > 0 {
            fill(s.errors_block, errors)
        } else if !changed.get() {
            s.no_changes.to_owned()
        } else {
            s.ready.to_owned()
        };
        let warnings = report.with(|r| r.warnings.len());
        if warnings > 0 {
            text.push(' ');
            text.push_str(&fill(s.warnings_n, warnings));
        }
        text
    };
    let tab_button = move |which: Tab, testid: &'static str, name: crate::app::Text| {
        view! {
            <button type="button" id=format!("tab-{testid}") data-testid=format!("tab-{testid}")
                aria-pressed=move || if tab.get() == which { "true" } else { "false" }
                aria-controls="editor-panel"
                on:click=move |_| { draft.json_error.set(None); tab.set(which); }>
                {move || name(ui.s())}
            </button>
        }
    };
    view! {
        <div class="editor">
            <div class="editor-head">
                <button type="button" class="link" data-testid="back" on:click=back>
                    "← "{move || ui.s().back_to_list}
                </button>
                <h1><code>{id}</code>" · "<span data-testid="editor-version">{version_text}</span></h1>
                <div class="actions">
                    <button type="button" class="primary" data-testid="publish"
                        disabled=move || !can_publish() aria-describedby="publish-status"
                        on:click=publish>
                        {move || if publishing.get() { ui.s().publishing } else { ui.s().publish }}
                    </button>
                    <button type="button" data-testid="download" on:click=download>{move || ui.s().download_json}</button>
                </div>
                <p id="publish-status" class="status" role="status" aria-live="polite" data-testid="publish-status">
                    {status}" "
                    <span data-testid="publish-outcome">{move || outcome.get().map(|o| match o {
                        Ok(version) => fill(ui.s().published, version),
                        Err(error) => error.describe(ui.s()),
                    })}</span>
                </p>
            </div>
            <Problems/>
            <div class="editor-main with-preview">
                <div class="editor-left">
                    <div role="group" aria-label=move || ui.s().views class="tabs">
                        {tab_button(Tab::Form, "form", |s| s.tab_form)}
                        {tab_button(Tab::Json, "json", |s| s.tab_json)}
                        {tab_button(Tab::History, "history", |s| s.tab_history)}
                    </div>
                    <div id="editor-panel">
                        {move || match tab.get() {
                            Tab::Form => view! { <Form/> }.into_any(),
                            Tab::Json => view! { <json_view::JsonView/> }.into_any(),
                            Tab::History => {
                                let current = original.get().map(|o| o.version).unwrap_or(0);
                                let id = def.with_untracked(|d| d.id.clone());
                                view! { <History id=id current=current/> }.into_any()
                            }
                        }}
                    </div>
                </div>
                <preview::PreviewPane/>
            </div>
        </div>
    }
}

/// Every error and warning, each linked to its field's control when the form shows one.
#[component]
fn Problems() -> impl IntoView {
    let ui = Ui::expect();
    let draft = Draft::expect();
    let items = move || {
        let s = ui.s();
        let locale = ui.0.get();
        let mut list: Vec<(bool, String, String)> = Vec::new();
        if let Some(error) = draft.json_error.get() {
            list.push((true, String::new(), json_view::describe(s, &error, locale)));
        }
        draft.report.with(|r| {
            list.extend(
                r.errors
                    .iter()
                    .map(|e| (true, e.field.clone(), e.message_in(locale))),
            );
            list.extend(
                r.warnings
                    .iter()
                    .map(|e| (false, e.field.clone(), e.message_in(locale))),
            );
        });
        list.into_iter()
            .map(|(error, field, message)| {
                let kind = if error { s.error } else { s.warning };
                // JSON that does not read as a definition has no field of the form: its
                // message links to the JSON editor (an empty link would have no name).
                let what = if field.is_empty() {
                    view! { <a href="#json">{message}</a> }.into_any()
                } else {
                    let href = format!("#{}", paths::control_id(&field));
                    view! { <a href=href><code>{field}</code></a>" "{message} }.into_any()
                };
                view! {
                    <li class=if error { "error" } else { "warning" } data-testid=if error { "problem-error" } else { "problem-warning" }>
                        <strong>{kind}</strong>" "{what}
                    </li>
                }
            })
            .collect_view()
    };
    let any = move || {
        draft
            .report
            .with(|r| !r.errors.is_empty() || !r.warnings.is_empty())
            || draft.json_error.with(Option::is_some)
    };
    view! {
        <section class="problems" aria-labelledby="problems-title" data-testid="problems" class:empty=move || !any()>
            <h2 id="problems-title">{move || ui.s().problems_title}</h2>
            <ul>{items}</ul>
        </section>
    }
}

/// The form: the survey, its questions and its display settings, rendered again when the
/// draft's shape changes.
#[component]
fn Form() -> impl IntoView {
    let draft = Draft::expect();
    move || {
        draft.shape.track();
        view! {
            <settings::SurveySettings/>
            <question::Questions/>
            <settings::DisplaySettings/>
        }
    }
}
