//! The survey list: every survey's id, current version, last change and who made it; open one,
//! or create a new survey from the built-in default.

use leptos::{ev::SubmitEvent, prelude::*};
use model::{FieldError, definition::default_definition};

use crate::{
    api::{self, ApiError, SurveyListItem},
    app::{Page, Session, Ui},
};

/// The list page.
#[component]
pub fn SurveyList() -> impl IntoView {
    let ui = Ui::expect();
    let session = Session::expect();
    let surveys = LocalResource::new(move || {
        let token = session.bearer();
        async move { api::list(&token).await }
    });
    Effect::new(move |_| {
        if let Some(Err(ApiError::Unauthorized)) = surveys.get() {
            session.expired();
        }
    });
    let rows = move |items: Vec<SurveyListItem>| {
        items
            .into_iter()
            .map(|item| {
                let id = item.id.clone();
                let open = {
                    let id = id.clone();
                    move |_| session.page.set(Page::Edit(id.clone()))
                };
                let changed = item.published_at.clone().map(|t| t.replace('T', " ").chars().take(19).collect::<String>() + " UTC");
                let label = format!("{} {}", ui.s().open, item.id);
                view! {
                    <tr data-testid="survey-row">
                        <th scope="row"><code>{item.id.clone()}</code></th>
                        <td data-testid="survey-version">{item.version}</td>
                        <td>{move || changed.clone().unwrap_or_else(|| ui.s().builtin.to_owned())}</td>
                        <td>{item.author.clone().unwrap_or_default()}</td>
                        <td><button type="button" aria-label=label data-testid="open-survey" on:click=open>
                            {move || ui.s().open}
                        </button></td>
                    </tr>
                }
            })
            .collect_view()
    };
    let taken = move |id: &str| {
        surveys
            .get()
            .and_then(Result::ok)
            .is_some_and(|list| list.iter().any(|s| s.id == id))
    };
    view! {
        <section aria-labelledby="surveys-title">
            <h1 id="surveys-title">{move || ui.s().surveys_title}</h1>
            <Suspense fallback=move || view! { <p>{move || ui.s().loading}</p> }>
                {move || surveys.get().map(|result| match result {
                    Ok(items) => view! {
                        <table class="surveys" data-testid="survey-list">
                            <caption class="visually-hidden">{move || ui.s().surveys_title}</caption>
                            <thead><tr>
                                <th scope="col">{move || ui.s().col_id}</th>
                                <th scope="col">{move || ui.s().col_version}</th>
                                <th scope="col">{move || ui.s().col_changed}</th>
                                <th scope="col">{move || ui.s().col_author}</th>
                                <th scope="col">{move || ui.s().col_actions}</th>
                            </tr></thead>
                            <tbody>{rows(items)}</tbody>
                        </table>
                    }.into_any(),
                    Err(error) => view! { <p class="message error" role="alert">{error.describe(ui.s())}</p> }.into_any(),
                })}
            </Suspense>
        </section>
        <NewSurvey taken=Callback::new(move |id: String| taken(&id))/>
    }
}

/// Creating a survey from the built-in default.
#[component]
fn NewSurvey(
    /// Whether a survey with this id exists.
    taken: Callback<String, bool>,
) -> impl IntoView {
    let ui = Ui::expect();
    let session = Session::expect();
    let id = RwSignal::new(String::new());
    // What is wrong with the id: taken (`None` inside), or model's rule; said in the UI
    // language when shown, so switching the language switches it too.
    let problem = RwSignal::new(None::<Option<FieldError>>);
    let create = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = id.get_untracked().trim().to_owned();
        if taken.run(value.clone()) {
            problem.set(Some(None));
            return;
        }
        let mut def = default_definition().clone();
        def.id = value;
        def.version = 1;
        // The id's rule is model's: check the new definition and show what it says about `id`.
        let report = def.check();
        if let Some(error) = report.errors.into_iter().find(|e| e.field == "id") {
            problem.set(Some(Some(error)));
            return;
        }
        session.page.set(Page::New(Box::new(def)));
    };
    view! {
        <section class="new-survey" aria-labelledby="new-survey-title">
            <h2 id="new-survey-title">{move || ui.s().new_survey_title}</h2>
            <p>{move || ui.s().new_survey_intro}</p>
            <form on:submit=create novalidate>
                <label for="new-id">{move || ui.s().new_id_label}</label>
                <input id="new-id" data-testid="new-id" autocomplete="off" spellcheck="false"
                    aria-describedby="new-id-hint new-id-message"
                    aria-invalid=move || if problem.get().is_some() { "true" } else { "false" }
                    on:input=move |ev| { problem.set(None); id.set(event_target_value(&ev)); }/>
                <button type="submit" data-testid="create-survey">{move || ui.s().create}</button>
            </form>
            <p id="new-id-hint" class="hint">{move || ui.s().new_id_hint}</p>
            <p id="new-id-message" class="message error" role="status" aria-live="polite">{move || problem.with(|p| p.as_ref().map(|p| match p {
                None => ui.s().id_taken.to_owned(),
                Some(error) => format!("id: {}", error.message_in(ui.0.get())),
            }))}</p>
        </section>
    }
}
