//! Edits the editor makes to a definition: plain functions with no browser in them, so that they
//! have host tests. None of them checks anything: `Definition::check` (in `model`) is the one
//! judge of what the result is worth, and the editor shows what it says.

use model::{
    Definition, Locale, Question, QuestionType,
    definition::{ChoiceOption, EndLabels, LocalizedText, OtherOption},
};

use crate::paths;

/// Where a user-visible text of a definition lives. One variant per kind of text, so that the
/// editor's text fields read, write and name (by JSON path) the same place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextAt {
    /// The dialog's title.
    Title,
    /// The thank-you text.
    Thanks,
    /// Question `0`'s text.
    Question(usize),
    /// The label of option `1` of question `0`.
    Option(usize, usize),
    /// Label `1` (a point of a rating, or of an expectation) of question `0`.
    PointLabel(usize, usize),
    /// The low (`false`) or high (`true`) end label of question `0`.
    EndLabel(usize, bool),
    /// The placeholder of text question `0`.
    Placeholder(usize),
    /// The label of question `0`'s "other" option.
    OtherLabel(usize),
    /// The placeholder of question `0`'s "other" text.
    OtherPlaceholder(usize),
}

impl TextAt {
    /// The JSON path of the text, as `Definition::check` names it: `questions[1].options[0].label`.
    pub fn path(self) -> String {
        let q = |i: usize| paths::question(i);
        match self {
            TextAt::Title => "title".to_owned(),
            TextAt::Thanks => "thanks".to_owned(),
            TextAt::Question(i) => paths::join(&q(i), "text"),
            TextAt::Option(i, j) => {
                paths::join(&paths::item(&paths::join(&q(i), "options"), j), "label")
            }
            TextAt::PointLabel(i, k) => paths::item(&paths::join(&q(i), "labels"), k),
            TextAt::EndLabel(i, high) => paths::join(
                &q(i),
                if high {
                    "end_labels.high"
                } else {
                    "end_labels.low"
                },
            ),
            TextAt::Placeholder(i) => paths::join(&q(i), "placeholder"),
            TextAt::OtherLabel(i) => paths::join(&q(i), "other.label"),
            TextAt::OtherPlaceholder(i) => paths::join(&q(i), "other.placeholder"),
        }
    }

    /// The text, if the definition has it.
    pub fn get(self, def: &Definition) -> Option<&LocalizedText> {
        let q = |i: usize| def.questions.get(i);
        match self {
            TextAt::Title => Some(&def.title),
            TextAt::Thanks => Some(&def.thanks),
            TextAt::Question(i) => q(i).map(|q| &q.text),
            TextAt::Option(i, j) => Some(&q(i)?.options.as_ref()?.get(j)?.label),
            TextAt::PointLabel(i, k) => q(i)?.labels.as_ref()?.get(k),
            TextAt::EndLabel(i, high) => {
                let ends = q(i)?.end_labels.as_ref()?;
                Some(if high { &ends.high } else { &ends.low })
            }
            TextAt::Placeholder(i) => q(i)?.placeholder.as_ref(),
            TextAt::OtherLabel(i) => Some(&q(i)?.other.as_ref()?.label),
            TextAt::OtherPlaceholder(i) => q(i)?.other.as_ref()?.placeholder.as_ref(),
        }
    }

    /// The text in `locale`, or empty when it is missing.
    pub fn value(self, def: &Definition, locale: Locale) -> String {
        self.get(def)
            .and_then(|t| t.0.get(&locale))
            .cloned()
            .unwrap_or_default()
    }

    /// Sets the text in `locale`. An empty value removes that locale: a missing translation,
    /// which falls back to the default locale (and, in the default locale, an error that
    /// `check` names). An optional text (a placeholder) left with no locale at all is removed.
    pub fn set(self, def: &mut Definition, locale: Locale, value: &str) {
        let Some(text) = self.get_mut(def) else {
            return;
        };
        if value.is_empty() {
            text.0.remove(&locale);
        } else {
            text.0.insert(locale, value.to_owned());
        }
        let empty = text.0.is_empty();
        if empty && let Some(q) = self.question_index().and_then(|i| def.questions.get_mut(i)) {
            match self {
                TextAt::Placeholder(_) => q.placeholder = None,
                TextAt::OtherPlaceholder(_) => {
                    if let Some(other) = &mut q.other {
                        other.placeholder = None;
                    }
                }
                _ => {}
            }
        }
    }

    fn question_index(self) -> Option<usize> {
        match self {
            TextAt::Title | TextAt::Thanks => None,
            TextAt::Question(i)
            | TextAt::Option(i, _)
            | TextAt::PointLabel(i, _)
            | TextAt::EndLabel(i, _)
            | TextAt::Placeholder(i)
            | TextAt::OtherLabel(i)
            | TextAt::OtherPlaceholder(i) => Some(i),
        }
    }

    /// The text to write into, creating an optional one (a placeholder) when it is absent.
    fn get_mut(self, def: &mut Definition) -> Option<&mut LocalizedText> {
        if let TextAt::Title = self {
            return Some(&mut def.title);
        }
        if let TextAt::Thanks = self {
            return Some(&mut def.thanks);
        }
        let q = def.questions.get_mut(self.question_index()?)?;
        match self {
            TextAt::Title | TextAt::Thanks => None,
            TextAt::Question(_) => Some(&mut q.text),
            TextAt::Option(_, j) => Some(&mut q.options.as_mut()?.get_mut(j)?.label),
            TextAt::PointLabel(_, k) => q.labels.as_mut()?.get_mut(k),
            TextAt::EndLabel(_, high) => {
                let ends = q.end_labels.as_mut()?;
                Some(if high { &mut ends.high } else { &mut ends.low })
            }
            TextAt::Placeholder(_) => {
                Some(q.placeholder.get_or_insert_with(LocalizedText::default))
            }
            TextAt::OtherLabel(_) => Some(&mut q.other.as_mut()?.label),
            TextAt::OtherPlaceholder(_) => Some(
                q.other
                    .as_mut()?
                    .placeholder
                    .get_or_insert_with(LocalizedText::default),
            ),
        }
    }
}

/// Moves item `i` one place up (towards 0) or down. Out of range, or past an end, it does
/// nothing.
pub fn move_item<T>(list: &mut [T], i: usize, up: bool) {
    if up && i > 0 && i < list.len() {
        list.swap(i - 1, i);
    } else if !up && i + 1 < list.len() {
        list.swap(i, i + 1);
    }
}

/// The first of `stem_1`, `stem_2`, … that `taken` refuses.
pub fn fresh_id(stem: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..)
        .map(|n| format!("{stem}_{n}"))
        .find(|id| !taken(id))
        .unwrap_or_else(|| stem.to_owned())
}

/// Appends a new question of `kind`, with a fresh id, an empty text (which `check` then asks
/// the marketer to fill) and the settings that type needs.
pub fn add_question(def: &mut Definition, kind: QuestionType) {
    let id = fresh_id("question", |id| def.question(id).is_some());
    let mut question = Question::new(&id, kind, LocalizedText::default());
    set_kind(&mut question, kind);
    def.questions.push(question);
}

/// Changes a question's type: keeps its id, text, requirement and conditions, drops the
/// settings of its old type, and gives a choice two empty options to fill.
pub fn set_kind(q: &mut Question, kind: QuestionType) {
    let mut fresh = Question::new(&q.id, kind, q.text.clone());
    fresh.required = q.required;
    fresh.show_if = q.show_if.take();
    fresh.required_if = q.required_if.take();
    fresh.satisfied_by = std::mem::take(&mut q.satisfied_by);
    if kind == QuestionType::Choice {
        fresh.options = Some(Vec::new());
        add_option(&mut fresh);
        add_option(&mut fresh);
    }
    *q = fresh;
}

/// Appends an option with a fresh id and an empty label to a choice question.
pub fn add_option(q: &mut Question) {
    let options = q.options.get_or_insert_with(Vec::new);
    let id = fresh_id("option", |id| options.iter().any(|o| o.id == id));
    options.push(ChoiceOption {
        id,
        label: LocalizedText::default(),
    });
}

/// Turns a choice's "other" option on (with the given label) or off.
pub fn set_other(q: &mut Question, on: bool, label: LocalizedText) {
    q.other = on.then_some(OtherOption {
        label,
        max_length: None,
        placeholder: None,
    });
}

/// Turns per-point labels on (`count` empty labels, or the ones that apply by default) or off.
pub fn set_point_labels(q: &mut Question, on: bool, count: usize) {
    q.labels = if on {
        q.end_labels = None;
        let mut labels = q.point_labels().unwrap_or_default();
        labels.resize(count, LocalizedText::default());
        Some(labels)
    } else {
        None
    };
}

/// Turns end labels on (the ones that apply by default, else empty) or off.
pub fn set_end_labels(q: &mut Question, on: bool) {
    q.end_labels = if on {
        q.labels = None;
        Some(q.scale_end_labels().unwrap_or(EndLabels {
            low: LocalizedText::default(),
            high: LocalizedText::default(),
        }))
    } else {
        None
    };
}

/// Offers `locale` or stops offering it. The default locale always stays.
pub fn set_locale(def: &mut Definition, locale: Locale, on: bool) {
    if on && !def.locales.contains(&locale) {
        def.locales.push(locale);
        def.locales.sort();
    } else if !on && locale != def.default_locale {
        def.locales.retain(|l| *l != locale);
    }
}

/// Splits a comma-separated list into its trimmed, non-empty items (`"a, b,,c"` gives a, b, c).
pub fn split_list(text: &str) -> Vec<String> {
    text.split([',', '，'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use model::definition::default_definition;

    use super::*;

    fn def() -> Definition {
        default_definition().clone()
    }

    #[test]
    fn each_text_place_reads_and_writes_the_field_its_path_names() {
        let mut d = def();
        let places = [
            TextAt::Title,
            TextAt::Thanks,
            TextAt::Question(0),
            TextAt::Option(1, 3),
            TextAt::PointLabel(0, 4),
            TextAt::Placeholder(2),
        ];
        for at in places {
            at.set(&mut d, Locale::ZhCn, "");
            let report = d.check();
            assert!(
                report
                    .errors
                    .iter()
                    .any(|e| e.field.starts_with(&at.path())),
                "{at:?} {report:?}"
            );
            at.set(&mut d, Locale::ZhCn, "新文字");
            assert_eq!(at.value(&d, Locale::ZhCn), "新文字");
        }
        assert!(d.check().is_valid(), "{:?}", d.check());
    }

    #[test]
    fn an_empty_translation_is_missing_and_an_empty_placeholder_goes() {
        let mut d = def();
        TextAt::Question(2).set(&mut d, Locale::En, "");
        assert!(!d.questions[2].text.0.contains_key(&Locale::En));
        let report = d.check();
        assert!(report.is_valid());
        assert_eq!(report.warnings[0].field, "questions[2].text.en");
        TextAt::Placeholder(2).set(&mut d, Locale::En, "");
        TextAt::Placeholder(2).set(&mut d, Locale::ZhCn, "");
        assert_eq!(d.questions[2].placeholder, None);
        TextAt::Placeholder(2).set(&mut d, Locale::ZhCn, "写点什么");
        assert_eq!(TextAt::Placeholder(2).value(&d, Locale::ZhCn), "写点什么");
    }

    #[test]
    fn texts_out_of_range_are_left_alone() {
        let mut d = def();
        TextAt::Option(7, 0).set(&mut d, Locale::En, "x");
        TextAt::EndLabel(0, true).set(&mut d, Locale::En, "x");
        assert_eq!(d, def());
        assert_eq!(TextAt::Option(1, 99).value(&d, Locale::En), "");
    }

    #[test]
    fn move_item_stops_at_the_ends() {
        let mut v = vec![1, 2, 3];
        move_item(&mut v, 0, true);
        move_item(&mut v, 2, false);
        assert_eq!(v, [1, 2, 3]);
        move_item(&mut v, 2, true);
        assert_eq!(v, [1, 3, 2]);
        move_item(&mut v, 0, false);
        assert_eq!(v, [3, 1, 2]);
        move_item(&mut v, 9, true);
        assert_eq!(v, [3, 1, 2]);
    }

    #[test]
    fn a_new_question_asks_for_its_text_and_nothing_else() {
        for kind in [
            QuestionType::Rating,
            QuestionType::Nps,
            QuestionType::Choice,
            QuestionType::Text,
            QuestionType::Expectation,
        ] {
            let mut d = def();
            add_question(&mut d, kind);
            add_question(&mut d, kind);
            assert_eq!(d.questions[4].id, "question_2");
            let fields: Vec<String> = d.check().errors.into_iter().map(|e| e.field).collect();
            let mut expected = vec!["questions[3].text.zh-CN", "questions[4].text.zh-CN"];
            if kind == QuestionType::Choice {
                expected = vec![
                    "questions[3].text.zh-CN",
                    "questions[3].options[0].label.zh-CN",
                    "questions[3].options[1].label.zh-CN",
                    "questions[4].text.zh-CN",
                    "questions[4].options[0].label.zh-CN",
                    "questions[4].options[1].label.zh-CN",
                ];
            }
            assert_eq!(fields, expected, "{kind:?}");
        }
    }

    #[test]
    fn a_type_change_keeps_the_wording_and_conditions_and_drops_the_settings() {
        let mut d = def();
        let before = d.questions[1].clone();
        set_kind(&mut d.questions[1], QuestionType::Rating);
        let q = &d.questions[1];
        assert_eq!(
            (&q.text, &q.show_if, &q.satisfied_by),
            (&before.text, &before.show_if, &before.satisfied_by)
        );
        assert_eq!((q.options.as_ref(), q.mode), (None, None));
        assert!(d.check().is_valid(), "{:?}", d.check());
    }

    #[test]
    fn labels_switch_between_per_point_and_ends() {
        let mut d = def();
        let q = &mut d.questions[0];
        set_end_labels(q, true);
        assert_eq!((q.labels.as_ref(), q.end_labels.is_some()), (None, true));
        set_point_labels(q, true, 5);
        assert_eq!(
            (q.labels.as_ref().map(Vec::len), q.end_labels.is_some()),
            (Some(5), false)
        );
        assert_eq!(
            q.labels
                .as_ref()
                .map(|l| l[0].get(Locale::ZhCn, Locale::ZhCn)),
            Some("非常不满意")
        );
    }

    #[test]
    fn the_default_locale_is_always_offered() {
        let mut d = def();
        set_locale(&mut d, Locale::ZhCn, false);
        set_locale(&mut d, Locale::En, false);
        assert_eq!(d.locales, [Locale::ZhCn]);
        set_locale(&mut d, Locale::En, true);
        set_locale(&mut d, Locale::En, true);
        assert_eq!(d.locales, [Locale::ZhCn, Locale::En]);
    }

    #[test]
    fn lists_split_on_ascii_and_full_width_commas() {
        assert_eq!(split_list(" a, b,,c，d "), ["a", "b", "c", "d"]);
        assert!(split_list(" , ").is_empty());
    }
}
