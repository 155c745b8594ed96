//! The script tag's configuration, read from its `data-*` attributes (passed in by the
//! loader as a plain object) and validated once, at start.

use model::Locale;
use wasm_bindgen::JsValue;

use crate::contract::{ATTR_ACCENT, ATTR_ENDPOINT, ATTR_LOCALE, ATTR_SURVEY};

/// The widget's configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The absolute http(s) URL responses are POSTed to (`data-endpoint`, resolved against the
    /// page). Required.
    pub endpoint: String,
    /// The locale named by `data-locale`. Defaults to none: then `<html lang>`, then
    /// `navigator.language`, then zh-CN.
    pub locale: Option<Locale>,
    /// The accent colour from `data-accent`. Defaults to none: the survey's, else the
    /// built-in blue.
    pub accent: Option<String>,
    /// Where the survey definition comes from (`data-survey`): an inline JSON element's id or
    /// a URL. Defaults to none: the built-in survey.
    pub survey: Option<String>,
}

/// What is wrong with a configuration. Each becomes one console error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// `data-endpoint` is missing or empty.
    MissingEndpoint,
    /// `data-endpoint` is not an http(s) URL.
    InvalidEndpoint(String),
    /// `data-locale` names a language the widget does not speak.
    InvalidLocale(String),
    /// `data-accent` is not a CSS colour.
    InvalidAccent(String),
}

impl ConfigError {
    /// The console message, without the `[survey-widget]` prefix.
    pub fn message(&self) -> String {
        match self {
            ConfigError::MissingEndpoint => {
                "data-endpoint is missing: set it to the URL responses are sent to, e.g. data-endpoint=\"https://example.com/v1/responses\"".to_owned()
            }
            ConfigError::InvalidEndpoint(v) => {
                ["data-endpoint \"", v, "\" is not an http(s) URL"].concat()
            }
            ConfigError::InvalidLocale(v) => {
                unsupported_locale("data-locale", v)
            }
            ConfigError::InvalidAccent(v) => ["data-accent \"", v, "\" is not a CSS colour"].concat(),
        }
    }
}

/// The message for a locale tag the widget does not speak; `what` names where it came from.
pub fn unsupported_locale(what: &str, tag: &str) -> String {
    [
        what,
        " \"",
        tag,
        "\" is not supported: use \"zh-CN\" or \"en\"",
    ]
    .concat()
}

/// Reads `key` of a plain JS object as a trimmed string, if it is a non-empty string.
pub fn string_field(object: &JsValue, key: &str) -> Option<String> {
    let value = js_sys::Reflect::get(object, &JsValue::from_str(key)).ok()?;
    let text = value.as_string().or_else(|| {
        value.as_f64().map(|n| {
            String::from(
                js_sys::Number::from(n)
                    .to_string_with_radix(10)
                    .unwrap_or_default(),
            )
        })
    })?;
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Resolves `endpoint` against the page and checks that it is http(s).
fn resolve_endpoint(endpoint: &str) -> Option<String> {
    let base = web_sys::window()?.document()?.base_uri().ok()??;
    let url = web_sys::Url::new_with_base(endpoint, &base).ok()?;
    matches!(url.protocol().as_str(), "http:" | "https:").then(|| url.href())
}

impl Config {
    /// Parses the loader's object of `data-*` values.
    pub fn parse(raw: &JsValue) -> Result<Config, ConfigError> {
        let endpoint = string_field(raw, ATTR_ENDPOINT).ok_or(ConfigError::MissingEndpoint)?;
        let endpoint = resolve_endpoint(&endpoint).ok_or(ConfigError::InvalidEndpoint(endpoint))?;
        let locale = match string_field(raw, ATTR_LOCALE) {
            None => None,
            Some(tag) => Some(Locale::from_tag(&tag).ok_or(ConfigError::InvalidLocale(tag))?),
        };
        let accent = match string_field(raw, ATTR_ACCENT) {
            None => None,
            Some(colour)
                if web_sys::css::supports_with_value("color", &colour).unwrap_or(false) =>
            {
                Some(colour)
            }
            Some(colour) => return Err(ConfigError::InvalidAccent(colour)),
        };
        Ok(Config {
            endpoint,
            locale,
            accent,
            survey: string_field(raw, ATTR_SURVEY),
        })
    }

    /// The locale to show: an explicit one, else `data-locale`, else `<html lang>`, else
    /// `navigator.language`, else zh-CN.
    pub fn locale(&self, explicit: Option<Locale>) -> Locale {
        explicit
            .or(self.locale)
            .or_else(page_locale)
            .unwrap_or_default()
    }
}

fn page_locale() -> Option<Locale> {
    let window = web_sys::window()?;
    let html_lang = window
        .document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"));
    html_lang
        .and_then(|tag| Locale::from_tag(&tag))
        .or_else(|| {
            window
                .navigator()
                .language()
                .and_then(|tag| Locale::from_tag(&tag))
        })
}
