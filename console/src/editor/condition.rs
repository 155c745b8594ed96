//! `show_if` and `required_if` with simple controls: on or off, the earlier question, the
//! comparison, and a value that fits that question (a number, or its options).

use leptos::prelude::*;
use model::{
    Definition, QuestionType,
    definition::{Comparison, Condition, ConditionValue},
};

use super::{
    Draft,
    fields::{FieldMessages, checkbox_field, input_field, select_field},
};
use crate::{
    app::{Ui, t},
    edit,
    i18n::OPS,
    paths,
};

fn op_name(op: Comparison) -> &'static str {
    match op {
        Comparison::Eq => "eq",
        Comparison::Lte => "lte",
        Comparison::Gte => "gte",
        Comparison::In => "in",
    }
}

/// The condition of question `i` (`required_if` when `required`, else `show_if`).
fn slot(d: &mut Definition, i: usize, required: bool) -> Option<&mut Option<Condition>> {
    let q = d.questions.get_mut(i)?;
    Some(if required {
        &mut q.required_if
    } else {
        &mut q.show_if
    })
}

fn read(d: &Definition, i: usize, required: bool) -> Option<Condition> {
    let q = d.questions.get(i)?;
    if required {
        q.required_if.clone()
    } else {
        q.show_if.clone()
    }
}

fn edit_condition(d: &mut Definition, i: usize, required: bool, f: impl FnOnce(&mut Condition)) {
    if let Some(Some(condition)) = slot(d, i, required) {
        f(condition);
    }
}

/// A value that suits question `target` and `op`, keeping what it can of `old`.
fn fit_value(d: &Definition, target: &str, op: Comparison, old: &ConditionValue) -> ConditionValue {
    let choice = d
        .question(target)
        .is_some_and(|q| q.kind == QuestionType::Choice);
    let first_option = || {
        d.question(target)
            .and_then(|q| q.options.as_ref()?.first().map(|o| o.id.clone()))
            .unwrap_or_default()
    };
    match (choice, op == Comparison::In, old) {
        (false, false, ConditionValue::Number(_)) | (false, true, ConditionValue::Numbers(_)) => {
            old.clone()
        }
        (false, false, ConditionValue::Numbers(list)) => {
            ConditionValue::Number(list.first().copied().unwrap_or(1))
        }
        (false, true, ConditionValue::Number(n)) => ConditionValue::Numbers(vec![*n]),
        (false, false, _) => ConditionValue::Number(1),
        (false, true, _) => ConditionValue::Numbers(vec![1]),
        (true, false, ConditionValue::Option(_)) | (true, true, ConditionValue::Options(_)) => {
            old.clone()
        }
        (true, false, ConditionValue::Options(list)) => {
            ConditionValue::Option(list.first().cloned().unwrap_or_else(first_option))
        }
        (true, true, ConditionValue::Option(id)) => ConditionValue::Options(vec![id.clone()]),
        (true, false, _) => ConditionValue::Option(first_option()),
        (true, true, _) => ConditionValue::Options(vec![first_option()]),
    }
}

/// The condition editor.
#[component]
pub fn ConditionField(
    /// The question's index.
    i: usize,
    /// `required_if` rather than `show_if`.
    required: bool,
) -> impl IntoView {
    let ui = Ui::expect();
    let draft = Draft::expect();
    let name = if required { "required_if" } else { "show_if" };
    let base = paths::join(&paths::question(i), name);
    let current = draft.def.with_untracked(|d| read(d, i, required));
    // The questions a condition may use: earlier ones with a scale or options.
    let earlier: Vec<(String, QuestionType)> = draft.def.with_untracked(|d| {
        d.questions
            .iter()
            .take(i)
            .filter(|q| q.kind != QuestionType::Text)
            .map(|q| (q.id.clone(), q.kind))
            .collect()
    });
    let toggle = checkbox_field(
        base.clone(),
        if required {
            t(|s| s.required_if_on)
        } else {
            t(|s| s.show_if_on)
        },
        true,
        move |d| read(d, i, required).is_some(),
        {
            let first = earlier
                .first()
                .map(|(id, _)| id.clone())
                .unwrap_or_default();
            move |d, on| {
                let condition = on.then(|| {
                    let value = fit_value(d, &first, Comparison::Lte, &ConditionValue::Number(2));
                    Condition {
                        question: first.clone(),
                        op: Comparison::Lte,
                        value,
                    }
                });
                if let Some(slot) = slot(d, i, required) {
                    *slot = condition;
                }
            }
        },
    );
    let controls = current.map(|condition| {
        let mut choices: Vec<(String, Signal<String>)> = earlier
            .iter()
            .map(|(id, _)| (id.clone(), super::fields::text(id.clone())))
            .collect();
        if !earlier.iter().any(|(id, _)| *id == condition.question) {
            // A reference that is not allowed stays visible, so that its error makes sense.
            choices.insert(0, (condition.question.clone(), super::fields::text(condition.question.clone())));
        }
        let ops = OPS
            .into_iter()
            .enumerate()
            .map(|(k, op)| (op_name(op).to_owned(), Signal::derive(move || ui.s().ops[k].to_owned())))
            .collect();
        let target = draft.def.with_untracked(|d| d.question(&condition.question).cloned());
        let value_path = paths::join(&base, "value");
        let value = match (target.as_ref().map(|q| q.kind), condition.op) {
            (Some(QuestionType::Choice), op) => {
                let options: Vec<String> = target
                    .as_ref()
                    .and_then(|q| q.options.as_ref())
                    .map(|o| o.iter().map(|o| o.id.clone()).collect())
                    .unwrap_or_default();
                if op == Comparison::In {
                    let boxes = options
                        .into_iter()
                        .map(|id| {
                            let shown = id.clone();
                            let read_id = id.clone();
                            checkbox_field(
                                format!("{value_path}.{id}"),
                                Signal::derive(move || shown.clone()),
                                false,
                                move |d| read(d, i, required).is_some_and(|c| matches!(&c.value, ConditionValue::Options(l) if l.contains(&read_id))),
                                move |d, on| edit_condition(d, i, required, |c| {
                                    let mut list = match &c.value { ConditionValue::Options(l) => l.clone(), _ => Vec::new() };
                                    list.retain(|x| *x != id);
                                    if on { list.push(id.clone()); }
                                    c.value = ConditionValue::Options(list);
                                }),
                            )
                        })
                        .collect_view();
                    view! {
                        <fieldset class="plain">
                            <legend>{move || ui.s().cond_value}</legend>
                            <div class="row">{boxes}</div>
                            <FieldMessages path=value_path/>
                        </fieldset>
                    }
                    .into_any()
                } else {
                    let mut choices: Vec<(String, Signal<String>)> =
                        options.into_iter().map(|id| (id.clone(), super::fields::text(id))).collect();
                    if let ConditionValue::Option(id) = &condition.value
                        && !choices.iter().any(|(c, _)| c == id) {
                            choices.insert(0, (id.clone(), super::fields::text(id.clone())));
                        }
                    select_field(value_path, t(|s| s.cond_value), choices, false,
                        move |d| match read(d, i, required).map(|c| c.value) { Some(ConditionValue::Option(id)) => id, _ => String::new() },
                        move |d, v| edit_condition(d, i, required, |c| c.value = ConditionValue::Option(v.to_owned())))
                    .into_any()
                }
            }
            (_, Comparison::In) => input_field("text", value_path, t(|s| s.cond_values),
                move |d| match read(d, i, required).map(|c| c.value) {
                    Some(ConditionValue::Numbers(list)) => list.iter().map(i64::to_string).collect::<Vec<_>>().join(", "),
                    Some(other) => other.to_string(),
                    None => String::new(),
                },
                move |d, v| {
                    let numbers: Vec<i64> = edit::split_list(v).iter().filter_map(|x| x.parse().ok()).collect();
                    edit_condition(d, i, required, |c| c.value = ConditionValue::Numbers(numbers));
                })
            .into_any(),
            _ => input_field("number", value_path, t(|s| s.cond_value),
                move |d| match read(d, i, required).map(|c| c.value) {
                    Some(ConditionValue::Number(n)) => n.to_string(),
                    _ => String::new(),
                },
                move |d, v| if let Ok(n) = v.trim().parse() {
                    edit_condition(d, i, required, |c| c.value = ConditionValue::Number(n));
                })
            .into_any(),
        };
        view! {
            <div class="row condition">
                {select_field(paths::join(&base, "question"), t(|s| s.cond_question), choices, true,
                    move |d| read(d, i, required).map(|c| c.question).unwrap_or_default(),
                    move |d, v| {
                        let target = v.to_owned();
                        let Some(old) = read(d, i, required) else { return };
                        let value = fit_value(d, &target, old.op, &old.value);
                        edit_condition(d, i, required, |c| { c.question = target; c.value = value; });
                    })}
                {select_field(paths::join(&base, "op"), t(|s| s.cond_op), ops, true,
                    move |d| read(d, i, required).map(|c| op_name(c.op).to_owned()).unwrap_or_default(),
                    move |d, v| {
                        let Some(op) = OPS.into_iter().find(|o| op_name(*o) == v) else { return };
                        let Some(old) = read(d, i, required) else { return };
                        let value = fit_value(d, &old.question, op, &old.value);
                        edit_condition(d, i, required, |c| { c.op = op; c.value = value; });
                    })}
                {value}
            </div>
        }
    });
    view! {
        <fieldset class="plain condition-field" data-testid=name>
            <legend>{move || if required { ui.s().required_if } else { ui.s().show_if }}</legend>
            {toggle}
            {controls}
        </fieldset>
    }
}
