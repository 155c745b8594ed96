//! JSON paths of a definition's fields, as `Definition::check` names them, and the DOM ids the
//! editor gives the controls that edit them. Mapping an error to its control is then a lookup:
//! the control for `questions[0].text.zh-CN` has the id `f-questions-0-text-zh-CN` and its
//! message `m-questions-0-text-zh-CN`, which the control names in `aria-describedby`.

use model::{FieldError, Locale, definition::Report};

/// The id of the control that edits the field at `path`.
pub fn control_id(path: &str) -> String {
    format!("f-{}", slug(path))
}

/// The id of the element that holds the messages about the field at `path`.
pub fn message_id(path: &str) -> String {
    format!("m-{}", slug(path))
}

/// `path` with every character that is not a letter, digit, `-` or `_` dropped or made `-`,
/// so that it is a valid id and a CSS selector: `questions[0].text.zh-CN` gives
/// `questions-0-text-zh-CN`.
fn slug(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else if c == '[' || c == '.' {
            out.push('-');
        }
    }
    out
}

/// The path of a question: `questions[2]`.
pub fn question(i: usize) -> String {
    format!("questions[{i}]")
}

/// The path of `field` below `parent`: `questions[2]` and `text` give `questions[2].text`.
pub fn join(parent: &str, field: &str) -> String {
    if parent.is_empty() {
        field.to_owned()
    } else {
        format!("{parent}.{field}")
    }
}

/// The path of one locale of a text: `questions[2].text` and en give `questions[2].text.en`.
pub fn locale(text: &str, locale: Locale) -> String {
    join(text, locale.tag())
}

/// The path of item `i` of a list: `questions[1].options` and 0 give `questions[1].options[0]`.
pub fn item(list: &str, i: usize) -> String {
    format!("{list}[{i}]")
}

/// What the editor shows about one field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Messages {
    /// Errors: they stop a publish.
    pub errors: Vec<String>,
    /// Warnings, such as a missing translation.
    pub warnings: Vec<String>,
}

impl Messages {
    /// Whether there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.warnings.is_empty()
    }
}

/// The messages of `report` about exactly the field at `path`, in `locale`.
pub fn messages_at(report: &Report, path: &str, locale: Locale) -> Messages {
    let pick = |list: &[FieldError]| {
        list.iter()
            .filter(|e| e.field == path)
            .map(|e| e.message_in(locale))
            .collect()
    };
    Messages {
        errors: pick(&report.errors),
        warnings: pick(&report.warnings),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_valid_and_distinct_per_field() {
        assert_eq!(
            control_id("questions[0].text.zh-CN"),
            "f-questions-0-text-zh-CN"
        );
        assert_eq!(
            message_id("display.rules.sample_rate"),
            "m-display-rules-sample_rate"
        );
        assert_eq!(control_id(""), "f-");
        assert_ne!(
            control_id("questions[1].options[0].id"),
            control_id("questions[1].options[0].label.en")
        );
        assert_ne!(control_id("questions[1]"), control_id("questions[11]"));
    }

    #[test]
    fn paths_are_built_the_way_check_names_them() {
        let q = question(2);
        assert_eq!(
            locale(&join(&q, "text"), Locale::En),
            "questions[2].text.en"
        );
        assert_eq!(item(&join(&q, "options"), 0), "questions[2].options[0]");
        assert_eq!(join("", "title"), "title");
    }

    #[test]
    fn a_checked_definition_maps_its_errors_onto_these_paths() {
        let mut def = model::definition::default_definition().clone();
        def.questions[0].text.0.insert(Locale::ZhCn, String::new());
        def.questions[2].text.0.remove(&Locale::En);
        let report = def.check();
        let at = messages_at(
            &report,
            &locale(&join(&question(0), "text"), Locale::ZhCn),
            Locale::En,
        );
        assert_eq!(at.errors.len(), 1, "{report:?}");
        let at = messages_at(
            &report,
            &locale(&join(&question(2), "text"), Locale::En),
            Locale::En,
        );
        assert_eq!((at.errors.len(), at.warnings.len()), (0, 1), "{report:?}");
        assert!(messages_at(&report, "title", Locale::En).is_empty());
    }

    #[test]
    fn messages_are_in_the_ui_language() {
        let mut def = model::definition::default_definition().clone();
        def.questions[0].text.0.insert(Locale::ZhCn, String::new());
        let report = def.check();
        let path = locale(&join(&question(0), "text"), Locale::ZhCn);
        let zh = messages_at(&report, &path, Locale::ZhCn);
        let en = messages_at(&report, &path, Locale::En);
        // model's texts; its own tests pin the wording.
        assert_eq!(en.errors, [report.errors[0].message.clone()]);
        assert_eq!(zh.errors, [report.errors[0].message_in(Locale::ZhCn)]);
        assert_ne!(zh.errors, en.errors);
    }
}
