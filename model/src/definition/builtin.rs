//! The built-in survey (`model/surveys/default.json`) and the built-in labels that a question
//! gets when it leaves its own out.

use std::sync::OnceLock;

use super::{Definition, EndLabels, LocalizedText};
use crate::Locale::{En, ZhCn};

/// The built-in survey as JSON: the 5-level 好差评 scale, reason tags after a bad rating, a
/// comment. It is served as survey `default` version 1 when nothing else is published.
pub const DEFAULT_SURVEY_JSON: &str = include_str!("../../surveys/default.json");

/// The built-in survey, read once. A test proves the file is a valid definition.
pub fn default_definition() -> &'static Definition {
    static DEFAULT: OnceLock<Definition> = OnceLock::new();
    DEFAULT.get_or_init(|| {
        #[allow(clippy::expect_used)]
        Definition::from_json(DEFAULT_SURVEY_JSON).expect("model/surveys/default.json is valid")
    })
}

fn text(zh_cn: &str, en: &str) -> LocalizedText {
    LocalizedText::of(&[(ZhCn, zh_cn), (En, en)])
}

/// The 好差评 scale's labels, lowest score first, as (zh-CN, en) (see
/// `shared/domain/README.md`). A 5-point rating question without labels of its own gets these.
pub const SATISFACTION_LABELS: [(&str, &str); 5] = [
    ("非常不满意", "Very dissatisfied"),
    ("不满意", "Dissatisfied"),
    ("基本满意", "Neutral"),
    ("满意", "Satisfied"),
    ("非常满意", "Very satisfied"),
];

/// The 好差评 labels, lowest first.
pub(super) fn satisfaction_labels() -> Vec<LocalizedText> {
    SATISFACTION_LABELS
        .iter()
        .map(|(zh_cn, en)| text(zh_cn, en))
        .collect()
}

/// The disconfirmation scale, much worse first.
pub(super) fn expectation_labels() -> Vec<LocalizedText> {
    vec![
        text("远低于预期", "Much worse than expected"),
        text("低于预期", "Worse than expected"),
        text("符合预期", "As expected"),
        text("高于预期", "Better than expected"),
        text("远高于预期", "Much better than expected"),
    ]
}

/// The NPS end labels.
pub(super) fn nps_end_labels() -> EndLabels {
    EndLabels {
        low: text("完全不可能", "Not at all likely"),
        high: text("非常可能", "Extremely likely"),
    }
}
