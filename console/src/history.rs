//! The version history: choose two published versions and see every text that differs.

use leptos::prelude::*;

use crate::{api, app::Ui, diff, i18n::fill};

/// The history of survey `id`, whose newest version is `current` (0: not published).
#[component]
pub fn History(
    /// The survey's id.
    id: String,
    /// Its newest published version.
    current: u32,
) -> impl IntoView {
    let ui = Ui::expect();
    if current == 0 {
        return view! {
            <section class="history" aria-labelledby="history-title">
                <h2 id="history-title">{move || ui.s().tab_history}</h2>
                <p data-testid="history-none">{move || ui.s().not_published}</p>
            </section>
        }
        .into_any();
    }
    let from = RwSignal::new(current.saturating_sub(1).max(1));
    let to = RwSignal::new(current.max(1));
    let changes = LocalResource::new(move || {
        let id = id.clone();
        let (a, b) = (from.get(), to.get());
        async move {
            let old = api::version(&id, a).await?;
            let new = api::version(&id, b).await?;
            Ok::<_, api::ApiError>(diff::diff(&old, &new))
        }
    });
    let picker = move |id: &'static str, label: crate::app::Text, value: RwSignal<u32>| {
        let options = (1..=current.max(1))
            .rev()
            .map(|n| view! { <option value=n.to_string() selected=n == value.get_untracked()>{move || fill(ui.s().version_n, n)}</option> })
            .collect_view();
        view! {
            <div class="field">
                <label for=id>{move || label(ui.s())}</label>
                <select id=id data-testid=id on:change=move |ev| {
                    if let Ok(n) = event_target_value(&ev).parse() { value.set(n); }
                }>{options}</select>
            </div>
        }
    };
    view! {
        <section class="history" aria-labelledby="history-title">
            <h2 id="history-title">{move || ui.s().tab_history}</h2>
            <div class="row">
                {picker("history-from", |s| s.history_from, from)}
                {picker("history-to", |s| s.history_to, to)}
            </div>
            <Suspense fallback=move || view! { <p>{move || ui.s().loading}</p> }>
                {move || changes.get().map(|result| match result {
                    Ok(list) if list.is_empty() => view! { <p data-testid="history-same">{move || ui.s().history_same}</p> }.into_any(),
                    Ok(list) => {
                        let rows = list.into_iter().map(|c| {
                            let absent = move || ui.s().absent.to_owned();
                            let old = c.old.clone();
                            let new = c.new.clone();
                            view! {
                                <tr data-testid="history-change">
                                    <th scope="row"><code>{c.key}</code></th>
                                    <td class="old">{move || old.clone().unwrap_or_else(absent)}</td>
                                    <td class="new">{move || new.clone().unwrap_or_else(absent)}</td>
                                </tr>
                            }
                        }).collect_view();
                        view! {
                            <table class="diff" data-testid="history-diff">
                                <caption>{move || ui.s().history_caption}</caption>
                                <thead><tr>
                                    <th scope="col">{move || ui.s().col_text}</th>
                                    <th scope="col">{move || fill(ui.s().version_n, from.get())}</th>
                                    <th scope="col">{move || fill(ui.s().version_n, to.get())}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        }.into_any()
                    }
                    Err(error) => view! { <p class="message error" role="alert">{error.describe(ui.s())}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
    .into_any()
}
