//! The rules on a survey definition: [`Definition::check`] returns every problem at once, each
//! with the JSON path of its field and a message a marketer can act on.

use super::{
    ChoiceMode, Comparison, Condition, ConditionValue, Definition, LocalizedText, Placement,
    Question, QuestionType, RatingStyle, SCHEMA_VERSION,
};
use crate::{FieldError, Locale, answers::char_count, digits::decimal};

/// A count or index in a message (not `format!`: that pulls `core::fmt` into the widget).
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
const ELEMENT_ID_CHARS: usize = 100;

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
    fn error(&mut self, field: &str, message: impl Into<String>) {
        self.report.errors.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    fn warn(&mut self, field: &str, message: impl Into<String>) {
        self.report.warnings.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    fn root(&mut self) {
        let def = self.def;
        if def.schema != SCHEMA_VERSION {
            self.error(
                "schema",
                [
                    "must be ",
                    &num(SCHEMA_VERSION),
                    ": this build reads survey definition schema ",
                    &num(SCHEMA_VERSION),
                ]
                .concat(),
            );
        }
        if !is_id(&def.id, true) {
            self.error(
                "id",
                [
                    "must be 1 to ",
                    &num(MAX_ID_CHARS),
                    " lowercase letters, digits, '-' or '_'",
                ]
                .concat(),
            );
        }
        if def.version == 0 {
            self.error("version", "must be 1 or more");
        }
        if def.locales.is_empty() {
            self.error("locales", "must list at least one locale");
        }
        for (i, locale) in def.locales.iter().enumerate() {
            if def.locales[..i].contains(locale) {
                self.error(
                    &["locales[", &num(i), "]"].concat(),
                    ["'", locale.tag(), "' appears twice"].concat(),
                );
            }
        }
        if !def.locales.is_empty() && !def.locales.contains(&def.default_locale) {
            self.error(
                "default_locale",
                ["'", def.default_locale.tag(), "' must be one of locales"].concat(),
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
                    [
                        "'",
                        locale.tag(),
                        "' is not one of the survey's locales: remove this text or add '",
                        locale.tag(),
                        "' to locales",
                    ]
                    .concat(),
                );
            }
        }
        let default = def.default_locale;
        let wanted =
            std::iter::once(default).chain(def.locales.iter().copied().filter(|l| *l != default));
        for locale in wanted.collect::<Vec<Locale>>() {
            let field = [path, ".", locale.tag()].concat();
            match text.0.get(&locale) {
                None if locale == default => self.error(
                    &field,
                    [
                        "is missing: every text needs the default locale ",
                        default.tag(),
                    ]
                    .concat(),
                ),
                None => self.warn(
                    &field,
                    [
                        "is missing: customers reading ",
                        locale.tag(),
                        " see the ",
                        default.tag(),
                        " text",
                    ]
                    .concat(),
                ),
                Some(s) if s.trim().is_empty() => self.error(&field, "is empty"),
                Some(s) if char_count(s) > max_chars => {
                    self.error(
                        &field,
                        ["is longer than ", &num(max_chars), " characters"].concat(),
                    );
                }
                Some(_) => {}
            }
        }
    }

    fn questions(&mut self) {
        let def = self.def;
        if def.questions.is_empty() {
            self.error("questions", "must have at least one question");
        } else if def.questions.len() > MAX_QUESTIONS {
            self.error(
                "questions",
                ["must have at most ", &num(MAX_QUESTIONS), " questions"].concat(),
            );
        }
        for (i, q) in def.questions.iter().enumerate() {
            let at = ["questions[", &num(i), "]"].concat();
            if !is_id(&q.id, false) {
                self.error(
                    &[&*at, ".id"].concat(),
                    [
                        "must be 1 to ",
                        &num(MAX_ID_CHARS),
                        " lowercase letters, digits or '_', starting with a letter",
                    ]
                    .concat(),
                );
            } else if let Some(j) = def.questions[..i].iter().position(|p| p.id == q.id) {
                self.error(
                    &[&*at, ".id"].concat(),
                    [
                        "'",
                        &*q.id,
                        "' is already the id of questions[",
                        &num(j),
                        "]",
                    ]
                    .concat(),
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
                [
                    "the text answers may add up to at most ",
                    &num(MAX_TEXT_ANSWERS_TOTAL_CHARS),
                    " characters, \
                     but their max_length values add up to ",
                    &num(budget),
                    ": lower some (the collector accepts \
                     16 KiB per response)",
                ]
                .concat(),
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
                let owners: Vec<&str> = setting.types.iter().map(|t| t.name()).collect();
                self.error(
                    &[at, ".", setting.name].concat(),
                    [
                        "is not a setting of a ",
                        q.kind.name(),
                        " question (only of ",
                        &*owners.join(" and "),
                        "): remove it",
                    ]
                    .concat(),
                );
            }
        }
        if let Some(condition) = &q.show_if {
            self.condition(i, &[at, ".show_if"].concat(), "shows", condition);
        }
        if let Some(condition) = &q.required_if {
            if q.required {
                self.error(
                    &[at, ".required_if"].concat(),
                    "has no effect because required is true: remove one of them",
                );
            }
            self.condition(i, &[at, ".required_if"].concat(), "is required", condition);
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
                        [
                            "has ",
                            &num(labels.len()),
                            " labels but an expectation question has 5 (much worse … much better)",
                        ]
                        .concat(),
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
                        [
                            "must be from 1 to ",
                            &num(MAX_TEXT_ANSWER_CHARS),
                            " characters",
                        ]
                        .concat(),
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
                "only matters for a required question: set required or required_if, or remove it",
            );
        }
        for (k, id) in q.satisfied_by.iter().enumerate() {
            let field = [at, ".satisfied_by[", &num(k), "]"].concat();
            if *id == q.id {
                self.error(&field, ["'", id, "' is this question itself"].concat());
            } else if self.def.question(id).is_none() {
                self.error(
                    &field,
                    ["names no question: there is no question '", id, "'"].concat(),
                );
            } else if q.satisfied_by[..k].contains(id) {
                self.error(&field, ["'", id, "' appears twice"].concat());
            }
        }
    }

    fn rating(&mut self, at: &str, q: &Question) {
        let points = q.points.unwrap_or(super::DEFAULT_RATING_POINTS);
        if !(3..=10).contains(&points) {
            self.error(&[at, ".points"].concat(), "must be from 3 to 10");
        }
        match q.rating_style() {
            RatingStyle::Labels if q.labels.is_none() => self.error(
                &[at, ".style"].concat(),
                "'labels' shows each point's label as its button: add labels, one per point",
            ),
            RatingStyle::Faces if points > 5 => self.error(
                &[at, ".style"].concat(),
                [
                    "faces can show 3 to 5 points, not ",
                    &num(points),
                    ": use stars or numbers",
                ]
                .concat(),
            ),
            _ => {}
        }
        if q.labels.is_some() && q.end_labels.is_some() {
            self.error(
                &[at, ".end_labels"].concat(),
                "give labels (one per point) or end_labels, not both",
            );
        }
        if let Some(labels) = &q.labels
            && u32::try_from(labels.len()).ok() != Some(points)
        {
            self.error(
                &[at, ".labels"].concat(),
                [
                    "has ",
                    &num(labels.len()),
                    " labels but the rating has ",
                    &num(points),
                    " points: give one label per point",
                ]
                .concat(),
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
            self.error(
                &[at, ".options"].concat(),
                "is missing: a choice question needs options",
            );
            return;
        };
        let offered = options.len() + usize::from(q.other.is_some());
        if offered < 2 {
            self.error(
                &[at, ".options"].concat(),
                "must offer at least 2 options ('other' counts as one)",
            );
        } else if offered > MAX_CHOICE_OPTIONS {
            self.error(
                &[at, ".options"].concat(),
                [
                    "must offer at most ",
                    &num(MAX_CHOICE_OPTIONS),
                    " options ('other' counts as one)",
                ]
                .concat(),
            );
        }
        for (k, option) in options.iter().enumerate() {
            let field = [at, ".options[", &num(k), "].id"].concat();
            if !is_option_id(&option.id) {
                self.error(
                    &field,
                    [
                        "must be 1 to ",
                        &num(MAX_ID_CHARS),
                        " lowercase letters, digits or '_'",
                    ]
                    .concat(),
                );
            } else if let Some(j) = options[..k].iter().position(|o| o.id == option.id) {
                self.error(
                    &field,
                    [
                        "'",
                        &*option.id,
                        "' is already the id of options[",
                        &num(j),
                        "]",
                    ]
                    .concat(),
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
                        self.error(
                            &[at, ".", name].concat(),
                            "only applies to mode multiple: a single choice selects one option",
                        );
                    }
                }
            }
            ChoiceMode::Multiple => {
                let offered = u32::try_from(offered).unwrap_or(u32::MAX);
                let (min, max) = q.selection_bounds();
                if min == 0 {
                    self.error(
                        &[at, ".min"].concat(),
                        "must be 1 or more (an optional question may be left unanswered anyway)",
                    );
                }
                if max == 0 {
                    self.error(&[at, ".max"].concat(), "must be 1 or more");
                } else if max > offered {
                    self.error(
                        &[at, ".max"].concat(),
                        [
                            "is ",
                            &num(max),
                            ", more than the ",
                            &num(offered),
                            " options offered",
                        ]
                        .concat(),
                    );
                }
                if min > max {
                    self.error(
                        &[at, ".min"].concat(),
                        ["is ", &num(min), ", more than max (", &num(max), ")"].concat(),
                    );
                }
            }
        }
        if let Some(other) = &q.other {
            self.text(&[at, ".other.label"].concat(), &other.label, LABEL_CHARS);
            if !(1..=MAX_OTHER_CHARS).contains(&other.max_chars()) {
                self.error(
                    &[at, ".other.max_length"].concat(),
                    ["must be from 1 to ", &num(MAX_OTHER_CHARS), " characters"].concat(),
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
    /// that the form can be evaluated top to bottom and no cycle can form.
    fn condition(&mut self, i: usize, at: &str, verb: &str, c: &Condition) {
        let def = self.def;
        let this = &def.questions[i].id;
        let field = [at, ".question"].concat();
        let Some(j) = def.questions.iter().position(|q| q.id == c.question) else {
            self.error(
                &field,
                [
                    "names no question: there is no question '",
                    &*c.question,
                    "'",
                ]
                .concat(),
            );
            return;
        };
        let target = &def.questions[j];
        let t = &target.id;
        if j == i {
            self.error(
                &field,
                ["question '", this, "' cannot depend on its own answer"].concat(),
            );
            return;
        }
        if j > i {
            self.error(
                &field,
                [
                    "question '",
                    this,
                    "' ",
                    verb,
                    " if '",
                    t,
                    "' ",
                    c.op.symbol(),
                    " ",
                    &c.value.describe(),
                    " but '",
                    t,
                    "' comes after it: conditions may only use earlier questions",
                ]
                .concat(),
            );
            return;
        }
        let value_field = [at, ".value"].concat();
        if let Some((lo, hi)) = target.scale() {
            let on_scale = |n: &i64| (lo..=hi).contains(n);
            let scale = ["'", t, "' runs from ", &num(lo), " to ", &num(hi)].concat();
            match (c.op, &c.value) {
                (Comparison::In, ConditionValue::Numbers(list)) if list.is_empty() => {
                    self.error(&value_field, "must list at least one value");
                }
                (Comparison::In, ConditionValue::Numbers(list)) => {
                    if let Some(n) = list.iter().find(|n| !on_scale(n)) {
                        self.error(
                            &value_field,
                            [&num(*n), " is never answered: ", &*scale].concat(),
                        );
                    }
                }
                (Comparison::In, _) => self.error(
                    &value_field,
                    ["must be a list of whole numbers: ", &*scale].concat(),
                ),
                (_, ConditionValue::Number(n)) if !on_scale(n) => {
                    self.error(
                        &value_field,
                        [&num(*n), " is never answered: ", &*scale].concat(),
                    );
                }
                (_, ConditionValue::Number(_)) => {}
                (_, _) => self.error(&value_field, ["must be a whole number: ", &*scale].concat()),
            }
            return;
        }
        if target.kind == QuestionType::Text {
            self.error(
                &field,
                ["'", t, "' is a text question: conditions compare rating, nps, expectation or choice answers"].concat(),
            );
            return;
        }
        let known = |id: &String| target.option(id).is_some();
        match (c.op, &c.value) {
            (Comparison::Lte | Comparison::Gte, _) => self.error(
                &[at, ".op"].concat(),
                [
                    "'",
                    t,
                    "' is a choice question: compare its options with eq or in",
                ]
                .concat(),
            ),
            (Comparison::Eq, ConditionValue::Option(id)) if !known(id) => {
                self.error(
                    &value_field,
                    ["'", id, "' is not an option of '", t, "'"].concat(),
                );
            }
            (Comparison::Eq, ConditionValue::Option(_)) => {}
            (Comparison::In, ConditionValue::Options(ids)) if !ids.is_empty() => {
                if let Some(id) = ids.iter().find(|id| !known(id)) {
                    self.error(
                        &value_field,
                        ["'", id, "' is not an option of '", t, "'"].concat(),
                    );
                }
            }
            // `[]` reads as an empty list of numbers.
            (Comparison::In, ConditionValue::Options(_))
            | (Comparison::In, ConditionValue::Numbers(_))
                if c.value == ConditionValue::Numbers(Vec::new())
                    || c.value == ConditionValue::Options(Vec::new()) =>
            {
                self.error(&value_field, "must list at least one option id");
            }
            (Comparison::In, _) => self.error(
                &value_field,
                ["must be a list of option ids of '", t, "'"].concat(),
            ),
            (Comparison::Eq, _) => {
                self.error(&value_field, ["must be an option id of '", t, "'"].concat());
            }
        }
    }

    fn display(&mut self) {
        let display = &self.def.display;
        if let Some(accent) = &display.accent
            && !is_hex_colour(accent)
        {
            self.error(
                "display.accent",
                "must be a hex colour: # and 3 or 6 hex digits, such as #1a73e8",
            );
        }
        if let Placement::Inline(id) = &display.placement
            && (id.is_empty()
                || id.chars().any(char::is_whitespace)
                || char_count(id) > ELEMENT_ID_CHARS)
        {
            self.error(
                "display.placement.inline",
                [
                    "must be the id of an element in the host page: 1 to ",
                    &num(ELEMENT_ID_CHARS),
                    " characters, no spaces",
                ]
                .concat(),
            );
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
