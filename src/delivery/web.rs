//! The browser side of [`Env`]: `window.localStorage`, `Date.now()` and `Math.random()`.
//!
//! Every storage call goes through `Function.prototype.call`, whose error (a thrown
//! `QuotaExceededError`, `SecurityError`, …) becomes a [`StorageError`]; nothing thrown by the
//! browser reaches the host page.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::{Clock, Env, KeyValue, Random, StorageError, Unavailable};

/// `window.localStorage`, with its methods looked up once.
pub struct LocalStorage {
    storage: JsValue,
    get_item: Function,
    set_item: Function,
    remove_item: Function,
}

impl LocalStorage {
    /// The page's `localStorage`, or `None` when reading it throws (a sandboxed iframe,
    /// storage blocked by the browser's settings) or it is missing.
    pub fn open() -> Option<LocalStorage> {
        let storage = Reflect::get(&js_sys::global(), &JsValue::from_str("localStorage")).ok()?;
        if storage.is_null() || storage.is_undefined() {
            return None;
        }
        let method = |name: &str| {
            Reflect::get(&storage, &JsValue::from_str(name))
                .ok()?
                .dyn_into::<Function>()
                .ok()
        };
        Some(LocalStorage {
            get_item: method("getItem")?,
            set_item: method("setItem")?,
            remove_item: method("removeItem")?,
            storage,
        })
    }
}

impl KeyValue for LocalStorage {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.get_item
            .call1(&self.storage, &JsValue::from_str(key))
            .map(|v| v.as_string())
            .map_err(|_| StorageError)
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.set_item
            .call2(
                &self.storage,
                &JsValue::from_str(key),
                &JsValue::from_str(value),
            )
            .map(drop)
            .map_err(|_| StorageError)
    }

    fn remove(&self, key: &str) -> Result<(), StorageError> {
        self.remove_item
            .call1(&self.storage, &JsValue::from_str(key))
            .map(drop)
            .map_err(|_| StorageError)
    }
}

/// `Date.now()`.
#[derive(Clone, Copy, Debug, Default)]
pub struct DateNow;

impl Clock for DateNow {
    fn now_ms(&self) -> u64 {
        // A time before 1970 (a badly set clock) saturates to 0.
        js_sys::Date::now() as u64
    }
}

/// `Math.random()`.
#[derive(Clone, Copy, Debug, Default)]
pub struct MathRandom;

impl Random for MathRandom {
    fn next_f64(&self) -> f64 {
        js_sys::Math::random()
    }
}

/// The page's environment: `localStorage` when it can be reached, else memory only.
pub fn browser_env() -> Env {
    let kv: Box<dyn KeyValue> = match LocalStorage::open() {
        Some(storage) => Box::new(storage),
        None => Box::new(Unavailable),
    };
    Env::new(kv, Box::new(DateNow), Box::new(MathRandom))
}
