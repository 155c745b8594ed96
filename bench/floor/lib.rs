//! The widget's size floor: only the parts issues 2 to 4 require, each used once, and nothing
//! of the survey itself. Built with the widget's profile and flags by `bench/floor/measure`,
//! which compares its bytes with the widget's and with the 45 KB budget.
//!
//! - Leptos's reactive system (issue 2 asks for Leptos): one signal, one render effect writing
//!   one text node, and its task executor.
//! - `model`'s definition reader over a `JSON.parse`d value, `Definition::check` and the
//!   answer rules (issue 3: the widget, the collector and the Studio run the same validation).
//! - The v1 payload serialized with `serde_json` and POSTed with `fetch` (issue 2).
//!
//! Not in it, and all in the widget: the view of every question type, its accessibility and
//! keyboard handling, the UI strings in two languages, the stylesheet, the built-in survey, the
//! shadow root, the JS API and its events, configuration errors, the delivery queue with its
//! retries and lease (issue 4) and the display rules (issue 4).
#![allow(missing_docs)]

use std::cell::RefCell;

use js_sys::{Array, Object};
use model::definition::Definition;
use model::definition::read::Json;
use model::{Answers, Locale, ResponseV1, SignedTransaction};
use reactive_graph::effect::RenderEffect;
use reactive_graph::owner::Owner;
use reactive_graph::signal::RwSignal;
use reactive_graph::traits::{Get, Update};
use wasm_bindgen::prelude::*;

/// A `JSON.parse`d value as `model`'s reader sees it: the widget's `survey::Js`, copied, since
/// depending on the widget crate would link its `boot`, `open` and `close` exports too.
struct Js(JsValue);

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

struct Floor {
    opens: RwSignal<u32>,
    _effect: RenderEffect<()>,
    survey: Definition,
    endpoint: String,
}

thread_local! {
    static FLOOR: RefCell<Option<Floor>> = const { RefCell::new(None) };
}

fn field(data: &JsValue, name: &str) -> String {
    js_sys::Reflect::get(data, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Reads and checks the definition in `data.survey`, then renders one reactive text.
#[wasm_bindgen]
pub fn boot(data: &JsValue) -> bool {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let read = js_sys::JSON::parse(&field(data, "survey"))
        .map_err(|_| "not JSON".to_owned())
        .and_then(|v| Definition::read(&Js(v)).map_err(|e| e.text()));
    let survey = match read {
        Ok(survey) => survey,
        Err(message) => {
            web_sys::console::error_1(&JsValue::from_str(&message));
            return false;
        }
    };
    if let Some(error) = survey.check().errors.first() {
        web_sys::console::error_1(&JsValue::from_str(&error.text()));
        return false;
    }
    let document = web_sys::window().unwrap_throw().document().unwrap_throw();
    let text = document.create_element("p").unwrap_throw();
    let _ = document.body().unwrap_throw().append_child(&text);
    Owner::new().set();
    let opens = RwSignal::new(0u32);
    let effect = RenderEffect::new(move |_| {
        text.set_text_content(Some(if opens.get() > 0 { "open" } else { "closed" }));
    });
    let endpoint = field(data, "endpoint");
    FLOOR.set(Some(Floor {
        opens,
        _effect: effect,
        survey,
        endpoint,
    }));
    true
}

/// Checks empty answers with the survey's rules and POSTs a v1 payload.
#[wasm_bindgen]
pub fn open(options: &JsValue) {
    FLOOR.with_borrow(|floor| {
        let Some(floor) = floor else { return };
        floor.opens.update(|n| *n += 1);
        let answers = Answers::default();
        let problems = floor.survey.answer_problems(&answers).len();
        web_sys::console::debug_1(&JsValue::from_f64(problems as f64));
        let id = field(options, "id");
        let payload = ResponseV1 {
            response_id: id.clone(),
            survey: floor.survey.survey_ref(),
            transaction: SignedTransaction {
                id: id.clone(),
                kind: id.clone(),
                unit: id,
                token: None,
            },
            answers,
            locale: Locale::default(),
            submitted_at: String::new(),
            page: String::new(),
            widget_version: String::new(),
        };
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&JsValue::from_str(
            &serde_json::to_string(&payload).unwrap_or_default(),
        ));
        let headers = web_sys::Headers::new().unwrap_throw();
        let _ = headers.set("content-type", "application/json");
        init.set_headers(&headers);
        let sent = web_sys::window()
            .unwrap_throw()
            .fetch_with_str_and_init(&floor.endpoint, &init);
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(sent).await;
        });
    });
}

/// Sets the signal back.
#[wasm_bindgen]
pub fn close() {
    FLOOR.with_borrow(|floor| {
        if let Some(floor) = floor {
            floor.opens.update(|n| *n = 0);
        }
    });
}
