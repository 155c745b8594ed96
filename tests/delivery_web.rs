//! The delivery code over the browser's real `localStorage` in headless Chromium
//! (`cargo test --target wasm32-unknown-unknown`): the adapter round-trips, a full quota and
//! storage that throws on every call or cannot even be reached become memory, never an
//! exception.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, missing_docs)]

use js_sys::Function;
use survey_widget::delivery::outbox::OUTBOX_KEY;
use survey_widget::delivery::web::{LocalStorage, browser_env};
use survey_widget::delivery::{KeyValue, Outbox, Outcome, RetryPolicy, StorageError};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Runs `body` as page script (the test runner's page has no CSP).
fn script(body: &str) {
    Function::new_no_args(body)
        .call0(&wasm_bindgen::JsValue::NULL)
        .unwrap();
}

/// `localStorage.getItem(key)`, read by page script rather than by the code under test.
fn raw_get(key: &str) -> Option<String> {
    Function::new_with_args("k", "return localStorage.getItem(k);")
        .call1(&wasm_bindgen::JsValue::NULL, &key.into())
        .unwrap()
        .as_string()
}

/// Delivers one response through an outbox over `env`, the endpoint answering 503 then 201.
fn deliver_one(env: &survey_widget::delivery::Env, id: &str) {
    let mut outbox = Outbox::new(RetryPolicy::default());
    assert_eq!(
        outbox.push(env, id, "https://e.example/v1/responses", "{}"),
        Ok(vec![])
    );
    let send = outbox.take(env, id).unwrap();
    assert_eq!(send.response_id, id);
    assert!(matches!(
        outbox.settle(env, id, 503, None),
        Outcome::Retry { .. }
    ));
    outbox.resume();
    let again = outbox.take(env, id).unwrap();
    assert_eq!(again.body, "{}");
    assert_eq!(outbox.settle(env, id, 201, None), Outcome::Delivered);
    assert!(outbox.pending(env).is_empty());
}

#[wasm_bindgen_test]
fn local_storage_round_trips() {
    let storage = LocalStorage::open().unwrap();
    let key = "survey-widget:v1:test-round-trip";
    assert_eq!(storage.get(key), Ok(None));
    storage.set(key, "值 ✓").unwrap();
    assert_eq!(storage.get(key), Ok(Some("值 ✓".to_owned())));
    storage.remove(key).unwrap();
    assert_eq!(storage.get(key), Ok(None));
    assert_eq!(storage.remove(key), Ok(()));
}

#[wasm_bindgen_test]
fn a_full_quota_is_a_storage_error() {
    let storage = LocalStorage::open().unwrap();
    // Far over any browser's per-origin quota.
    let huge = "x".repeat(12 * 1024 * 1024);
    assert_eq!(
        storage.set("survey-widget:v1:test-huge", &huge),
        Err(StorageError)
    );
}

#[wasm_bindgen_test]
fn the_outbox_writes_under_its_one_key_in_real_local_storage() {
    let env = browser_env();
    let mut outbox = Outbox::new(RetryPolicy::default());
    outbox
        .push(&env, "web-1", "https://e.example/v1/responses", "{\"a\":1}")
        .unwrap();
    let stored = raw_get(OUTBOX_KEY).unwrap();
    assert!(stored.starts_with("I\tweb-1\t"), "{stored}");
    outbox.take(&env, "web-1").unwrap();
    assert_eq!(outbox.settle(&env, "web-1", 201, None), Outcome::Delivered);
    assert!(outbox.pending(&env).is_empty());
}

#[wasm_bindgen_test]
fn storage_methods_that_throw_fall_back_to_memory() {
    script(
        "const p = Storage.prototype; p.__sw = [p.getItem, p.setItem, p.removeItem];
         const fail = function () { throw new DOMException('full', 'QuotaExceededError'); };
         p.getItem = fail; p.setItem = fail; p.removeItem = fail;",
    );
    let env = browser_env();
    deliver_one(&env, "web-throwing");
    script(
        "const p = Storage.prototype; [p.getItem, p.setItem, p.removeItem] = p.__sw; delete p.__sw;",
    );
}

#[wasm_bindgen_test]
fn unreachable_local_storage_means_memory_only() {
    script(
        "window.__sw = Object.getOwnPropertyDescriptor(window, 'localStorage')
           || Object.getOwnPropertyDescriptor(Window.prototype, 'localStorage');
         Object.defineProperty(window, 'localStorage', { configurable: true,
           get() { throw new DOMException('blocked', 'SecurityError'); } });",
    );
    assert!(LocalStorage::open().is_none());
    let env = browser_env();
    deliver_one(&env, "web-blocked");
    script("Object.defineProperty(window, 'localStorage', window.__sw); delete window.__sw;");
    assert!(LocalStorage::open().is_some());
}
