//! Which survey the widget shows: the built-in one, or the definition `data-survey` names (a
//! URL, or the id of an inline `<script type="application/json">`).
//!
//! A definition is parsed with the browser's `JSON.parse` and read by `model`'s one reader of
//! the format (`model::definition::read`, over [`Js`]), then checked with `model`'s
//! `Definition::check`: the same code the collector and the Studio run, without a JSON parser
//! or serde's generated visitors in the wasm. One that fails to load, to read or to check is replaced by
//! the built-in survey, with one `[survey-widget]` error naming the problem: the customer can
//! always rate.

use std::cell::RefCell;
use std::sync::Arc;

use js_sys::{Array, Object};
use model::definition::Definition;
use model::definition::read::Json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

/// A value `JSON.parse` returned, as `model`'s reader sees it.
pub struct Js(pub JsValue);

impl Json for Js {
    fn is_null(&self) -> bool {
        self.0.is_null() || self.0.is_undefined()
    }
    fn as_bool(&self) -> Option<bool> {
        self.0.as_bool()
    }
    fn as_f64(&self) -> Option<f64> {
        self.0.as_f64()
    }
    fn as_string(&self) -> Option<String> {
        self.0.as_string()
    }
    fn items(&self) -> Option<Vec<Js>> {
        Array::is_array(&self.0).then(|| self.0.unchecked_ref::<Array>().iter().map(Js).collect())
    }
    fn members(&self) -> Option<Vec<(String, Js)>> {
        if !self.0.is_object() || Array::is_array(&self.0) {
            return None;
        }
        let entries = Object::entries(self.0.unchecked_ref::<Object>());
        Some(
            entries
                .iter()
                .map(|entry| {
                    let pair: Array = entry.unchecked_into();
                    (pair.get(0).as_string().unwrap_or_default(), Js(pair.get(1)))
                })
                .collect(),
        )
    }
}

/// Parses `json` with the browser's `JSON.parse`.
fn parse(json: &str) -> Result<JsValue, String> {
    js_sys::JSON::parse(json).map_err(|error| {
        error.dyn_ref::<js_sys::Error>().map_or_else(
            || "not JSON".to_owned(),
            |e| ["not JSON: ", &String::from(e.message())].concat(),
        )
    })
}

/// How long fetching a definition may take before the built-in survey is shown instead.
pub const SURVEY_TIMEOUT_MS: u32 = 5_000;

/// `model/surveys/default.json` without its indentation (`build.rs`).
const BUILTIN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/default.json"));

thread_local! {
    static BUILTIN: RefCell<Option<Arc<Definition>>> = const { RefCell::new(None) };
}

/// The built-in survey (`model/surveys/default.json`), read once.
pub fn builtin() -> Arc<Definition> {
    BUILTIN.with_borrow_mut(|cached| {
        Arc::clone(cached.get_or_insert_with(|| {
            let read = parse(BUILTIN_JSON)
                .ok()
                .and_then(|v| Definition::read(&Js(v)).ok());
            // model's tests prove the file is a valid definition.
            Arc::new(read.unwrap_or_else(|| wasm_bindgen::throw_str("built-in survey")))
        }))
    })
}

/// Reads and checks a definition from a parsed JSON value. The error names the field.
pub fn read(value: JsValue) -> Result<Definition, String> {
    let definition = Definition::read(&Js(value)).map_err(|e| e.text())?;
    let report = definition.check();
    match report.errors.first() {
        None => Ok(definition),
        Some(error) => Err(error.text()),
    }
}

/// Parses and checks `json`.
pub fn read_json(json: &str) -> Result<Definition, String> {
    read(parse(json)?)
}

/// Loads the definition `source` names: the JSON text of the page's
/// `<script type="application/json">` with that id, else the URL (resolved against the page),
/// fetched through the browser's HTTP cache, which revalidates with the collector's ETag.
/// The error says what `source` is and what went wrong.
pub async fn load(source: &str) -> Result<Definition, String> {
    let fail = |why: &str| ["data-survey \"", source, "\": ", why].concat();
    let json = match inline_json(source) {
        Some(json) => json,
        None => fetch_json(source).await.map_err(|why| fail(&why))?,
    };
    read_json(&json).map_err(|why| {
        fail(
            &[
                "the survey definition is invalid, so the built-in survey is shown: ",
                &why,
            ]
            .concat(),
        )
    })
}

/// The text of `<script type="application/json" id="{id}">`, if the page has one.
fn inline_json(id: &str) -> Option<String> {
    let element = web_sys::window()?.document()?.get_element_by_id(id)?;
    let is_json = element.tag_name().eq_ignore_ascii_case("script")
        && element
            .get_attribute("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    is_json.then(|| element.text_content().unwrap_or_default())
}

async fn fetch_json(url: &str) -> Result<String, String> {
    const FALLBACK: &str = ", so the built-in survey is shown";
    let unreachable = || {
        [
            "could not be fetched (network error, CORS or timeout)",
            FALLBACK,
        ]
        .concat()
    };
    let init = RequestInit::new();
    init.set_signal(Some(&web_sys::AbortSignal::timeout_with_u32(
        SURVEY_TIMEOUT_MS,
    )));
    let window = web_sys::window().ok_or_else(unreachable)?;
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| unreachable())?
        .unchecked_into();
    if !response.ok() {
        return Err([
            "the server answered HTTP ",
            &crate::i18n::decimal(response.status().into()),
            FALLBACK,
        ]
        .concat());
    }
    let unreadable = || ["the body could not be read", FALLBACK].concat();
    let text = response.text().map_err(|_| unreadable())?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(unreadable)
}

#[cfg(test)]
mod tests {
    use super::BUILTIN_JSON;
    use model::definition::DEFAULT_SURVEY_JSON;

    #[test]
    fn the_embedded_builtin_survey_is_default_json_without_its_whitespace() {
        let parse = |json| serde_json::from_str::<serde_json::Value>(json).expect("JSON");
        assert_eq!(parse(BUILTIN_JSON), parse(DEFAULT_SURVEY_JSON));
        assert!(BUILTIN_JSON.len() < DEFAULT_SURVEY_JSON.len() * 4 / 5);
        assert!(!BUILTIN_JSON.contains('\n'));
    }
}
