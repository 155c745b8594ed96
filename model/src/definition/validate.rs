//! The rules on a survey definition: [`Definition::check`] returns every problem at once, each
//! with the JSON path of its field and a message a marketer can act on.

use super::{
    ChoiceMode, Comparison, Condition, ConditionValue, Definition, LocalizedText, Placement,
    Problem, Question, QuestionType, RatingStyle, SCHEMA_VERSION,
};
use crate::{FieldError, Locale, answers::char_count, digits::decimal};

/// An index in a path (not `format!`: that pulls `core::fmt` into the widget).
fn num<N: TryInto<i64>>(n: N) -> String {
    decimal(n.try_into().unwrap_or(i64::MAX))
}

/// The most characters of a survey id, question id or option id.
pub const MAX_ID_CHARS: usize = 64;
/// The most questions in a survey.
pub const MAX_QUESTIONS: usize = 20;
/// The most options of a choice question, "other" included.
pub const MAX_CHOICE_OPTIONS: usize = 20;
/// The highest `max_length` of a text question.
pub const MAX_TEXT_ANSWER_CHARS: u32 = 2000;
/// The highest `max_length` of a choice's "other" text.
pub const MAX_OTHER_CHARS: u32 = 500;
/// The most characters all text answers of one survey may add up to. At 3 bytes a character
/// (CJK) plus the rest of the payload this stays under the collector's 16 KiB body limit.
pub const MAX_TEXT_ANSWERS_TOTAL_CHARS: u32 = 3000;

const TITLE_CHARS: usize = 100;
const QUESTION_CHARS: usize = 300;
const LABEL_CHARS: usize = 100;
const THANKS_CHARS: usize = 300;
pub(super) const ELEMENT_ID_CHARS: usize = 100;

/// What [`Definition::check`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Problems that stop the definition from being published or shown.
    pub errors: Vec<FieldError>,
    /// Things to fix that do not stop it, such as a missing translation (its text falls back
    /// to the default locale).
    pub warnings: Vec<FieldError>,
}

impl Report {
    /// Whether there are no errors (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

impl Definition {
    /// Every problem with this definition, in document order. It never panics, whatever the
    /// definition holds.
    pub fn check(&self) -> Report {
        let mut checker = Checker {
            def: self,
            report: Report::default(),
        };
        checker.root();
        checker.report
    }

    /// [`Definition::check`] for publishing as survey `id` (the collector's
    /// `PUT /v1/surveys/{id}`, the Studio's publish): also an error first if the definition's
    /// own `id` is another, so that an edit of the id never publishes over another survey.
    pub fn check_publish_as(&self, id: &str) -> Report {
        let mut report = self.check();
        if self.id != id {
            let problem = Problem::NotThisSurvey { id: id.to_owned() };
            report.errors.insert(0, FieldError::of("id", problem));
        }
        report
    }
}

struct Checker<'a> {
    def: &'a Definition,
    report: Report,
}

/// Where a setting may appear.
struct Setting {
    name: &'static str,
    present: bool,
    types: &'static [QuestionType],
}

impl Checker<'_> {
    fn error(&mut self, field: &str, problem: Problem) {
        self.report.errors.push(FieldError::of(field, problem));
    }

    fn warn(&mut self, field: &str, problem: Problem) {
        self.report.warnings.push(FieldError::of(field, problem));
    }

    fn root(&mut self) {
        let def = self.def;
        if def.schema != SCHEMA_VERSION {
            self.error(
                "schema",
                Problem::SchemaVersion {
                    supported: SCHEMA_VERSION,
                },
            );
        }
        if !is_id(&def.id, true) {
            self.error("id", Problem::SurveyId);
        }
        if def.version == 0 {
            self.error("version", Problem::Zero);
        }
        if def.locales.is_empty() {
            self.error("locales", Problem::NoLocales);
        }
        for (i, locale) in def.locales.iter().enumerate() {
            if def.locales[..i].contains(locale) {
                self.error(
                    &["locales[", &num(i), "]"].concat(),
                    Problem::Duplicate {
                        value: locale.tag().to_owned(),
                    },
                );
            }
        }
        if !def.locales.is_empty() && !def.locales.contains(&def.default_locale) {
            self.error(
                "default_locale",
                Problem::DefaultLocaleNotOffered {
                    locale: def.default_locale,
                },
            );
        }
        self.text("title", &def.title, TITLE_CHARS);
        self.questions();
        self.text("thanks", &def.thanks, THANKS_CHARS);
        self.display();
    }

    /// A per-locale text: the default locale present, every string non-blank and short
    /// enough, no locale the survey does not offer; a missing translation is a warning.
    fn text(&mut self, path: &str, text: &LocalizedText, max_chars: usize) {
        let def = self.def;
        for locale in text.0.keys() {
            // With no locales at all, that one error says it all.
            if !def.locales.is_empty() && !def.locales.contains(locale) {
                self.error(
                    &[path, ".", locale.tag()].concat(),
                    Problem::LocaleNotOffered { locale: *locale },
                );
            }
        }
        let default = def.default_locale;
        let wanted =
            std::iter::once(default).chain(def.locales.iter().copied().filter(|l| *l != default));
        for locale in wanted.collect::<Vec<Locale>>() {
            let field = [path, ".", locale.tag()].concat();
            match text.0.get(&locale) {
                None if locale == default => {
                    self.error(&field, Problem::DefaultTextMissing { locale: default });
                }
                None => self.warn(&field, Problem::TranslationMissing { locale, default }),
                Some(s) if s.trim().is_empty() => self.error(&field, Problem::Empty),
                Some(s) if char_count(s) > max_chars => {
                    self.error(&field, Problem::TooLong { max: max_chars });
                }
                Some(_) => {}
            }
        }
    }

    fn questions(&mut self) {
        let def = self.def;
        if def.questions.is_empty() {
            self.error("questions", Problem::NoQuestions);
        } else if def.questions.len() > MAX_QUESTIONS {
            self.error(
                "questions",
                Problem::TooManyQuestions { max: MAX_QUESTIONS },
            );
        }
        for (i, q) in def.questions.iter().enumerate() {
            let at = ["questions[", &num(i), "]"].concat();
            if !is_id(&q.id, false) {
                self.error(&[&*at, ".id"].concat(), Problem::QuestionId);
            } else if let Some(j) = def.questions[..i].iter().position(|p| p.id == q.id) {
                self.error(
                    &[&*at, ".id"].concat(),
                    Problem::QuestionIdTaken {
                        id: q.id.clone(),
                        first: j,
                    },
                );
            }
            self.question(i, &at, q);
        }
        let budget: u64 = def
            .questions
            .iter()
            .map(|q| match q.kind {
                QuestionType::Text => u64::from(q.text_max_chars()),
                QuestionType::Choice => q.other.as_ref().map_or(0, |o| u64::from(o.max_chars())),
                _ => 0,
            })
            .sum();
        if budget > u64::from(MAX_TEXT_ANSWERS_TOTAL_CHARS) {
            self.error(
                "questions",
                Problem::TextBudget {
                    max: MAX_TEXT_ANSWERS_TOTAL_CHARS,
                    total: budget,
                },
            );
        }
    }

    fn question(&mut self, i: usize, at: &str, q: &Question) {
        use QuestionType::{Choice, Expectation, Nps, Rating, Text};
        self.text(&[at, ".text"].concat(), &q.text, QUESTION_CHARS);
        let settings = [
            Setting {
                name: "points",
                present: q.points.is_some(),
                types: &[Rating],
            },
            Setting {
                name: "style",
                present: q.style.is_some(),
                types: &[Rating],
            },
            Setting {
                name: "labels",
                present: q.labels.is_some(),
                types: &[Rating, Expectation],
            },
            Setting {
                name: "end_labels",
                present: q.end_labels.is_some(),
                types: &[Rating, Nps],
            },
            Setting {
                name: "mode",
                present: q.mode.is_some(),
                types: &[Choice],
            },
            Setting {
                name: "options",
                present: q.options.is_some(),
                types: &[Choice],
            },
            Setting {
                name: "min",
                present: q.min.is_some(),
                types: &[Choice],
            },
            Setting {
                name: "max",
                present: q.max.is_some(),
                types: &[Choice],
            },
            Setting {
                name: "other",
                present: q.other.is_some(),
                types: &[Choice],
            },
            Setting {
                name: "max_length",
                present: q.max_length.is_some(),
                types: &[Text],
            },
            Setting {
                name: "placeholder",
                present: q.placeholder.is_some(),
                types: &[Text],
            },
            Setting {
                name: "multiline",
                present: q.multiline.is_some(),
                types: &[Text],
            },
        ];
        for setting in settings {
            if setting.present && !setting.types.contains(&q.kind) {
                self.error(
                    &[at, ".", setting.name].concat(),
                    Problem::NotASetting {
                        kind: q.kind,
                        owners: setting.types,
                    },
                );
            }
        }
        if let Some(condition) = &q.show_if {
            self.condition(i, &[at, ".show_if"].concat(), false, condition);
        }
        if let Some(condition) = &q.required_if {
            if q.required {
                self.error(
                    &[at, ".required_if"].concat(),
                    Problem::RequiredIfWithRequired,
                );
            }
            self.condition(i, &[at, ".required_if"].concat(), true, condition);
        }
        self.satisfied_by(at, q);
        match q.kind {
            Rating => self.rating(at, q),
            Nps | Expectation => {
                if q.kind == Expectation
                    && let Some(labels) = &q.labels
                    && labels.len() != 5
                {
                    self.error(
                        &[at, ".labels"].concat(),
                        Problem::ExpectationLabels {
                            count: labels.len(),
                        },
                    );
                }
                self.scale_labels(at, q);
            }
            Choice => self.choice(at, q),
            Text => {
                let max = q.text_max_chars();
                if !(1..=MAX_TEXT_ANSWER_CHARS).contains(&max) {
                    self.error(
                        &[at, ".max_length"].concat(),
                        Problem::LengthRange {
                            max: MAX_TEXT_ANSWER_CHARS,
                        },
                    );
                }
            }
        }
        if let Some(placeholder) = &q.placeholder {
            self.text(&[at, ".placeholder"].concat(), placeholder, LABEL_CHARS);
        }
    }

    fn satisfied_by(&mut self, at: &str, q: &Question) {
        if q.satisfied_by.is_empty() {
            return;
        }
        if !q.required && q.required_if.is_none() {
            self.error(
                &[at, ".satisfied_by"].concat(),
                Problem::SatisfiedByNotRequired,
            );
        }
        for (k, id) in q.satisfied_by.iter().enumerate() {
            let field = [at, ".satisfied_by[", &num(k), "]"].concat();
            if *id == q.id {
                self.error(&field, Problem::SatisfiedBySelf { id: id.clone() });
            } else if self.def.question(id).is_none() {
                self.error(&field, Problem::NoSuchQuestion { id: id.clone() });
            } else if q.satisfied_by[..k].contains(id) {
                self.error(&field, Problem::Duplicate { value: id.clone() });
            }
        }
    }

    fn rating(&mut self, at: &str, q: &Question) {
        let points = q.points.unwrap_or(super::DEFAULT_RATING_POINTS);
        if !(3..=10).contains(&points) {
            self.error(&[at, ".points"].concat(), Problem::PointsRange);
        }
        match q.rating_style() {
            RatingStyle::Labels if q.labels.is_none() => {
                self.error(&[at, ".style"].concat(), Problem::LabelsStyleWithoutLabels);
            }
            RatingStyle::Faces if points > 5 => {
                self.error(&[at, ".style"].concat(), Problem::FacesPoints { points });
            }
            _ => {}
        }
        if q.labels.is_some() && q.end_labels.is_some() {
            self.error(&[at, ".end_labels"].concat(), Problem::LabelsAndEndLabels);
        }
        if let Some(labels) = &q.labels
            && u32::try_from(labels.len()).ok() != Some(points)
        {
            self.error(
                &[at, ".labels"].concat(),
                Problem::LabelCount {
                    count: labels.len(),
                    points,
                },
            );
        }
        self.scale_labels(at, q);
    }

    fn scale_labels(&mut self, at: &str, q: &Question) {
        for (k, label) in q.labels.iter().flatten().enumerate() {
            self.text(&[at, ".labels[", &num(k), "]"].concat(), label, LABEL_CHARS);
        }
        if let Some(ends) = &q.end_labels {
            self.text(&[at, ".end_labels.low"].concat(), &ends.low, LABEL_CHARS);
            self.text(&[at, ".end_labels.high"].concat(), &ends.high, LABEL_CHARS);
        }
    }

    fn choice(&mut self, at: &str, q: &Question) {
        let Some(options) = &q.options else {
            self.error(&[at, ".options"].concat(), Problem::OptionsMissing);
            return;
        };
        let offered = options.len() + usize::from(q.other.is_some());
        if offered < 2 {
            self.error(&[at, ".options"].concat(), Problem::TooFewOptions);
        } else if offered > MAX_CHOICE_OPTIONS {
            self.error(
                &[at, ".options"].concat(),
                Problem::TooManyOptions {
                    max: MAX_CHOICE_OPTIONS,
                },
            );
        }
        for (k, option) in options.iter().enumerate() {
            let field = [at, ".options[", &num(k), "].id"].concat();
            if !is_option_id(&option.id) {
                self.error(&field, Problem::OptionId);
            } else if let Some(j) = options[..k].iter().position(|o| o.id == option.id) {
                self.error(
                    &field,
                    Problem::OptionIdTaken {
                        id: option.id.clone(),
                        first: j,
                    },
                );
            }
            self.text(
                &[at, ".options[", &num(k), "].label"].concat(),
                &option.label,
                LABEL_CHARS,
            );
        }
        match q.choice_mode() {
            ChoiceMode::Single => {
                for (name, value) in [("min", q.min), ("max", q.max)] {
                    if value.is_some() {
                        self.error(&[at, ".", name].concat(), Problem::BoundOnSingleChoice);
                    }
                }
            }
            ChoiceMode::Multiple => {
                let offered = u32::try_from(offered).unwrap_or(u32::MAX);
                let (min, max) = q.selection_bounds();
                if min == 0 {
                    self.error(&[at, ".min"].concat(), Problem::MinZero);
                }
                if max == 0 {
                    self.error(&[at, ".max"].concat(), Problem::Zero);
                } else if max > offered {
                    self.error(
                        &[at, ".max"].concat(),
                        Problem::MaxOverOptions { max, offered },
                    );
                }
                if min > max {
                    self.error(&[at, ".min"].concat(), Problem::MinOverMax { min, max });
                }
            }
        }
        if let Some(other) = &q.other {
            self.text(&[at, ".other.label"].concat(), &other.label, LABEL_CHARS);
            if !(1..=MAX_OTHER_CHARS).contains(&other.max_chars()) {
                self.error(
                    &[at, ".other.max_length"].concat(),
                    Problem::LengthRange {
                        max: MAX_OTHER_CHARS,
                    },
                );
            }
            if let Some(placeholder) = &other.placeholder {
                self.text(
                    &[at, ".other.placeholder"].concat(),
                    placeholder,
                    LABEL_CHARS,
                );
            }
        }
    }

    /// A condition of question `i` on an earlier question. Conditions may only look back, so
    /// that the form can be evaluated top to bottom and no cycle can form. `required` says
    /// whether it is `required_if` (else `show_if`).
    fn condition(&mut self, i: usize, at: &str, required: bool, c: &Condition) {
        let def = self.def;
        let this = &def.questions[i].id;
        let field = [at, ".question"].concat();
        let Some(j) = def.questions.iter().position(|q| q.id == c.question) else {
            self.error(
                &field,
                Problem::NoSuchQuestion {
                    id: c.question.clone(),
                },
            );
            return;
        };
        let target = &def.questions[j];
        let t = &target.id;
        if j == i {
            self.error(
                &field,
                Problem::ConditionOnItself {
                    question: this.clone(),
                },
            );
            return;
        }
        if j > i {
            self.error(
                &field,
                Problem::ConditionOnLater {
                    question: this.clone(),
                    required,
                    target: t.clone(),
                    op: c.op,
                    value: c.value.clone(),
                },
            );
            return;
        }
        let value_field = [at, ".value"].concat();
        if let Some((low, high)) = target.scale() {
            let on_scale = |n: &i64| (low..=high).contains(n);
            let never = |value: i64| Problem::NeverAnswered {
                value,
                target: t.clone(),
                low,
                high,
            };
            match (c.op, &c.value) {
                (Comparison::In, ConditionValue::Numbers(list)) if list.is_empty() => {
                    self.error(&value_field, Problem::NoValues);
                }
                (Comparison::In, ConditionValue::Numbers(list)) => {
                    if let Some(n) = list.iter().find(|n| !on_scale(n)) {
                        self.error(&value_field, never(*n));
                    }
                }
                (Comparison::In, _) => self.error(
                    &value_field,
                    Problem::NotNumberList {
                        target: t.clone(),
                        low,
                        high,
                    },
                ),
                (_, ConditionValue::Number(n)) if !on_scale(n) => {
                    self.error(&value_field, never(*n));
                }
                (_, ConditionValue::Number(_)) => {}
                (_, _) => self.error(
                    &value_field,
                    Problem::NotScaleNumber {
                        target: t.clone(),
                        low,
                        high,
                    },
                ),
            }
            return;
        }
        if target.kind == QuestionType::Text {
            self.error(&field, Problem::ConditionOnText { target: t.clone() });
            return;
        }
        let known = |id: &String| target.option(id).is_some();
        let not_an_option = |id: &String| Problem::NotAnOption {
            option: id.clone(),
            target: t.clone(),
        };
        match (c.op, &c.value) {
            (Comparison::Lte | Comparison::Gte, _) => self.error(
                &[at, ".op"].concat(),
                Problem::OrderOnChoice { target: t.clone() },
            ),
            (Comparison::Eq, ConditionValue::Option(id)) if !known(id) => {
                self.error(&value_field, not_an_option(id));
            }
            (Comparison::Eq, ConditionValue::Option(_)) => {}
            (Comparison::In, ConditionValue::Options(ids)) if !ids.is_empty() => {
                if let Some(id) = ids.iter().find(|id| !known(id)) {
                    self.error(&value_field, not_an_option(id));
                }
            }
            // `[]` reads as an empty list of numbers.
            (Comparison::In, ConditionValue::Options(_))
            | (Comparison::In, ConditionValue::Numbers(_))
                if c.value == ConditionValue::Numbers(Vec::new())
                    || c.value == ConditionValue::Options(Vec::new()) =>
            {
                self.error(&value_field, Problem::NoOptionIds);
            }
            (Comparison::In, _) => {
                self.error(&value_field, Problem::NotOptionList { target: t.clone() });
            }
            (Comparison::Eq, _) => {
                self.error(&value_field, Problem::NotOptionId { target: t.clone() });
            }
        }
    }

    fn display(&mut self) {
        let display = &self.def.display;
        if let Some(accent) = &display.accent
            && !is_hex_colour(accent)
        {
            self.error("display.accent", Problem::Accent);
        }
        if let Placement::Inline(id) = &display.placement
            && (id.is_empty()
                || id.chars().any(char::is_whitespace)
                || char_count(id) > ELEMENT_ID_CHARS)
        {
            self.error("display.placement.inline", Problem::InlineElementId);
        }
        self.report
            .errors
            .extend(display.rules.problems("display.rules"));
    }
}

/// A survey id (`dash` allows `-`) or a question id (starts with a letter).
fn is_id(id: &str, dash: bool) -> bool {
    let first_ok = if dash {
        id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
    } else {
        id.starts_with(|c: char| c.is_ascii_lowercase())
    };
    first_ok
        && id.len() <= MAX_ID_CHARS
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || (dash && c == '-'))
}

fn is_option_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `#rgb` or `#rrggbb`.
fn is_hex_colour(s: &str) -> bool {
    s.strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit()))
}
