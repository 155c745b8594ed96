//! The one reader of survey definition JSON, over any parsed JSON value ([`Json`]).
//!
//! The collector and the Studio read definitions through `serde_json::Value` (this is what
//! `Definition`'s `Deserialize` and [`Definition::from_json`] call); the widget reads the value
//! the browser's `JSON.parse` returns, so its wasm carries neither a JSON parser nor serde's
//! generated visitors (`docs/performance.md`). One reader, so the three never disagree on
//! what a definition says. It checks the shape only (types, field names, enum values); the
//! rules are [`Definition::check`]. An error names the JSON path, such as
//! `questions[2].points`, and says what the field must be.

use crate::map::SmallMap;

use super::Problem;
use super::{
    ChoiceMode, ChoiceOption, Comparison, Condition, ConditionValue, Definition, Display,
    EndLabels, LocalizedText, OtherOption, Placement, Question, QuestionType, RatingStyle,
};
use crate::{DisplayRules, FieldError, Locale};

/// A parsed JSON value, as the reader sees it.
pub trait Json: Sized {
    /// Whether it is `null` (or, in JS, `undefined`).
    fn is_null(&self) -> bool;
    /// The boolean, if it is one.
    fn as_bool(&self) -> Option<bool>;
    /// The number, if it is one.
    fn as_f64(&self) -> Option<f64>;
    /// The string, if it is one.
    fn as_string(&self) -> Option<String>;
    /// The items, if it is an array.
    fn items(&self) -> Option<Vec<Self>>;
    /// The members in document order, if it is an object (not an array).
    fn members(&self) -> Option<Vec<(String, Self)>>;
}

impl<'a> Json for &'a serde_json::Value {
    fn is_null(&self) -> bool {
        serde_json::Value::is_null(self)
    }
    fn as_bool(&self) -> Option<bool> {
        serde_json::Value::as_bool(self)
    }
    fn as_f64(&self) -> Option<f64> {
        serde_json::Value::as_f64(self)
    }
    fn as_string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }
    fn items(&self) -> Option<Vec<&'a serde_json::Value>> {
        self.as_array().map(|items| items.iter().collect())
    }
    fn members(&self) -> Option<Vec<(String, &'a serde_json::Value)>> {
        self.as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v)).collect())
    }
}

type Read<T> = Result<T, FieldError>;

/// Reads a definition from a parsed JSON value.
pub fn definition<J: Json>(value: &J) -> Read<Definition> {
    let mut o = Object::new(
        value,
        "",
        &[
            "schema",
            "id",
            "version",
            "default_locale",
            "locales",
            "title",
            "questions",
            "thanks",
            "display",
        ],
    )?;
    Ok(Definition {
        schema: o.required("schema", whole)?,
        id: o.required("id", string)?,
        version: o.required("version", whole)?,
        default_locale: o.required("default_locale", locale)?,
        locales: o.required("locales", |v, p| list(v, p, locale))?,
        title: o.required("title", text)?,
        questions: o.required("questions", |v, p| list(v, p, question))?,
        thanks: o.required("thanks", text)?,
        display: o.or_default("display", display)?,
    })
}

fn question<J: Json>(value: &J, path: &str) -> Read<Question> {
    let mut o = Object::new(
        value,
        path,
        &[
            "id",
            "type",
            "text",
            "required",
            "show_if",
            "required_if",
            "satisfied_by",
            "points",
            "style",
            "labels",
            "end_labels",
            "mode",
            "options",
            "min",
            "max",
            "other",
            "max_length",
            "placeholder",
            "multiline",
        ],
    )?;
    Ok(Question {
        id: o.required("id", string)?,
        kind: o.required("type", |v, p| {
            one_of(
                v,
                p,
                &[
                    ("rating", QuestionType::Rating),
                    ("nps", QuestionType::Nps),
                    ("choice", QuestionType::Choice),
                    ("text", QuestionType::Text),
                    ("expectation", QuestionType::Expectation),
                ],
            )
        })?,
        text: o.required("text", text)?,
        required: o.or_default("required", boolean)?,
        show_if: o.optional("show_if", condition)?,
        required_if: o.optional("required_if", condition)?,
        satisfied_by: o.or_default("satisfied_by", |v, p| list(v, p, string))?,
        points: o.optional("points", whole)?,
        style: o.optional("style", |v, p| {
            one_of(
                v,
                p,
                &[
                    ("stars", RatingStyle::Stars),
                    ("faces", RatingStyle::Faces),
                    ("numbers", RatingStyle::Numbers),
                    ("labels", RatingStyle::Labels),
                ],
            )
        })?,
        labels: o.optional("labels", |v, p| list(v, p, text))?,
        end_labels: o.optional("end_labels", |v, p| {
            let mut o = Object::new(v, p, &["low", "high"])?;
            Ok(EndLabels {
                low: o.required("low", text)?,
                high: o.required("high", text)?,
            })
        })?,
        mode: o.optional("mode", |v, p| {
            one_of(
                v,
                p,
                &[
                    ("single", ChoiceMode::Single),
                    ("multiple", ChoiceMode::Multiple),
                ],
            )
        })?,
        options: o.optional("options", |v, p| {
            list(v, p, |v, p| {
                let mut o = Object::new(v, p, &["id", "label"])?;
                Ok(ChoiceOption {
                    id: o.required("id", string)?,
                    label: o.required("label", text)?,
                })
            })
        })?,
        min: o.optional("min", whole)?,
        max: o.optional("max", whole)?,
        other: o.optional("other", |v, p| {
            let mut o = Object::new(v, p, &["label", "max_length", "placeholder"])?;
            Ok(OtherOption {
                label: o.required("label", text)?,
                max_length: o.optional("max_length", whole)?,
                placeholder: o.optional("placeholder", text)?,
            })
        })?,
        max_length: o.optional("max_length", whole)?,
        placeholder: o.optional("placeholder", text)?,
        multiline: o.optional("multiline", boolean)?,
    })
}

fn condition<J: Json>(value: &J, path: &str) -> Read<Condition> {
    let mut o = Object::new(value, path, &["question", "op", "value"])?;
    Ok(Condition {
        question: o.required("question", string)?,
        op: o.required("op", |v, p| {
            one_of(
                v,
                p,
                &[
                    ("eq", Comparison::Eq),
                    ("lte", Comparison::Lte),
                    ("gte", Comparison::Gte),
                    ("in", Comparison::In),
                ],
            )
        })?,
        value: o.required("value", condition_value)?,
    })
}

/// A whole number, an option id, or a list of either (an empty list is numbers).
fn condition_value<J: Json>(value: &J, path: &str) -> Read<ConditionValue> {
    let shape = || FieldError::of(path, Problem::NotConditionValue);
    if let Some(id) = value.as_string() {
        return Ok(ConditionValue::Option(id));
    }
    if value.as_f64().is_some() {
        return integer(value, path).map(ConditionValue::Number);
    }
    let items = value.items().ok_or_else(shape)?;
    if items.iter().all(|v| v.as_f64().is_some()) {
        let mut numbers = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            numbers.push(integer(item, &index(path, i))?);
        }
        return Ok(ConditionValue::Numbers(numbers));
    }
    let ids: Option<Vec<String>> = items.iter().map(Json::as_string).collect();
    ids.map(ConditionValue::Options).ok_or_else(shape)
}

fn display<J: Json>(value: &J, path: &str) -> Read<Display> {
    let mut o = Object::new(value, path, &["placement", "accent", "large_text", "rules"])?;
    Ok(Display {
        placement: o.or_default("placement", placement)?,
        accent: o.optional("accent", string)?,
        large_text: o.or_default("large_text", boolean)?,
        rules: o.or_default("rules", rules)?,
    })
}

fn placement<J: Json>(value: &J, path: &str) -> Read<Placement> {
    let shape = || FieldError::of(path, Problem::NotPlacement);
    match value.as_string().as_deref() {
        Some("corner") => return Ok(Placement::Corner),
        Some("bottom_sheet") => return Ok(Placement::BottomSheet),
        Some(_) => return Err(shape()),
        None => {}
    }
    let members = value.members().ok_or_else(shape)?;
    match members.as_slice() {
        [(key, id)] if key == "inline" => string(id, &at(path, key)).map(Placement::Inline),
        _ => Err(shape()),
    }
}

fn rules<J: Json>(value: &J, path: &str) -> Read<DisplayRules> {
    let mut o = Object::new(
        value,
        path,
        &[
            "sample_rate",
            "recontact_days",
            "cooldown_days",
            "transaction_types",
            "delay_ms",
        ],
    )?;
    let defaults = DisplayRules::default();
    Ok(DisplayRules {
        sample_rate: o
            .optional("sample_rate", number)?
            .unwrap_or(defaults.sample_rate),
        recontact_days: o
            .optional("recontact_days", whole)?
            .unwrap_or(defaults.recontact_days),
        cooldown_days: o
            .optional("cooldown_days", whole)?
            .unwrap_or(defaults.cooldown_days),
        transaction_types: o.optional("transaction_types", |v, p| list(v, p, string))?,
        delay_ms: o.optional("delay_ms", whole)?.unwrap_or(defaults.delay_ms),
    })
}

/// A per-locale text: an object from `zh-CN` / `en` to strings.
fn text<J: Json>(value: &J, path: &str) -> Read<LocalizedText> {
    let members = value
        .members()
        .ok_or_else(|| FieldError::of(path, Problem::NotTexts))?;
    let mut texts = SmallMap::default();
    for (key, v) in members {
        let here = at(path, &key);
        let locale = locale_tag(&key).ok_or_else(|| FieldError::of(&here, Problem::NotLocale))?;
        texts.insert(locale, string(&v, &here)?);
    }
    Ok(LocalizedText(texts))
}

fn locale_tag(tag: &str) -> Option<Locale> {
    Locale::ALL.into_iter().find(|l| l.tag() == tag)
}

fn locale<J: Json>(value: &J, path: &str) -> Read<Locale> {
    locale_tag(&string(value, path)?).ok_or_else(|| FieldError::of(path, Problem::NotLocale))
}

fn string<J: Json>(value: &J, path: &str) -> Read<String> {
    value
        .as_string()
        .ok_or_else(|| FieldError::of(path, Problem::NotString))
}

fn boolean<J: Json>(value: &J, path: &str) -> Read<bool> {
    value
        .as_bool()
        .ok_or_else(|| FieldError::of(path, Problem::NotBool))
}

fn number<J: Json>(value: &J, path: &str) -> Read<f64> {
    value
        .as_f64()
        .ok_or_else(|| FieldError::of(path, Problem::NotNumber))
}

/// A whole number from 0 to `u32::MAX`.
fn whole<J: Json>(value: &J, path: &str) -> Read<u32> {
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => Ok(n as u32),
        _ => Err(FieldError::of(path, Problem::NotWholeNumber)),
    }
}

/// A whole number that a JSON number holds exactly (±2⁵³).
fn integer<J: Json>(value: &J, path: &str) -> Read<i64> {
    const SAFE: f64 = 9_007_199_254_740_991.0;
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (-SAFE..=SAFE).contains(&n) => Ok(n as i64),
        _ => Err(FieldError::of(path, Problem::NotInteger)),
    }
}

fn list<J: Json, T>(value: &J, path: &str, item: fn(&J, &str) -> Read<T>) -> Read<Vec<T>> {
    let items = value
        .items()
        .ok_or_else(|| FieldError::of(path, Problem::NotList))?;
    let mut out = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        out.push(item(v, &index(path, i))?);
    }
    Ok(out)
}

fn one_of<J: Json, T: Copy>(value: &J, path: &str, names: &[(&'static str, T)]) -> Read<T> {
    let name = value.as_string();
    names
        .iter()
        .find(|(n, _)| Some(*n) == name.as_deref())
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            let names = names.iter().map(|(n, _)| *n).collect();
            FieldError::of(path, Problem::NotOneOf { names })
        })
}

/// `path.key`, or `key` at the top.
fn at(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        [path, ".", key].concat()
    }
}

/// `path[i]`.
fn index(path: &str, i: usize) -> String {
    let i = i64::try_from(i).unwrap_or(i64::MAX);
    [path, "[", &crate::digits::decimal(i), "]"].concat()
}

/// An object's members, taken by name; any other member is refused.
///
/// Its readers take a field's reader as a `fn` pointer, not a generic closure: the widget's
/// wasm then has one copy of `required`/`optional` per value type rather than one per field,
/// inlined into `definition` (-0.5 KB brotli, which pays for the rules' codes).
struct Object<J> {
    path: String,
    members: Vec<(String, J)>,
}

impl<J: Json> Object<J> {
    fn new(value: &J, path: &str, fields: &'static [&'static str]) -> Read<Object<J>> {
        let members = value
            .members()
            .ok_or_else(|| FieldError::of(path, Problem::NotObject))?;
        if let Some((key, _)) = members.iter().find(|(k, _)| !fields.contains(&k.as_str())) {
            return Err(FieldError::of(
                &at(path, key),
                Problem::UnknownField { fields },
            ));
        }
        Ok(Object {
            path: path.to_owned(),
            members,
        })
    }

    /// The member `key` with its path, if present (the last one if repeated, as `JSON.parse`).
    fn take(&mut self, key: &str) -> Option<(String, J)> {
        let at_ = self.members.iter().rposition(|(k, _)| k == key)?;
        let (_, value) = self.members.swap_remove(at_);
        Some((at(&self.path, key), value))
    }

    fn required<T>(&mut self, key: &str, read: fn(&J, &str) -> Read<T>) -> Read<T> {
        match self.take(key) {
            Some((path, value)) => read(&value, &path),
            None => Err(FieldError::of(&at(&self.path, key), Problem::Missing)),
        }
    }

    /// Absent or `null` is `None`.
    fn optional<T>(&mut self, key: &str, read: fn(&J, &str) -> Read<T>) -> Read<Option<T>> {
        match self.take(key) {
            Some((_, value)) if value.is_null() => Ok(None),
            Some((path, value)) => read(&value, &path).map(Some),
            None => Ok(None),
        }
    }

    /// Absent is the default; present (even `null`) must be valid.
    fn or_default<T: Default>(&mut self, key: &str, read: fn(&J, &str) -> Read<T>) -> Read<T> {
        match self.take(key) {
            Some((path, value)) => read(&value, &path),
            None => Ok(T::default()),
        }
    }
}
