//! Survey definition v1: what a survey asks, in which languages, and how it is shown.
//!
//! A definition is JSON (see `docs/survey-definition.md` and
//! `docs/schema/survey-v1.schema.json`). Marketers edit it in the Studio; the collector stores
//! each published version; the widget fetches one and renders it. All three call the same
//! validation here: [`Definition::check`] for the definition itself and
//! [`Definition::answer_problems`] for a customer's answers.
//!
//! Public contract: every field name, type, default and meaning here is part of the survey
//! definition JSON and its schema. Changing one is a breaking change; record it in CHANGELOG.md.
//!
//! The types are deliberately plain: one [`Question`] struct with the settings of every
//! question type as optional fields, so that serde can refuse unknown fields
//! (`deny_unknown_fields` does not combine with `flatten`), and so that [`Definition::check`]
//! can report every setting that does not belong to its question's type at once.

mod answering;
mod builtin;
mod problem;
pub mod read;
mod validate;

use crate::map::SmallMap;

use serde::{Deserialize, Serialize};

use crate::{DisplayRules, FieldError, Locale};

pub use answering::{AnswerProblem, AnswerProblemKind};
pub use builtin::{DEFAULT_SURVEY_JSON, SATISFACTION_LABELS, default_definition};
pub use problem::Problem;
pub use validate::{
    MAX_CHOICE_OPTIONS, MAX_ID_CHARS, MAX_OTHER_CHARS, MAX_QUESTIONS, MAX_TEXT_ANSWER_CHARS,
    MAX_TEXT_ANSWERS_TOTAL_CHARS, Report,
};

/// The definition schema this build reads and writes: the `schema` field.
pub const SCHEMA_VERSION: u32 = 1;
/// Points of a rating question when `points` is left out: the 5-level 好差评 scale.
pub const DEFAULT_RATING_POINTS: u32 = 5;
/// The longest text answer when a text question leaves out `max_length`: 500 characters.
pub const DEFAULT_TEXT_MAX_CHARS: u32 = 500;
/// The longest "other" text when a choice's `other` leaves out `max_length`: 100 characters.
pub const DEFAULT_OTHER_MAX_CHARS: u32 = 100;
/// The lowest expectation answer ("much worse than expected"); 0 is "as expected".
pub const EXPECTATION_MIN: i64 = -2;
/// The highest expectation answer ("much better than expected").
pub const EXPECTATION_MAX: i64 = 2;
/// The lowest NPS answer.
pub const NPS_MIN: i64 = 0;
/// The highest NPS answer.
pub const NPS_MAX: i64 = 10;

/// A user-visible string per locale, such as `{"zh-CN": "服务评价", "en": "Rate this service"}`.
///
/// A locale of the survey that is missing here falls back to the survey's default locale
/// ([`LocalizedText::get`]); [`Definition::check`] warns about it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct LocalizedText(pub SmallMap<Locale, String>);

impl LocalizedText {
    /// A text from `(locale, string)` pairs.
    pub fn of(pairs: &[(Locale, &str)]) -> LocalizedText {
        let mut texts = SmallMap::default();
        for (locale, text) in pairs {
            texts.insert(*locale, (*text).to_owned());
        }
        LocalizedText(texts)
    }

    /// The text in `locale`, else in `fallback` (the survey's default locale), else empty.
    pub fn get(&self, locale: Locale, fallback: Locale) -> &str {
        self.0
            .get(&locale)
            .or_else(|| self.0.get(&fallback))
            .map_or("", String::as_str)
    }
}

/// One survey definition, as stored by the collector and rendered by the widget.
// It is read by `read.rs` (its `Deserialize` goes through it too), the one reader of the
// format; the `serde` attributes here describe the JSON for `Serialize` and the schema.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(title = "Survey definition, schema 1"))]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// The definition format: always 1 for this schema.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 1)))]
    pub schema: u32,
    /// The survey's stable id: 1 to 64 lowercase letters, digits, `-` or `_`. The payload's
    /// `survey.id`.
    pub id: String,
    /// The version of this survey's wording, from 1. The payload's `survey.version`. The
    /// collector assigns it on publish.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub version: u32,
    /// The locale every text must have, and the one shown when the customer's locale is not in
    /// `locales` or a text lacks it.
    pub default_locale: Locale,
    /// The locales the survey is offered in, default locale included, no repeats.
    pub locales: Vec<Locale>,
    /// The dialog's heading and accessible name.
    pub title: LocalizedText,
    /// The questions, in the order shown.
    pub questions: Vec<Question>,
    /// Shown after a successful submit.
    pub thanks: LocalizedText,
    /// Where and how the survey is shown. Defaults to the corner, the built-in accent, normal
    /// text and the default display rules.
    #[serde(default)]
    pub display: Display,
}

/// The kind of a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    /// A scale of 3 to 10 points, answered 1 to `points`.
    Rating,
    /// Net Promoter Score: 0 to 10.
    Nps,
    /// One or more of a list of options.
    Choice,
    /// Free text.
    Text,
    /// Disconfirmation: "compared with what you expected, this service was…", answered −2
    /// (much worse) to 2 (much better), 0 being as expected.
    Expectation,
}

impl QuestionType {
    /// The name used in JSON, such as `rating`.
    pub const fn name(self) -> &'static str {
        match self {
            QuestionType::Rating => "rating",
            QuestionType::Nps => "nps",
            QuestionType::Choice => "choice",
            QuestionType::Text => "text",
            QuestionType::Expectation => "expectation",
        }
    }

    /// Whether answers are whole numbers (rating, nps, expectation).
    pub const fn is_numeric(self) -> bool {
        matches!(
            self,
            QuestionType::Rating | QuestionType::Nps | QuestionType::Expectation
        )
    }
}

/// One question. `type` says which of the optional settings apply; a setting of another type
/// is an error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable id: the key of its answer in the payload's `answers`. 1 to 64 lowercase letters,
    /// digits or `_`, starting with a letter; unique in the survey.
    pub id: String,
    /// The question's type.
    #[serde(rename = "type")]
    pub kind: QuestionType,
    /// The question as the customer reads it.
    pub text: LocalizedText,
    /// Whether an answer is always required. Defaults to false.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Shown only when this condition on an earlier answer holds. Defaults to always shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
    /// Required when this condition on an earlier answer holds (and the question is shown).
    /// Defaults to none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_if: Option<Condition>,
    /// When the question is required, an answer to any of these other questions (earlier or
    /// later) counts instead: "a reason or a comment". Defaults to none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub satisfied_by: Vec<String>,

    /// rating: the number of points, 3 to 10. Defaults to 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<u32>,
    /// rating: how the points look. Defaults to stars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<RatingStyle>,
    /// rating: one label per point, lowest first; expectation: five labels, "much worse"
    /// first. Defaults, for a 5-point rating, to the 好差评 labels; for expectation, to the
    /// built-in labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<LocalizedText>>,
    /// rating or nps: labels for the lowest and highest point only. For nps defaults to the
    /// built-in "not at all likely" / "extremely likely".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_labels: Option<EndLabels>,

    /// choice: one option or several. Defaults to single.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<ChoiceMode>,
    /// choice: the options, in display order (2 to 20, "other" included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<ChoiceOption>>,
    /// choice (multiple): the fewest options an answer may select. Defaults to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    /// choice (multiple): the most options an answer may select. Defaults to all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    /// choice: an extra "other" option with a text field. Defaults to none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<OtherOption>,

    /// text: the most characters (Unicode scalar values), 1 to 2000. Defaults to 500.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// text: the hint shown in the empty field. Defaults to none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<LocalizedText>,
    /// text: a multi-line field rather than a single line. Defaults to true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiline: Option<bool>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Question {
    /// A question of `kind` with this id and text and every optional setting left out.
    pub fn new(id: &str, kind: QuestionType, text: LocalizedText) -> Question {
        Question {
            id: id.to_owned(),
            kind,
            text,
            required: false,
            show_if: None,
            required_if: None,
            satisfied_by: Vec::new(),
            points: None,
            style: None,
            labels: None,
            end_labels: None,
            mode: None,
            options: None,
            min: None,
            max: None,
            other: None,
            max_length: None,
            placeholder: None,
            multiline: None,
        }
    }

    /// The lowest and highest whole-number answer of a rating, nps or expectation question.
    pub fn scale(&self) -> Option<(i64, i64)> {
        match self.kind {
            QuestionType::Rating => {
                Some((1, i64::from(self.points.unwrap_or(DEFAULT_RATING_POINTS))))
            }
            QuestionType::Nps => Some((NPS_MIN, NPS_MAX)),
            QuestionType::Expectation => Some((EXPECTATION_MIN, EXPECTATION_MAX)),
            QuestionType::Choice | QuestionType::Text => None,
        }
    }

    /// The rating's style, default applied.
    pub fn rating_style(&self) -> RatingStyle {
        self.style.unwrap_or_default()
    }

    /// One label per point, lowest first, defaults applied: the given labels, else the 好差评
    /// labels for a 5-point rating, else the built-in expectation labels. `None` when the
    /// points are unlabelled (end labels or numbers only).
    pub fn point_labels(&self) -> Option<Vec<LocalizedText>> {
        if let Some(labels) = &self.labels {
            return Some(labels.clone());
        }
        match self.kind {
            QuestionType::Rating
                if self.end_labels.is_none()
                    && self.points.unwrap_or(DEFAULT_RATING_POINTS) == DEFAULT_RATING_POINTS =>
            {
                Some(builtin::satisfaction_labels())
            }
            QuestionType::Expectation => Some(builtin::expectation_labels()),
            _ => None,
        }
    }

    /// The end labels, defaults applied (the built-in ones for nps).
    pub fn scale_end_labels(&self) -> Option<EndLabels> {
        match (&self.end_labels, self.kind) {
            (Some(labels), _) => Some(labels.clone()),
            (None, QuestionType::Nps) => Some(builtin::nps_end_labels()),
            _ => None,
        }
    }

    /// The choice mode, default applied.
    pub fn choice_mode(&self) -> ChoiceMode {
        self.mode.unwrap_or_default()
    }

    /// The fewest and most selections a choice answer may have, defaults applied.
    pub fn selection_bounds(&self) -> (u32, u32) {
        let offered = self.options.as_ref().map_or(0, Vec::len) + usize::from(self.other.is_some());
        let offered = u32::try_from(offered).unwrap_or(u32::MAX);
        match self.choice_mode() {
            ChoiceMode::Single => (1, 1),
            ChoiceMode::Multiple => (self.min.unwrap_or(1), self.max.unwrap_or(offered)),
        }
    }

    /// The most characters of a text answer, default applied.
    pub fn text_max_chars(&self) -> u32 {
        self.max_length.unwrap_or(DEFAULT_TEXT_MAX_CHARS)
    }

    /// Whether a text question is multi-line, default applied.
    pub fn is_multiline(&self) -> bool {
        self.multiline.unwrap_or(true)
    }

    /// The option with this id.
    pub fn option(&self, id: &str) -> Option<&ChoiceOption> {
        self.options.as_ref()?.iter().find(|o| o.id == id)
    }
}

/// How the points of a rating look.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RatingStyle {
    /// Stars, the default.
    #[default]
    Stars,
    /// Faces from sad to happy (3 to 5 points).
    Faces,
    /// The numbers 1 to `points`.
    Numbers,
    /// Buttons with the point labels as their text (needs `labels`).
    Labels,
}

/// Labels for the two ends of a scale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EndLabels {
    /// Under the lowest point.
    pub low: LocalizedText,
    /// Under the highest point.
    pub high: LocalizedText,
}

/// One option or several.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChoiceMode {
    /// Exactly one option (radio buttons), the default.
    #[default]
    Single,
    /// Any number between `min` and `max` (checkboxes).
    Multiple,
}

/// An option of a choice question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// Stable id, sent in the answer: 1 to 64 lowercase letters, digits or `_`, unique in the
    /// question. Reports count by it, so keep it when the label changes.
    pub id: String,
    /// What the customer reads.
    pub label: LocalizedText,
}

/// The "other" option of a choice: selecting it opens a text field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OtherOption {
    /// The option's label, such as "其他" / "Other".
    pub label: LocalizedText,
    /// The most characters of the text, 1 to 500. Defaults to 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// The hint shown in the empty text field. Defaults to none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<LocalizedText>,
}

impl OtherOption {
    /// The most characters of the text, default applied.
    pub fn max_chars(&self) -> u32 {
        self.max_length.unwrap_or(DEFAULT_OTHER_MAX_CHARS)
    }
}

/// A test on an earlier question's answer, for `show_if` and `required_if`.
///
/// It holds only when that question is shown and answered and the comparison is true. On a
/// choice question, `eq` means "this option is selected" and `in` "one of these is selected".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The id of an earlier rating, nps, expectation or choice question.
    pub question: String,
    /// The comparison.
    pub op: Comparison,
    /// A whole number (`eq`, `lte`, `gte` on a scale), an option id (`eq` on a choice), or a
    /// list of either (`in`).
    pub value: ConditionValue,
}

/// How a condition compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// Equal to (a choice: includes this option).
    Eq,
    /// At most.
    Lte,
    /// At least.
    Gte,
    /// One of (a choice: includes one of these options).
    In,
}

impl Comparison {
    /// The symbol used in messages, such as `≤`.
    pub const fn symbol(self) -> &'static str {
        match self {
            Comparison::Eq => "=",
            Comparison::Lte => "≤",
            Comparison::Gte => "≥",
            Comparison::In => "in",
        }
    }
}

/// The value a condition compares with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum ConditionValue {
    /// A point of a scale.
    Number(i64),
    /// An option id.
    Option(String),
    /// Points of a scale, for `in`.
    Numbers(Vec<i64>),
    /// Option ids, for `in`.
    Options(Vec<String>),
}

impl ConditionValue {
    /// The value as a message shows it: `2`, `'long_wait'`, `[1, 2]`, `['a', 'b']`. (Not
    /// `Display`: `core::fmt` would come into the widget with it.)
    pub fn describe(&self) -> String {
        let id = |id: &str| ["'", id, "'"].concat();
        let list = |items: Vec<String>| ["[", &items.join(", "), "]"].concat();
        match self {
            ConditionValue::Number(n) => crate::digits::decimal(*n),
            ConditionValue::Option(option) => id(option),
            ConditionValue::Numbers(numbers) => {
                list(numbers.iter().map(|n| crate::digits::decimal(*n)).collect())
            }
            ConditionValue::Options(options) => list(options.iter().map(|o| id(o)).collect()),
        }
    }
}

impl std::fmt::Display for ConditionValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// Where and how the survey is shown.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Display {
    /// Where the dialog appears. Defaults to the corner.
    pub placement: Placement,
    /// The accent colour, `#rgb` or `#rrggbb`. Defaults to none: the widget's built-in blue
    /// (or the host's `data-accent`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accent: Option<String>,
    /// Large text, high contrast and big targets for elderly customers (适老化). Defaults to
    /// false.
    pub large_text: bool,
    /// When the survey may be shown (sampling, recontact wait, cooldown, types, delay).
    /// Defaults to the defaults of each rule.
    pub rules: DisplayRules,
}

/// Where the dialog appears.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// A card in the bottom-right corner, the default.
    #[default]
    Corner,
    /// A sheet along the bottom edge, full width (for phones).
    BottomSheet,
    /// Inside the host page's element with this id, in the page flow.
    Inline(String),
}

impl Definition {
    /// Reads a definition from JSON. This checks only its shape (types, field names); call
    /// [`Definition::check`] for the rules. The error names the field's JSON path, or, for
    /// text that is not JSON, the line and column.
    pub fn from_json(json: &str) -> Result<Definition, FieldError> {
        let value: serde_json::Value = serde_json::from_str(json).map_err(|err| {
            FieldError::of(
                "",
                Problem::NotJson {
                    line: err.line(),
                    column: err.column(),
                    detail: err.to_string(),
                },
            )
        })?;
        Definition::read(&&value)
    }

    /// Reads a definition from any parsed JSON value (see [`read`]).
    pub fn read<J: read::Json>(value: &J) -> Result<Definition, FieldError> {
        read::definition(value)
    }

    /// The definition as pretty JSON.
    pub fn to_json(&self) -> String {
        // Every map key is a locale or a string and every number finite JSON, so this cannot
        // fail; an empty string would be refused by any reader.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The locale to show to a customer who reads `wanted`: it, if the survey offers it, else
    /// the default locale.
    pub fn locale_for(&self, wanted: Locale) -> Locale {
        if self.locales.contains(&wanted) {
            wanted
        } else {
            self.default_locale
        }
    }

    /// `text` in `locale`, falling back to the default locale.
    pub fn text<'a>(&self, text: &'a LocalizedText, locale: Locale) -> &'a str {
        text.get(locale, self.default_locale)
    }

    /// The reference the payload carries for this definition.
    pub fn survey_ref(&self) -> crate::SurveyRef {
        crate::SurveyRef {
            id: self.id.clone(),
            version: self.version,
        }
    }
}

impl<'de> Deserialize<'de> for Definition {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Definition, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Definition::read(&&value).map_err(|e| serde::de::Error::custom(e.text()))
    }
}

#[cfg(test)]
mod tests;
