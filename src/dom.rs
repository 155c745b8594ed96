//! A few non-generic DOM helpers the view is built with.
//!
//! The widget draws a small, fixed form, so it builds its elements once per opening and keeps
//! them in sync with the state from one render effect (see `widget.rs`). Leptos's typed view
//! layer (tachys) would generate build and update code for every element and attribute type;
//! for this form that cost about 40 KB of the 45 KB budget (see `docs/performance.md`). These
//! helpers are plain functions over `web_sys::Element`, so each exists once in the wasm.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, Event};

/// A DOM event handler the widget owns. Dropping it detaches the JS function, so a view
/// keeps its listeners for as long as it keeps its elements.
pub type Listener = Closure<dyn FnMut(Event)>;

fn document() -> web_sys::Document {
    // The widget only boots in a window with a document (see `host::create_shadow_mount`).
    web_sys::window()
        .and_then(|w| w.document())
        .unwrap_or_else(|| wasm_bindgen::throw_str("no document"))
}

/// Creates `<tag>` with static attributes and appends it to `parent`.
pub fn child(parent: &Element, tag: &str, attrs: &[(&str, &str)]) -> Element {
    let element = document()
        .create_element(tag)
        .unwrap_or_else(|_| wasm_bindgen::throw_str(tag));
    for (name, value) in attrs {
        let _ = element.set_attribute(name, value);
    }
    let _ = parent.append_child(&element);
    element
}

/// Appends `text` as a text node: customer and survey text is never parsed as HTML.
pub fn text(parent: &Element, text: &str) {
    let _ = parent.append_with_str_1(text);
}

/// Sets attribute `name` to `value`, or removes it for `None`.
pub fn set(element: &Element, name: &str, value: Option<&str>) {
    let _ = match value {
        Some(value) => element.set_attribute(name, value),
        None => element.remove_attribute(name),
    };
}

/// Sets or removes the boolean attribute `name` (`hidden`, for example).
pub fn flag(element: &Element, name: &str, on: bool) {
    set(element, name, on.then_some(""));
}

/// Replaces the element's content with `text`.
pub fn set_text(element: &Element, text: &str) {
    element.set_text_content(Some(text));
}

/// Calls `handler` on every `event` at `target` until the returned listener is dropped.
pub fn on(target: &Element, event: &str, handler: impl FnMut(Event) + 'static) -> Listener {
    listen(target, event, Box::new(handler))
}

fn listen(target: &Element, event: &str, handler: Box<dyn FnMut(Event)>) -> Listener {
    let listener = Listener::wrap(handler);
    let _ = target.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
    listener
}
