//! What can be wrong with a survey definition, one variant per rule with the parameters its
//! message needs, and the message in each UI language.
//!
//! The reader ([`super::read`]), [`Definition::check`](super::Definition::check) and
//! [`DisplayRules::problems`](crate::DisplayRules::problems) name a [`Problem`] for every
//! error and warning; the [`FieldError`](crate::FieldError) they return carries it next to
//! its English `message`. The Studio shows [`Problem::text`] in its UI language.
//!
//! The widget logs only the English text ([`Problem::en`]) and never calls [`Problem::text`],
//! so the Chinese texts are not linked into its wasm. Both are built with `concat`, not
//! `format!`, which would pull `core::fmt` into the widget.

use super::{Comparison, ConditionValue, QuestionType};
use crate::{Locale, digits::decimal};

/// One rule of a survey definition that a field breaks: the code of an error or warning, with
/// what its message says. Not part of any JSON: the collector's error body has the English
/// message only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    // --- The shape (the reader): JSON types, field names, enum values. ---
    /// Text that is not JSON at all; `detail` is the parser's English message.
    NotJson {
        /// The 1-based line of the error.
        line: usize,
        /// The 1-based column of the error.
        column: usize,
        /// The parser's message (English), which names the line and column too.
        detail: String,
    },
    /// Not a JSON object.
    NotObject,
    /// A member that is not a field of this object.
    UnknownField {
        /// The fields the object has.
        fields: &'static [&'static str],
    },
    /// A required field is absent.
    Missing,
    /// Not a string.
    NotString,
    /// Not `true` or `false`.
    NotBool,
    /// Not a number.
    NotNumber,
    /// Not a whole number from 0 up.
    NotWholeNumber,
    /// Not a whole number.
    NotInteger,
    /// Not a list.
    NotList,
    /// Not one of the allowed names.
    NotOneOf {
        /// The allowed names.
        names: Vec<&'static str>,
    },
    /// Not an object of texts by locale.
    NotTexts,
    /// Not a supported locale tag.
    NotLocale,
    /// A condition's value of a shape no condition takes.
    NotConditionValue,
    /// A placement of a shape no placement takes.
    NotPlacement,

    // --- The survey. ---
    /// `schema` is not the schema this build reads.
    SchemaVersion {
        /// The schema this build reads.
        supported: u32,
    },
    /// A survey id of the wrong form.
    SurveyId,
    /// Published as another survey: the id is not the one it is published under
    /// ([`super::Definition::check_publish_as`]).
    NotThisSurvey {
        /// The survey's id where it is published.
        id: String,
    },
    /// A number that must be 1 or more (`version`, a choice's `max`).
    Zero,
    /// `locales` is empty.
    NoLocales,
    /// The same value twice in a list (a locale, a question id in `satisfied_by`, a
    /// transaction type).
    Duplicate {
        /// The value.
        value: String,
    },
    /// `default_locale` is not one of `locales`.
    DefaultLocaleNotOffered {
        /// The default locale.
        locale: Locale,
    },
    /// A text in a locale the survey does not offer.
    LocaleNotOffered {
        /// The text's locale.
        locale: Locale,
    },
    /// A text lacks the default locale.
    DefaultTextMissing {
        /// The default locale.
        locale: Locale,
    },
    /// A warning: a text lacks a translation, so the default locale's text shows instead.
    TranslationMissing {
        /// The locale the text lacks.
        locale: Locale,
        /// The survey's default locale.
        default: Locale,
    },
    /// A text that is empty or blank.
    Empty,
    /// A text longer than allowed.
    TooLong {
        /// The most characters.
        max: usize,
    },

    // --- Questions. ---
    /// `questions` is empty.
    NoQuestions,
    /// More questions than allowed.
    TooManyQuestions {
        /// The most questions.
        max: usize,
    },
    /// A question id of the wrong form.
    QuestionId,
    /// A question id that an earlier question has.
    QuestionIdTaken {
        /// The id.
        id: String,
        /// The index of the earlier question.
        first: usize,
    },
    /// The text answers' `max_length` values add up to more than a response may carry.
    TextBudget {
        /// The most characters all text answers may add up to.
        max: u32,
        /// What their `max_length` values add up to.
        total: u64,
    },
    /// A setting of another question type.
    NotASetting {
        /// The question's type.
        kind: QuestionType,
        /// The types that have this setting.
        owners: &'static [QuestionType],
    },
    /// `required_if` on a question that is `required` anyway.
    RequiredIfWithRequired,
    /// `satisfied_by` on a question that is never required.
    SatisfiedByNotRequired,
    /// `satisfied_by` names the question itself.
    SatisfiedBySelf {
        /// The question's id.
        id: String,
    },
    /// A reference to a question id that no question has.
    NoSuchQuestion {
        /// The id.
        id: String,
    },
    /// A length limit out of range (`max_length` of a text or of "other").
    LengthRange {
        /// The highest allowed limit.
        max: u32,
    },

    // --- Scales. ---
    /// A rating's `points` out of 3 to 10.
    PointsRange,
    /// Style `labels` without labels.
    LabelsStyleWithoutLabels,
    /// Style `faces` with more than 5 points.
    FacesPoints {
        /// The rating's points.
        points: u32,
    },
    /// Both `labels` and `end_labels`.
    LabelsAndEndLabels,
    /// A rating with a number of labels other than its points.
    LabelCount {
        /// The labels given.
        count: usize,
        /// The rating's points.
        points: u32,
    },
    /// An expectation question with a number of labels other than 5.
    ExpectationLabels {
        /// The labels given.
        count: usize,
    },

    // --- Choices. ---
    /// A choice question without `options`.
    OptionsMissing,
    /// Fewer than 2 options.
    TooFewOptions,
    /// More options than allowed.
    TooManyOptions {
        /// The most options.
        max: usize,
    },
    /// An option id of the wrong form.
    OptionId,
    /// An option id that an earlier option has.
    OptionIdTaken {
        /// The id.
        id: String,
        /// The index of the earlier option.
        first: usize,
    },
    /// `min` or `max` on a single choice.
    BoundOnSingleChoice,
    /// A multiple choice's `min` of 0.
    MinZero,
    /// A multiple choice's `max` above the options offered.
    MaxOverOptions {
        /// The `max`.
        max: u32,
        /// The options offered, "other" included.
        offered: u32,
    },
    /// A multiple choice's `min` above its `max`.
    MinOverMax {
        /// The `min`.
        min: u32,
        /// The `max`.
        max: u32,
    },

    // --- Conditions. ---
    /// A condition on the question's own answer.
    ConditionOnItself {
        /// The question's id.
        question: String,
    },
    /// A condition on a question that comes later.
    ConditionOnLater {
        /// The question with the condition.
        question: String,
        /// Whether it is `required_if` (else `show_if`).
        required: bool,
        /// The question the condition names.
        target: String,
        /// The comparison.
        op: Comparison,
        /// The value compared with.
        value: ConditionValue,
    },
    /// `in` with an empty list of numbers.
    NoValues,
    /// A number the scale never gives.
    NeverAnswered {
        /// The number.
        value: i64,
        /// The scale's question.
        target: String,
        /// The scale's lowest answer.
        low: i64,
        /// The scale's highest answer.
        high: i64,
    },
    /// `in` on a scale without a list of numbers.
    NotNumberList {
        /// The scale's question.
        target: String,
        /// The scale's lowest answer.
        low: i64,
        /// The scale's highest answer.
        high: i64,
    },
    /// `eq`, `lte` or `gte` on a scale without a number.
    NotScaleNumber {
        /// The scale's question.
        target: String,
        /// The scale's lowest answer.
        low: i64,
        /// The scale's highest answer.
        high: i64,
    },
    /// A condition on a text question.
    ConditionOnText {
        /// The text question.
        target: String,
    },
    /// `lte` or `gte` on a choice question.
    OrderOnChoice {
        /// The choice question.
        target: String,
    },
    /// An option id the choice question does not have.
    NotAnOption {
        /// The option id.
        option: String,
        /// The choice question.
        target: String,
    },
    /// `in` with an empty list of option ids.
    NoOptionIds,
    /// `in` on a choice without a list of option ids.
    NotOptionList {
        /// The choice question.
        target: String,
    },
    /// `eq` on a choice without an option id.
    NotOptionId {
        /// The choice question.
        target: String,
    },

    // --- Display. ---
    /// An accent that is not a hex colour.
    Accent,
    /// An inline placement's element id of the wrong form.
    InlineElementId,
    /// A sample rate out of 0 to 100.
    SampleRate,
    /// A wait in days out of range.
    DaysRange {
        /// The most days.
        max: u32,
    },
    /// A delay out of range.
    DelayRange {
        /// The most milliseconds.
        max: u32,
    },
    /// An empty list of transaction types.
    NoTransactionTypes,
    /// More transaction types than allowed.
    TooManyTransactionTypes {
        /// The most types.
        max: usize,
    },
}

/// A value a message names; each language writes it its own way (a locale is `en` in English
/// and 英文（en） in Chinese).
#[derive(Clone, Copy)]
enum Arg<'a> {
    /// Nothing: a template has fewer than four values.
    None,
    /// A string as it is: an id, an option, a parser message.
    Str(&'a str),
    /// A number.
    Num(i64),
    /// A locale.
    Locale(Locale),
    /// A question type.
    Type(QuestionType),
    /// Question types, as "a and b".
    Types(&'static [QuestionType]),
    /// Field names, as "a, b".
    List(&'a [&'static str]),
    /// Allowed values, each quoted: "\"a\", \"b\"".
    Quoted(&'a [&'static str]),
    /// A condition's comparison and value: `≤ 2`.
    Condition(Comparison, &'a ConditionValue),
}

/// A count, index or limit as an [`Arg`].
fn n<N: TryInto<i64>>(n: N) -> Arg<'static> {
    Arg::Num(n.try_into().unwrap_or(i64::MAX))
}

const ID_CHARS: usize = super::MAX_ID_CHARS;
const ELEMENT_ID_CHARS: usize = super::validate::ELEMENT_ID_CHARS;

impl Problem {
    /// The message in `locale`: what is wrong and what to do, to show after the field's path
    /// or next to its control.
    pub fn text(&self, locale: Locale) -> String {
        match locale {
            Locale::En => self.en(),
            Locale::ZhCn => fill(self.zh_template(), &self.args(), zh_arg),
        }
    }

    /// The message in English, as `FieldError::message` has it.
    pub fn en(&self) -> String {
        fill(self.en_template(), &self.args(), en_arg)
    }

    /// The values the message names; `{0}` … `{3}` in a template.
    fn args(&self) -> [Arg<'_>; 4] {
        use Arg::{Locale as L, Str, Type};
        use Problem as P;
        let mut a = [Arg::None; 4];
        match self {
            P::NotJson {
                line,
                column,
                detail,
            } => {
                a[0] = Str(detail);
                a[1] = n(*line);
                a[2] = n(*column);
            }
            P::UnknownField { fields } => {
                a[0] = Arg::List(fields);
            }
            P::NotOneOf { names } => {
                a[0] = Arg::Quoted(names);
            }
            P::SchemaVersion { supported } => {
                a[0] = n(*supported);
            }
            P::SurveyId | P::QuestionId | P::OptionId => {
                a[0] = n(ID_CHARS);
            }
            P::InlineElementId => {
                a[0] = n(ELEMENT_ID_CHARS);
            }
            P::Duplicate { value: s }
            | P::SatisfiedBySelf { id: s }
            | P::NoSuchQuestion { id: s }
            | P::ConditionOnItself { question: s }
            | P::ConditionOnText { target: s }
            | P::OrderOnChoice { target: s }
            | P::NotOptionList { target: s }
            | P::NotOptionId { target: s }
            | P::NotThisSurvey { id: s } => {
                a[0] = Str(s);
            }
            P::DefaultLocaleNotOffered { locale }
            | P::LocaleNotOffered { locale }
            | P::DefaultTextMissing { locale } => {
                a[0] = L(*locale);
            }
            P::TranslationMissing { locale, default } => {
                a[0] = L(*locale);
                a[1] = L(*default);
            }
            P::TooLong { max: m }
            | P::TooManyQuestions { max: m }
            | P::TooManyOptions { max: m }
            | P::TooManyTransactionTypes { max: m }
            | P::ExpectationLabels { count: m } => {
                a[0] = n(*m);
            }
            P::LengthRange { max: m }
            | P::FacesPoints { points: m }
            | P::DaysRange { max: m }
            | P::DelayRange { max: m } => {
                a[0] = n(*m);
            }
            P::QuestionIdTaken { id, first } | P::OptionIdTaken { id, first } => {
                a[0] = Str(id);
                a[1] = n(*first);
            }
            P::TextBudget { max, total } => {
                a[0] = n(*max);
                a[1] = n(*total);
            }
            P::NotASetting { kind, owners } => {
                a[0] = Type(*kind);
                a[1] = Arg::Types(owners);
            }
            P::LabelCount { count, points } => {
                a[0] = n(*count);
                a[1] = n(*points);
            }
            P::MaxOverOptions { max: x, offered: y } | P::MinOverMax { min: x, max: y } => {
                a[0] = n(*x);
                a[1] = n(*y);
            }
            P::ConditionOnLater {
                question,
                target,
                op,
                value,
                ..
            } => {
                a[0] = Str(question);
                a[1] = Str(target);
                a[2] = Arg::Condition(*op, value);
            }
            P::NeverAnswered {
                value,
                target,
                low,
                high,
            } => {
                a[0] = n(*value);
                a[1] = Str(target);
                a[2] = n(*low);
                a[3] = n(*high);
            }
            P::NotNumberList { target, low, high } | P::NotScaleNumber { target, low, high } => {
                a[0] = Str(target);
                a[1] = n(*low);
                a[2] = n(*high);
            }
            P::NotAnOption { option, target } => {
                a[0] = Str(option);
                a[1] = Str(target);
            }
            P::NotObject
            | P::Missing
            | P::NotString
            | P::NotBool
            | P::NotNumber
            | P::NotWholeNumber
            | P::NotInteger
            | P::NotList
            | P::NotTexts
            | P::NotLocale
            | P::NotConditionValue
            | P::NotPlacement
            | P::Zero
            | P::NoLocales
            | P::Empty
            | P::NoQuestions
            | P::RequiredIfWithRequired
            | P::SatisfiedByNotRequired
            | P::PointsRange
            | P::LabelsStyleWithoutLabels
            | P::LabelsAndEndLabels
            | P::OptionsMissing
            | P::TooFewOptions
            | P::BoundOnSingleChoice
            | P::MinZero
            | P::NoValues
            | P::NoOptionIds
            | P::Accent
            | P::SampleRate
            | P::NoTransactionTypes => {}
        }
        a
    }

    /// The English message, with `{0}` … `{3}` for [`Problem::args`].
    fn en_template(&self) -> &'static str {
        use Problem as P;
        match self {
            P::NotJson { .. } => "{0}",
            P::NotObject => "must be an object",
            P::UnknownField { .. } => "is not a field here; the fields are {0}",
            P::Missing => "is missing",
            P::NotString => "must be a string",
            P::NotBool => "must be true or false",
            P::NotNumber => "must be a number",
            P::NotWholeNumber => "must be a whole number, 0 or more",
            P::NotInteger => "must be a whole number",
            P::NotList => "must be a list",
            P::NotOneOf { .. } => "must be one of {0}",
            P::NotTexts => {
                "must be an object of texts by locale, such as {\"zh-CN\": \"…\", \"en\": \"…\"}"
            }
            P::NotLocale => "is not a supported locale: use \"zh-CN\" or \"en\"",
            P::NotConditionValue => {
                "must be a whole number, a string, or a list of whole numbers or of strings"
            }
            P::NotPlacement => {
                "must be \"corner\", \"bottom_sheet\" or {\"inline\": \"element-id\"}"
            }
            P::SchemaVersion { .. } => "must be {0}: this build reads survey definition schema {0}",
            P::SurveyId => "must be 1 to {0} lowercase letters, digits, '-' or '_'",
            P::NotThisSurvey { .. } => {
                "must be '{0}', the id of the survey it is published as: a survey's id never \
                 changes, and another id is another survey"
            }
            P::Zero => "must be 1 or more",
            P::NoLocales => "must list at least one locale",
            P::Duplicate { .. } => "'{0}' appears twice",
            P::DefaultLocaleNotOffered { .. } => "'{0}' must be one of locales",
            P::LocaleNotOffered { .. } => {
                "'{0}' is not one of the survey's locales: remove this text or add '{0}' to locales"
            }
            P::DefaultTextMissing { .. } => "is missing: every text needs the default locale {0}",
            P::TranslationMissing { .. } => "is missing: customers reading {0} see the {1} text",
            P::Empty => "is empty",
            P::TooLong { .. } => "is longer than {0} characters",
            P::NoQuestions => "must have at least one question",
            P::TooManyQuestions { .. } => "must have at most {0} questions",
            P::QuestionId => {
                "must be 1 to {0} lowercase letters, digits or '_', starting with a letter"
            }
            P::QuestionIdTaken { .. } => "'{0}' is already the id of questions[{1}]",
            P::TextBudget { .. } => {
                "the text answers may add up to at most {0} characters, but their max_length \
                 values add up to {1}: lower some (the collector accepts 16 KiB per response)"
            }
            P::NotASetting { .. } => "is not a setting of a {0} question (only of {1}): remove it",
            P::RequiredIfWithRequired => {
                "has no effect because required is true: remove one of them"
            }
            P::SatisfiedByNotRequired => {
                "only matters for a required question: set required or required_if, or remove it"
            }
            P::SatisfiedBySelf { .. } => "'{0}' is this question itself",
            P::NoSuchQuestion { .. } => "names no question: there is no question '{0}'",
            P::LengthRange { .. } => "must be from 1 to {0} characters",
            P::PointsRange => "must be from 3 to 10",
            P::LabelsStyleWithoutLabels => {
                "'labels' shows each point's label as its button: add labels, one per point"
            }
            P::FacesPoints { .. } => "faces can show 3 to 5 points, not {0}: use stars or numbers",
            P::LabelsAndEndLabels => "give labels (one per point) or end_labels, not both",
            P::LabelCount { .. } => {
                "has {0} labels but the rating has {1} points: give one label per point"
            }
            P::ExpectationLabels { .. } => {
                "has {0} labels but an expectation question has 5 (much worse … much better)"
            }
            P::OptionsMissing => "is missing: a choice question needs options",
            P::TooFewOptions => "must offer at least 2 options ('other' counts as one)",
            P::TooManyOptions { .. } => "must offer at most {0} options ('other' counts as one)",
            P::OptionId => "must be 1 to {0} lowercase letters, digits or '_'",
            P::OptionIdTaken { .. } => "'{0}' is already the id of options[{1}]",
            P::BoundOnSingleChoice => {
                "only applies to mode multiple: a single choice selects one option"
            }
            P::MinZero => "must be 1 or more (an optional question may be left unanswered anyway)",
            P::MaxOverOptions { .. } => "is {0}, more than the {1} options offered",
            P::MinOverMax { .. } => "is {0}, more than max ({1})",
            P::ConditionOnItself { .. } => "question '{0}' cannot depend on its own answer",
            P::ConditionOnLater { required: true, .. } => {
                "question '{0}' is required if '{1}' {2} but '{1}' comes after it: conditions \
                 may only use earlier questions"
            }
            P::ConditionOnLater {
                required: false, ..
            } => {
                "question '{0}' shows if '{1}' {2} but '{1}' comes after it: conditions may only \
                 use earlier questions"
            }
            P::NoValues => "must list at least one value",
            P::NeverAnswered { .. } => "{0} is never answered: '{1}' runs from {2} to {3}",
            P::NotNumberList { .. } => {
                "must be a list of whole numbers: '{0}' runs from {1} to {2}"
            }
            P::NotScaleNumber { .. } => "must be a whole number: '{0}' runs from {1} to {2}",
            P::ConditionOnText { .. } => {
                "'{0}' is a text question: conditions compare rating, nps, expectation or choice \
                 answers"
            }
            P::OrderOnChoice { .. } => {
                "'{0}' is a choice question: compare its options with eq or in"
            }
            P::NotAnOption { .. } => "'{0}' is not an option of '{1}'",
            P::NoOptionIds => "must list at least one option id",
            P::NotOptionList { .. } => "must be a list of option ids of '{0}'",
            P::NotOptionId { .. } => "must be an option id of '{0}'",
            P::Accent => "must be a hex colour: # and 3 or 6 hex digits, such as #1a73e8",
            P::InlineElementId => {
                "must be the id of an element in the host page: 1 to {0} characters, no spaces"
            }
            P::SampleRate => "must be a percentage from 0 to 100",
            P::DaysRange { .. } => "must be from 0 to {0} days",
            P::DelayRange { .. } => "must be from 0 to {0} milliseconds",
            P::NoTransactionTypes => "must list at least one type, or be left out for every type",
            P::TooManyTransactionTypes { .. } => "must list at most {0} types",
        }
    }

    /// The Chinese message: concise, in the words of the Studio's zh-CN UI.
    fn zh_template(&self) -> &'static str {
        use Problem as P;
        match self {
            P::NotJson { .. } => "不是有效的 JSON（第 {1} 行第 {2} 列附近）",
            P::NotObject => "应为对象（{…}）",
            P::UnknownField { .. } => "不是这里的字段，可用的字段有：{0}",
            P::Missing => "缺少此项",
            P::NotString => "应为字符串",
            P::NotBool => "应为 true 或 false",
            P::NotNumber => "应为数字",
            P::NotWholeNumber => "应为 0 或更大的整数",
            P::NotInteger => "应为整数",
            P::NotList => "应为列表（[…]）",
            P::NotOneOf { .. } => "应为以下之一：{0}",
            P::NotTexts => "应为按语言填写的文本，例如 {\"zh-CN\": \"…\", \"en\": \"…\"}",
            P::NotLocale => "不是支持的语言：请使用 \"zh-CN\" 或 \"en\"",
            P::NotConditionValue => "应为整数、字符串，或整数列表、字符串列表",
            P::NotPlacement => "应为 \"corner\"、\"bottom_sheet\" 或 {\"inline\": \"元素 id\"}",
            P::SchemaVersion { .. } => "应为 {0}：当前版本只能读取第 {0} 版问卷格式",
            P::SurveyId => "应为 1 到 {0} 个小写字母、数字、“-”或“_”",
            P::NotThisSurvey { .. } => {
                "应为“{0}”，即所发布问卷的 id：问卷的 id 不能更改，换一个 id 就是另一个问卷"
            }
            P::Zero => "应为 1 或更大",
            P::NoLocales => "至少要有一种语言",
            P::Duplicate { .. } => "“{0}”重复出现",
            P::DefaultLocaleNotOffered { .. } => "{0}不在问卷的语言中",
            P::LocaleNotOffered { .. } => "问卷的语言里没有{0}：请删除这条文本，或在语言中加上{0}",
            P::DefaultTextMissing { .. } => "必填：每条文本都必须有默认语言{0}的内容",
            P::TranslationMissing { .. } => "缺少{0}翻译：使用该语言的顾客会看到{1}文本",
            P::Empty => "不能为空",
            P::TooLong { .. } => "不能超过 {0} 个字符",
            P::NoQuestions => "至少要有一个问题",
            P::TooManyQuestions { .. } => "最多只能有 {0} 个问题",
            P::QuestionId => "应为 1 到 {0} 个小写字母、数字或“_”，并以字母开头",
            P::QuestionIdTaken { .. } => "“{0}”已是 questions[{1}] 的 id：每个问题的 id 必须不同",
            P::TextBudget { .. } => {
                "所有文本答案合计最多 {0} 个字符，但各题的最大长度加起来是 {1}：请调低一些（采集服务每份回答最多接收 16 KiB）"
            }
            P::NotASetting { .. } => "不是{0}的设置（只有{1}有）：请删除",
            P::RequiredIfWithRequired => "本题已设为必答，这个条件不起作用：请删除其中一个",
            P::SatisfiedByNotRequired => "只对必答题有用：请把本题设为必答或条件必答，或删除这一项",
            P::SatisfiedBySelf { .. } => "“{0}”就是本题自己",
            P::NoSuchQuestion { .. } => "没有 id 为“{0}”的问题",
            P::LengthRange { .. } => "应为 1 到 {0} 个字符",
            P::PointsRange => "应为 3 到 10 级",
            P::LabelsStyleWithoutLabels => {
                "“文字按钮”样式把每一级的标签显示为按钮：请为每一级加上标签"
            }
            P::FacesPoints { .. } => {
                "表情样式只能显示 3 到 5 级，不能显示 {0} 级：请改用星级或数字"
            }
            P::LabelsAndEndLabels => "每级标签和两端标签只能二选一",
            P::LabelCount { .. } => "有 {0} 个标签，但评分有 {1} 级：每一级需要一个标签",
            P::ExpectationLabels { .. } => {
                "有 {0} 个标签，但预期对比题需要 5 个（差很多 … 好很多）"
            }
            P::OptionsMissing => "缺少选项：选择题需要选项",
            P::TooFewOptions => "至少要有 2 个选项（“其他”也算一个）",
            P::TooManyOptions { .. } => "最多只能有 {0} 个选项（“其他”也算一个）",
            P::OptionId => "应为 1 到 {0} 个小写字母、数字或“_”",
            P::OptionIdTaken { .. } => "“{0}”已是 options[{1}] 的 id：每个选项的 id 必须不同",
            P::BoundOnSingleChoice => "只适用于多选：单选题只能选一个选项",
            P::MinZero => "应为 1 或更大（非必答题本来就可以不答）",
            P::MaxOverOptions { .. } => "为 {0}，超过了可选的 {1} 个选项",
            P::MinOverMax { .. } => "为 {0}，大于最多可选数（{1}）",
            P::ConditionOnItself { .. } => "问题“{0}”不能以自己的答案为条件",
            P::ConditionOnLater { required: true, .. } => {
                "问题“{0}”在“{1}”{2} 时必答，但“{1}”排在它后面：条件只能引用前面的问题"
            }
            P::ConditionOnLater {
                required: false, ..
            } => "问题“{0}”在“{1}”{2} 时显示，但“{1}”排在它后面：条件只能引用前面的问题",
            P::NoValues => "至少要列出一个值",
            P::NeverAnswered { .. } => "{0} 不会出现：“{1}”的取值是 {2} 到 {3}",
            P::NotNumberList { .. } => "应为整数列表：“{0}”的取值是 {1} 到 {2}",
            P::NotScaleNumber { .. } => "应为整数：“{0}”的取值是 {1} 到 {2}",
            P::ConditionOnText { .. } => {
                "“{0}”是文本题：条件只能比较评分、NPS、预期对比或选择题的答案"
            }
            P::OrderOnChoice { .. } => "“{0}”是选择题：请用“等于”或“属于其中之一”比较它的选项",
            P::NotAnOption { .. } => "“{0}”不是“{1}”的选项",
            P::NoOptionIds => "至少要列出一个选项 id",
            P::NotOptionList { .. } => "应为“{0}”的选项 id 列表",
            P::NotOptionId { .. } => "应为“{0}”的一个选项 id",
            P::Accent => "应为十六进制颜色：# 加 3 或 6 位十六进制数字，例如 #1a73e8",
            P::InlineElementId => "应为宿主页面中某个元素的 id：1 到 {0} 个字符，不含空格",
            P::SampleRate => "应为 0 到 100 之间的百分比",
            P::DaysRange { .. } => "应为 0 到 {0} 天",
            P::DelayRange { .. } => "应为 0 到 {0} 毫秒",
            P::NoTransactionTypes => "至少要列出一种交易类型；要适用于全部类型，请留空不填",
            P::TooManyTransactionTypes { .. } => "最多只能列出 {0} 种交易类型",
        }
    }
}

/// `template` with each `{0}` … `{3}` replaced by that arg, as `write` writes it.
fn fill(template: &str, args: &[Arg<'_>], write: fn(Arg<'_>, &mut String)) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(at) = rest.bytes().position(|b| b == b'{') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        match tail.as_bytes() {
            [b'{', d @ b'0'..=b'3', b'}', ..] => {
                if let Some(arg) = args.get(usize::from(d - b'0')) {
                    write(*arg, &mut out);
                }
                rest = &tail[3..];
            }
            _ => {
                out.push('{');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn en_arg(arg: Arg<'_>, out: &mut String) {
    match arg {
        Arg::None => {}
        Arg::Str(s) => out.push_str(s),
        Arg::Num(n) => out.push_str(&decimal(n)),
        Arg::Locale(locale) => out.push_str(locale.tag()),
        Arg::Type(kind) => out.push_str(kind.name()),
        Arg::Types(kinds) => {
            for (k, kind) in kinds.iter().enumerate() {
                if k > 0 {
                    out.push_str(" and ");
                }
                out.push_str(kind.name());
            }
        }
        Arg::List(items) => out.push_str(&items.join(", ")),
        Arg::Quoted(items) => {
            out.push('"');
            out.push_str(&items.join("\", \""));
            out.push('"');
        }
        Arg::Condition(op, value) => {
            out.push_str(op.symbol());
            out.push(' ');
            out.push_str(&value.describe());
        }
    }
}

fn zh_arg(arg: Arg<'_>, out: &mut String) {
    let quote = |id: &str| ["“", id, "”"].concat();
    let text = match arg {
        Arg::None => String::new(),
        Arg::Str(s) => s.to_owned(),
        Arg::Num(n) => decimal(n),
        Arg::Locale(Locale::ZhCn) => "中文（zh-CN）".to_owned(),
        Arg::Locale(Locale::En) => "英文（en）".to_owned(),
        Arg::Type(kind) => type_zh(kind).to_owned(),
        Arg::Types(kinds) => kinds
            .iter()
            .map(|k| type_zh(*k))
            .collect::<Vec<_>>()
            .join("和"),
        Arg::List(items) => items.join("、"),
        Arg::Quoted(items) => ["\"", &items.join("\"、\""), "\""].concat(),
        Arg::Condition(op, value) => {
            let value = match value {
                ConditionValue::Number(n) => decimal(*n),
                ConditionValue::Option(id) => quote(id),
                ConditionValue::Numbers(list) => list
                    .iter()
                    .map(|n| decimal(*n))
                    .collect::<Vec<_>>()
                    .join("、"),
                ConditionValue::Options(list) => list
                    .iter()
                    .map(|id| quote(id))
                    .collect::<Vec<_>>()
                    .join("、"),
            };
            let op = match op {
                Comparison::Eq => "=",
                Comparison::Lte => "≤",
                Comparison::Gte => "≥",
                Comparison::In => "属于",
            };
            [op, " ", &value].concat()
        }
    };
    out.push_str(&text);
}

/// A question type as the zh-CN Studio names it, with 题.
fn type_zh(kind: QuestionType) -> &'static str {
    match kind {
        QuestionType::Rating => "评分题",
        QuestionType::Nps => "NPS 推荐度题",
        QuestionType::Choice => "选择题",
        QuestionType::Text => "文本题",
        QuestionType::Expectation => "预期对比题",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::{ConditionValue, QuestionType};

    /// One example of every rule. [`index`] fails to compile when a rule is added without an
    /// arm, and `every_rule_has_a_sample` fails until it has a sample here.
    fn samples() -> Vec<Problem> {
        use Problem as P;
        let s = |x: &str| x.to_owned();
        vec![
            P::NotJson {
                line: 3,
                column: 7,
                detail: s("expected value at line 3 column 7"),
            },
            P::NotObject,
            P::UnknownField {
                fields: &["low", "high"],
            },
            P::Missing,
            P::NotString,
            P::NotBool,
            P::NotNumber,
            P::NotWholeNumber,
            P::NotInteger,
            P::NotList,
            P::NotOneOf {
                names: vec!["single", "multiple"],
            },
            P::NotTexts,
            P::NotLocale,
            P::NotConditionValue,
            P::NotPlacement,
            P::SchemaVersion { supported: 1 },
            P::SurveyId,
            P::Zero,
            P::NoLocales,
            P::Duplicate { value: s("en") },
            P::DefaultLocaleNotOffered { locale: Locale::En },
            P::LocaleNotOffered { locale: Locale::En },
            P::DefaultTextMissing {
                locale: Locale::ZhCn,
            },
            P::TranslationMissing {
                locale: Locale::En,
                default: Locale::ZhCn,
            },
            P::Empty,
            P::TooLong { max: 300 },
            P::NoQuestions,
            P::TooManyQuestions { max: 20 },
            P::QuestionId,
            P::QuestionIdTaken {
                id: s("rating"),
                first: 0,
            },
            P::TextBudget {
                max: 3000,
                total: 3600,
            },
            P::NotASetting {
                kind: QuestionType::Text,
                owners: &[QuestionType::Rating, QuestionType::Expectation],
            },
            P::RequiredIfWithRequired,
            P::SatisfiedByNotRequired,
            P::SatisfiedBySelf { id: s("comment") },
            P::NoSuchQuestion { id: s("ratng") },
            P::LengthRange { max: 2000 },
            P::PointsRange,
            P::LabelsStyleWithoutLabels,
            P::FacesPoints { points: 7 },
            P::LabelsAndEndLabels,
            P::LabelCount {
                count: 4,
                points: 5,
            },
            P::ExpectationLabels { count: 3 },
            P::OptionsMissing,
            P::TooFewOptions,
            P::TooManyOptions { max: 20 },
            P::OptionId,
            P::OptionIdTaken {
                id: s("slow"),
                first: 1,
            },
            P::BoundOnSingleChoice,
            P::MinZero,
            P::MaxOverOptions { max: 5, offered: 3 },
            P::MinOverMax { min: 3, max: 2 },
            P::ConditionOnItself {
                question: s("rating"),
            },
            P::ConditionOnLater {
                question: s("reasons"),
                required: false,
                target: s("rating"),
                op: Comparison::In,
                value: ConditionValue::Numbers(vec![1, 2]),
            },
            P::NoValues,
            P::NeverAnswered {
                value: 6,
                target: s("rating"),
                low: 1,
                high: 5,
            },
            P::NotNumberList {
                target: s("rating"),
                low: 1,
                high: 5,
            },
            P::NotScaleNumber {
                target: s("nps"),
                low: 0,
                high: 10,
            },
            P::ConditionOnText {
                target: s("comment"),
            },
            P::OrderOnChoice {
                target: s("reasons"),
            },
            P::NotAnOption {
                option: s("fast"),
                target: s("reasons"),
            },
            P::NoOptionIds,
            P::NotOptionList {
                target: s("reasons"),
            },
            P::NotOptionId {
                target: s("reasons"),
            },
            P::Accent,
            P::InlineElementId,
            P::SampleRate,
            P::DaysRange { max: 365 },
            P::DelayRange { max: 60000 },
            P::NoTransactionTypes,
            P::TooManyTransactionTypes { max: 100 },
            P::NotThisSurvey { id: s("default") },
        ]
    }

    /// Which rule: exhaustive, so a new rule must be added here (and to [`samples`]).
    fn index(p: &Problem) -> usize {
        use Problem as P;
        match p {
            P::NotJson { .. } => 0,
            P::NotObject => 1,
            P::UnknownField { .. } => 2,
            P::Missing => 3,
            P::NotString => 4,
            P::NotBool => 5,
            P::NotNumber => 6,
            P::NotWholeNumber => 7,
            P::NotInteger => 8,
            P::NotList => 9,
            P::NotOneOf { .. } => 10,
            P::NotTexts => 11,
            P::NotLocale => 12,
            P::NotConditionValue => 13,
            P::NotPlacement => 14,
            P::SchemaVersion { .. } => 15,
            P::SurveyId => 16,
            P::Zero => 17,
            P::NoLocales => 18,
            P::Duplicate { .. } => 19,
            P::DefaultLocaleNotOffered { .. } => 20,
            P::LocaleNotOffered { .. } => 21,
            P::DefaultTextMissing { .. } => 22,
            P::TranslationMissing { .. } => 23,
            P::Empty => 24,
            P::TooLong { .. } => 25,
            P::NoQuestions => 26,
            P::TooManyQuestions { .. } => 27,
            P::QuestionId => 28,
            P::QuestionIdTaken { .. } => 29,
            P::TextBudget { .. } => 30,
            P::NotASetting { .. } => 31,
            P::RequiredIfWithRequired => 32,
            P::SatisfiedByNotRequired => 33,
            P::SatisfiedBySelf { .. } => 34,
            P::NoSuchQuestion { .. } => 35,
            P::LengthRange { .. } => 36,
            P::PointsRange => 37,
            P::LabelsStyleWithoutLabels => 38,
            P::FacesPoints { .. } => 39,
            P::LabelsAndEndLabels => 40,
            P::LabelCount { .. } => 41,
            P::ExpectationLabels { .. } => 42,
            P::OptionsMissing => 43,
            P::TooFewOptions => 44,
            P::TooManyOptions { .. } => 45,
            P::OptionId => 46,
            P::OptionIdTaken { .. } => 47,
            P::BoundOnSingleChoice => 48,
            P::MinZero => 49,
            P::MaxOverOptions { .. } => 50,
            P::MinOverMax { .. } => 51,
            P::ConditionOnItself { .. } => 52,
            P::ConditionOnLater { .. } => 53,
            P::NoValues => 54,
            P::NeverAnswered { .. } => 55,
            P::NotNumberList { .. } => 56,
            P::NotScaleNumber { .. } => 57,
            P::ConditionOnText { .. } => 58,
            P::OrderOnChoice { .. } => 59,
            P::NotAnOption { .. } => 60,
            P::NoOptionIds => 61,
            P::NotOptionList { .. } => 62,
            P::NotOptionId { .. } => 63,
            P::Accent => 64,
            P::InlineElementId => 65,
            P::SampleRate => 66,
            P::DaysRange { .. } => 67,
            P::DelayRange { .. } => 68,
            P::NoTransactionTypes => 69,
            P::TooManyTransactionTypes { .. } => 70,
            P::NotThisSurvey { .. } => 71,
        }
    }
    const RULES: usize = 72;

    #[test]
    fn every_rule_has_a_sample() {
        let mut seen = [false; RULES];
        for p in samples() {
            seen[index(&p)] = true;
        }
        let missing: Vec<usize> = (0..RULES).filter(|i| !seen[*i]).collect();
        assert!(missing.is_empty(), "rules without a sample: {missing:?}");
    }

    #[test]
    fn every_rule_reads_in_chinese_and_english() {
        let is_cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
        for p in samples() {
            let en = p.text(Locale::En);
            let zh = p.text(Locale::ZhCn);
            assert_eq!(en, p.en());
            assert!(!en.trim().is_empty() && !zh.trim().is_empty(), "{p:?}");
            // Every value filled in, none left as a placeholder or an empty quote.
            for text in [&en, &zh] {
                for hole in ["{0}", "{1}", "{2}", "{3}", "''", "“”"] {
                    assert!(!text.contains(hole), "{p:?}: {text}");
                }
            }
            assert!(!en.chars().any(is_cjk), "{p:?}: {en}");
            assert!(zh.chars().any(is_cjk), "{p:?} has no Chinese text: {zh}");
            assert_ne!(zh, en, "{p:?}");
        }
    }

    #[test]
    fn values_are_written_the_way_each_language_writes_them() {
        let setting = &samples()[31];
        assert_eq!(
            setting.en(),
            "is not a setting of a text question (only of rating and expectation): remove it"
        );
        assert_eq!(
            setting.text(Locale::ZhCn),
            "不是文本题的设置（只有评分题和预期对比题有）：请删除"
        );
        let later = samples()
            .into_iter()
            .find(|p| matches!(p, Problem::ConditionOnLater { .. }))
            .unwrap();
        assert_eq!(
            later.en(),
            "question 'reasons' shows if 'rating' in [1, 2] but 'rating' comes after it: \
             conditions may only use earlier questions"
        );
        assert_eq!(
            later.text(Locale::ZhCn),
            "问题“reasons”在“rating”属于 1、2 时显示，但“rating”排在它后面：条件只能引用前面的问题"
        );
        assert_eq!(
            Problem::UnknownField {
                fields: &["low", "high"]
            }
            .en(),
            "is not a field here; the fields are low, high"
        );
    }
}
