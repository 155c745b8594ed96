//! The questions: each with its id, type, text in every locale, requirement, conditions and the
//! settings of its type; added, removed and reordered here.

use leptos::prelude::*;
use model::{
    Definition, Question, QuestionType,
    definition::{ChoiceMode, ChoiceOption, RatingStyle},
};

use super::{
    Draft,
    condition::ConditionField,
    fields::{
        FieldMessages, TextField, checkbox_field, input_field, item_button, optional_number,
        select_field,
    },
};
use crate::{
    app::{Ui, t},
    edit::{self, TextAt},
    i18n::{MODES, STYLES, TYPES, fill},
    paths,
};

fn question<R>(d: &Definition, i: usize, f: impl FnOnce(&Question) -> R) -> Option<R> {
    d.questions.get(i).map(f)
}

fn with_question(d: &mut Definition, i: usize, f: impl FnOnce(&mut Question)) {
    if let Some(q) = d.questions.get_mut(i) {
        f(q);
    }
}

/// Every question, then "add a question".
#[component]
pub fn Questions() -> impl IntoView {
    let ui = Ui::expect();
    let draft = Draft::expect();
    let count = draft.def.with_untracked(|d| d.questions.len());
    let new_kind = RwSignal::new(QuestionType::Rating);
    let add = move |_| {
        let focus = paths::control_id(&paths::join(&paths::question(count), "text.zh-CN"));
        draft.reshape(
            |d| edit::add_question(d, new_kind.get_untracked()),
            Some(focus),
        );
    };
    let kinds = TYPES
        .into_iter()
        .enumerate()
        .map(|(k, kind)| view! { <option value=kind.name()>{move || ui.s().types[k]}</option> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="questions-section">
            <h2 id="questions-section">{move || ui.s().section_questions}</h2>
            <FieldMessages path="questions".to_owned()/>
            {(0..count).map(|i| view! { <QuestionEditor i=i count=count/> }).collect_view()}
            <div class="row add">
                <div class="field">
                    <label for="new-question-type">{move || ui.s().new_question_type}</label>
                    <select id="new-question-type" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(kind) = TYPES.into_iter().find(|k| k.name() == v) { new_kind.set(kind); }
                    }>{kinds}</select>
                </div>
                <button type="button" id="add-question" data-testid="add-question" on:click=add>
                    "+ "{move || ui.s().add_question}
                </button>
            </div>
        </section>
    }
}

/// One question.
#[component]
fn QuestionEditor(
    /// Its index.
    i: usize,
    /// How many questions there are.
    count: usize,
) -> impl IntoView {
    let ui = Ui::expect();
    let draft = Draft::expect();
    let base = paths::question(i);
    let kind = draft
        .def
        .with_untracked(|d| question(d, i, |q| q.kind))
        .unwrap_or(QuestionType::Text);
    let heading = format!("question-{i}-heading");
    let labelled_by = heading.clone();
    let title = move || {
        let id = draft
            .def
            .with(|d| question(d, i, |q| q.id.clone()).unwrap_or_default());
        format!("{} · {id}", fill(ui.s().question_n, i + 1))
    };
    let button = move |name: &'static str,
                       enabled: bool,
                       label: crate::app::Text,
                       act: fn(&mut Definition, usize) -> Option<usize>| {
        item_button(
            move |k| format!("{name}-{k}"),
            format!("question-{name}"),
            i,
            enabled,
            label,
            Signal::derive(move || fill(ui.s().question_n, i + 1)),
            "add-question".to_owned(),
            move |d| act(d, i),
        )
    };
    let types = TYPES
        .into_iter()
        .enumerate()
        .map(|(k, kind)| {
            (
                kind.name().to_owned(),
                Signal::derive(move || ui.s().types[k].to_owned()),
            )
        })
        .collect();
    view! {
        <section class="question" aria-labelledby=labelled_by data-testid="question">
            <div class="question-head">
                <h3 id=heading>{title}</h3>
                <div class="tools">
                    {button("up", i > 0, |s| s.move_up, |d, i| { edit::move_item(&mut d.questions, i, true); Some(i - 1) })}
                    {button("down", i + 1 < count, |s| s.move_down, |d, i| { edit::move_item(&mut d.questions, i, false); Some(i + 1) })}
                    {button("remove", true, |s| s.remove, |d, i| { d.questions.remove(i); None })}
                </div>
            </div>
            <div class="row">
                {input_field("text", paths::join(&base, "id"), t(|s| s.question_id),
                    move |d| question(d, i, |q| q.id.clone()).unwrap_or_default(),
                    move |d, v| with_question(d, i, |q| q.id = v.to_owned()))}
                {select_field(paths::join(&base, "type"), t(|s| s.question_type), types, true,
                    move |d| question(d, i, |q| q.kind.name().to_owned()).unwrap_or_default(),
                    move |d, v| if let Some(kind) = TYPES.into_iter().find(|k| k.name() == v) {
                        with_question(d, i, |q| edit::set_kind(q, kind));
                    })}
                {checkbox_field(paths::join(&base, "required"), t(|s| s.required), false,
                    move |d| question(d, i, |q| q.required).unwrap_or_default(),
                    move |d, on| with_question(d, i, |q| q.required = on))}
            </div>
            <TextField at=TextAt::Question(i) label=t(|s| s.question_text)/>
            {match kind {
                QuestionType::Rating => view! { <RatingSettings i=i/> }.into_any(),
                QuestionType::Nps => end_labels_toggle(i, t(|s| s.custom_end_labels)).into_any(),
                QuestionType::Expectation => view! { <ExpectationSettings i=i/> }.into_any(),
                QuestionType::Choice => view! { <ChoiceSettings i=i/> }.into_any(),
                QuestionType::Text => view! { <TextSettings i=i/> }.into_any(),
            }}
            <ConditionField i=i required=false/>
            <ConditionField i=i required=true/>
            <SatisfiedBy i=i/>
            <FieldMessages path=base/>
        </section>
    }
}

/// A checkbox for custom end labels and, when on, the two labels.
fn end_labels_toggle(i: usize, label: Signal<String>) -> impl IntoView {
    let draft = Draft::expect();
    let on = draft
        .def
        .with_untracked(|d| question(d, i, |q| q.end_labels.is_some()).unwrap_or_default());
    view! {
        {checkbox_field(paths::join(&paths::question(i), "end_labels"), label, true,
            move |d| question(d, i, |q| q.end_labels.is_some()).unwrap_or_default(),
            move |d, on| with_question(d, i, |q| edit::set_end_labels(q, on)))}
        {on.then(|| view! { <EndLabels i=i/> })}
    }
}

/// The low and high end labels.
#[component]
fn EndLabels(
    /// The question's index.
    i: usize,
) -> impl IntoView {
    view! {
        <div class="row">
            <TextField at=TextAt::EndLabel(i, false) label=t(|s| s.end_low)/>
            <TextField at=TextAt::EndLabel(i, true) label=t(|s| s.end_high)/>
        </div>
    }
}

/// One label per point.
#[component]
fn PointLabels(
    /// The question's index.
    i: usize,
) -> impl IntoView {
    let ui = Ui::expect();
    let draft = Draft::expect();
    let n = draft
        .def
        .with_untracked(|d| question(d, i, |q| q.labels.as_ref().map_or(0, Vec::len)).unwrap_or(0));
    (0..n)
        .map(|k| {
            let label = Signal::derive(move || fill(ui.s().point_label_n, k + 1));
            view! { <TextField at=TextAt::PointLabel(i, k) label=label/> }
        })
        .collect_view()
}

/// Points, style and labels of a rating.
#[component]
fn RatingSettings(
    /// The question's index.
    i: usize,
) -> impl IntoView {
    let ui = Ui::expect();
    let draft = Draft::expect();
    let base = paths::question(i);
    let styles = STYLES
        .into_iter()
        .enumerate()
        .map(|(k, style)| {
            (
                style_name(style).to_owned(),
                Signal::derive(move || ui.s().styles[k].to_owned()),
            )
        })
        .collect();
    let modes = vec![
        ("default".to_owned(), t(|s| s.labels_default)),
        ("points".to_owned(), t(|s| s.labels_points)),
        ("ends".to_owned(), t(|s| s.labels_ends)),
    ];
    let labels = draft.def.with_untracked(|d| {
        question(d, i, |q| (q.labels.is_some(), q.end_labels.is_some())).unwrap_or_default()
    });
    view! {
        <div class="row">
            {optional_number(paths::join(&base, "points"), t(|s| s.points),
                move |d| question(d, i, |q| q.points).flatten(),
                move |d, n| with_question(d, i, |q| {
                    q.points = n;
                    // Per-point labels follow the number of points.
                    if let (Some(labels), Some(n)) = (&mut q.labels, n)
                        && (3..=10).contains(&n) {
                            labels.resize(n as usize, Default::default());
                        }
                }))}
            {select_field(paths::join(&base, "style"), t(|s| s.style), styles, false,
                move |d| question(d, i, |q| style_name(q.rating_style()).to_owned()).unwrap_or_default(),
                move |d, v| with_question(d, i, |q| q.style = STYLES.into_iter().find(|s| style_name(*s) == v)))}
            {select_field(paths::join(&base, "labels"), t(|s| s.labels_mode), modes, true,
                move |d| question(d, i, |q| match (q.labels.is_some(), q.end_labels.is_some()) {
                    (true, _) => "points", (_, true) => "ends", _ => "default",
                }.to_owned()).unwrap_or_default(),
                move |d, v| with_question(d, i, |q| match v {
                    "points" => {
                        let n = q.points.unwrap_or(model::definition::DEFAULT_RATING_POINTS) as usize;
                        edit::set_point_labels(q, true, n);
                    }
                    "ends" => edit::set_end_labels(q, true),
                    _ => { q.labels = None; q.end_labels = None; }
                }))}
        </div>
        {match labels {
            (true, _) => view! { <PointLabels i=i/> }.into_any(),
            (_, true) => view! { <EndLabels i=i/> }.into_any(),
            _ => ().into_any(),
        }}
    }
}

fn style_name(style: RatingStyle) -> &'static str {
    match style {
        RatingStyle::Stars => "stars",
        RatingStyle::Faces => "faces",
        RatingStyle::Numbers => "numbers",
        RatingStyle::Labels => "labels",
    }
}

/// Custom labels of an expectation question.
#[component]
fn ExpectationSettings(
    /// The question's index.
    i: usize,
) -> impl IntoView {
    let draft = Draft::expect();
    let on = draft
        .def
        .with_untracked(|d| question(d, i, |q| q.labels.is_some()).unwrap_or_default());
    view! {
        {checkbox_field(paths::join(&paths::question(i), "labels"), t(|s| s.custom_labels), true,
            move |d| question(d, i, |q| q.labels.is_some()).unwrap_or_default(),
            move |d, on| with_question(d, i, |q| edit::set_point_labels(q, on, 5)))}
        {on.then(|| view! { <PointLabels i=i/> })}
    }
}

/// Mode, bounds, options and "other" of a choice.
#[component]
fn ChoiceSettings(
    /// The question's index.
    i: usize,
) -> impl IntoView {
    let ui = Ui::expect();
    let draft = Draft::expect();
    let base = paths::question(i);
    let (multiple, options, other) = draft
        .def
        .with_untracked(|d| {
            question(d, i, |q| {
                (
                    q.choice_mode() == ChoiceMode::Multiple,
                    q.options.as_ref().map_or(0, Vec::len),
                    q.other.is_some(),
                )
            })
        })
        .unwrap_or_default();
    let modes = MODES
        .into_iter()
        .enumerate()
        .map(|(k, mode)| {
            let name = if mode == ChoiceMode::Single {
                "single"
            } else {
                "multiple"
            };
            (
                name.to_owned(),
                Signal::derive(move || ui.s().modes[k].to_owned()),
            )
        })
        .collect();
    let option_rows = (0..options)
        .map(|j| view! { <OptionEditor i=i j=j count=options/> })
        .collect_view();
    let add_option = move |_| {
        let focus = paths::control_id(&paths::join(
            &paths::item(&paths::join(&paths::question(i), "options"), options),
            "label.zh-CN",
        ));
        draft.reshape(|d| with_question(d, i, edit::add_option), Some(focus));
    };
    view! {
        <div class="row">
            {select_field(paths::join(&base, "mode"), t(|s| s.mode), modes, true,
                move |d| question(d, i, |q| if q.choice_mode() == ChoiceMode::Multiple { "multiple" } else { "single" }.to_owned()).unwrap_or_default(),
                move |d, v| with_question(d, i, |q| {
                    q.mode = Some(if v == "multiple" { ChoiceMode::Multiple } else { ChoiceMode::Single });
                    if v != "multiple" { q.min = None; q.max = None; }
                }))}
            {multiple.then(|| view! {
                {optional_number(paths::join(&paths::question(i), "min"), t(|s| s.min),
                    move |d| question(d, i, |q| q.min).flatten(), move |d, n| with_question(d, i, |q| q.min = n))}
                {optional_number(paths::join(&paths::question(i), "max"), t(|s| s.max),
                    move |d| question(d, i, |q| q.max).flatten(), move |d, n| with_question(d, i, |q| q.max = n))}
            })}
        </div>
        <fieldset class="plain options">
            <legend>{move || ui.s().options}</legend>
            <FieldMessages path=paths::join(&base, "options")/>
            {option_rows}
            <button type="button" id=format!("add-option-{i}") data-testid="add-option" on:click=add_option>
                "+ "{move || ui.s().add_option}
            </button>
        </fieldset>
        {checkbox_field(paths::join(&base, "other"), t(|s| s.other), true,
            move |d| question(d, i, |q| q.other.is_some()).unwrap_or_default(),
            move |d, on| {
                let label = model::definition::LocalizedText::of(&[(model::Locale::ZhCn, "其他"), (model::Locale::En, "Other")]);
                with_question(d, i, |q| edit::set_other(q, on, label));
            })}
        {other.then(|| view! {
            <div class="row">
                <TextField at=TextAt::OtherLabel(i) label=t(|s| s.other_label)/>
                <TextField at=TextAt::OtherPlaceholder(i) label=t(|s| s.other_placeholder)/>
            </div>
            {optional_number(paths::join(&paths::question(i), "other.max_length"), t(|s| s.other_max),
                move |d| question(d, i, |q| q.other.as_ref().and_then(|o| o.max_length)).flatten(),
                move |d, n| with_question(d, i, |q| if let Some(o) = &mut q.other { o.max_length = n; }))}
        })}
    }
}

/// One option of a choice: id, label in every locale, move and remove.
#[component]
fn OptionEditor(
    /// The question's index.
    i: usize,
    /// The option's index.
    j: usize,
    /// How many options there are.
    count: usize,
) -> impl IntoView {
    let ui = Ui::expect();
    let base = paths::item(&paths::join(&paths::question(i), "options"), j);
    let button = move |name: &'static str,
                       enabled: bool,
                       label: crate::app::Text,
                       act: fn(&mut Vec<ChoiceOption>, usize) -> Option<usize>| {
        item_button(
            move |k| format!("option-{name}-{i}-{k}"),
            format!("option-{name}"),
            j,
            enabled,
            label,
            Signal::derive(move || fill(ui.s().option_n, j + 1)),
            format!("add-option-{i}"),
            move |d| {
                let options = d.questions.get_mut(i)?.options.as_mut()?;
                act(options, j)
            },
        )
    };
    let label = Signal::derive(move || {
        format!("{} · {}", fill(ui.s().option_n, j + 1), ui.s().option_label)
    });
    view! {
        <div class="option" data-testid="option">
            <div class="row">
                {input_field("text", paths::join(&base, "id"), t(|s| s.option_id),
                    move |d| question(d, i, |q| q.options.as_ref().and_then(|o| o.get(j)).map(|o| o.id.clone())).flatten().unwrap_or_default(),
                    move |d, v| with_question(d, i, |q| if let Some(o) = q.options.as_mut().and_then(|o| o.get_mut(j)) { o.id = v.to_owned(); }))}
                <div class="tools">
                    {button("up", j > 0, |s| s.move_up, |o, j| { edit::move_item(o, j, true); Some(j - 1) })}
                    {button("down", j + 1 < count, |s| s.move_down, |o, j| { edit::move_item(o, j, false); Some(j + 1) })}
                    {button("remove", true, |s| s.remove, |o, j| { o.remove(j); None })}
                </div>
            </div>
            <TextField at=TextAt::Option(i, j) label=label/>
            <FieldMessages path=base/>
        </div>
    }
}

/// Max length, placeholder and lines of a text question.
#[component]
fn TextSettings(
    /// The question's index.
    i: usize,
) -> impl IntoView {
    let base = paths::question(i);
    view! {
        <div class="row">
            {optional_number(paths::join(&base, "max_length"), t(|s| s.max_length),
                move |d| question(d, i, |q| q.max_length).flatten(), move |d, n| with_question(d, i, |q| q.max_length = n))}
            {checkbox_field(paths::join(&base, "multiline"), t(|s| s.multiline), false,
                move |d| question(d, i, Question::is_multiline).unwrap_or(true),
                move |d, on| with_question(d, i, |q| q.multiline = Some(on)))}
        </div>
        <TextField at=TextAt::Placeholder(i) label=t(|s| s.placeholder)/>
    }
}

/// The other questions whose answer counts when this one is required.
#[component]
fn SatisfiedBy(
    /// The question's index.
    i: usize,
) -> impl IntoView {
    let ui = Ui::expect();
    let draft = Draft::expect();
    let base = paths::join(&paths::question(i), "satisfied_by");
    let others: Vec<String> = draft.def.with_untracked(|d| {
        d.questions
            .iter()
            .enumerate()
            .filter(|(k, _)| *k != i)
            .map(|(_, q)| q.id.clone())
            .collect()
    });
    let boxes = others
        .into_iter()
        .map(|other| {
            let id = other.clone();
            checkbox_field(
                format!("{base}.{id}"),
                Signal::derive(move || other.clone()),
                false,
                {
                    let id = id.clone();
                    move |d| question(d, i, |q| q.satisfied_by.contains(&id)).unwrap_or_default()
                },
                move |d, on| {
                    with_question(d, i, |q| {
                        q.satisfied_by.retain(|x| *x != id);
                        if on {
                            q.satisfied_by.push(id.clone());
                        }
                    });
                },
            )
        })
        .collect_view();
    view! {
        <fieldset class="plain">
            <legend>{move || ui.s().satisfied_by}</legend>
            <div class="row">{boxes}</div>
            <FieldMessages path=base/>
        </fieldset>
    }
}
