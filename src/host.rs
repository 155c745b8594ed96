//! Everything that touches the host page: the shadow-root host element, DOM events on
//! `document`, console messages and focus. Nothing here may throw into the host page.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CustomEvent, CustomEventInit, HtmlElement, ShadowRootInit, ShadowRootMode};

use crate::contract::{EVENT_ERROR, HOST_TAG, LOG_PREFIX};

/// The widget's stylesheet, applied inside the shadow root only.
const STYLESHEET: &str = include_str!(concat!(env!("OUT_DIR"), "/widget.css"));

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Writes one console error with the `[survey-widget]` prefix.
pub fn console_error(message: &str) {
    web_sys::console::error_1(&JsValue::from_str(&[LOG_PREFIX, message].concat()));
}

/// Dispatches `name` on `document` with `detail`.
pub fn emit(name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_detail(detail);
    if let (Some(doc), Ok(event)) = (
        document(),
        CustomEvent::new_with_event_init_dict(name, &init),
    ) {
        let _ = doc.dispatch_event(&event);
    }
}

/// A plain object `{ key: value, ... }` of strings, for event details.
pub fn object(pairs: &[(&str, &str)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in pairs {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    object.into()
}

/// Reports an error: one console error and one `survey-widget:error` event.
pub fn report_error(code: &str, message: &str) {
    console_error(message);
    emit(
        EVENT_ERROR,
        &object(&[("code", code), ("message", message)]),
    );
}

/// Adds `<survey-widget>` to the end of `parent` (`None`: `<body>`) with an open shadow root
/// holding the widget's stylesheet, and returns the element to mount into.
pub fn create_shadow_mount(parent: Option<&web_sys::Element>) -> Option<HtmlElement> {
    let doc = document()?;
    let host = doc.create_element(HOST_TAG).ok()?;
    let shadow = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .ok()?;
    // A constructed stylesheet needs no inline <style>, so a strict style-src CSP allows it.
    let sheet = web_sys::CssStyleSheet::new().ok()?;
    sheet.replace_sync(STYLESHEET).ok()?;
    shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    let mount: HtmlElement = doc.create_element("div").ok()?.dyn_into().ok()?;
    shadow.append_child(&mount).ok()?;
    match parent {
        Some(parent) => parent.append_child(&host).ok()?,
        None => doc.body()?.append_child(&host).ok()?,
    };
    Some(mount)
}

/// Moves `<survey-widget>` into the page element with id `inline` (shown in the page flow),
/// or back to `<body>` for `None`. Returns false when no element has that id.
pub fn place_inline(mount: &HtmlElement, inline: Option<&str>) -> bool {
    let (Some(doc), Ok(shadow)) = (
        document(),
        mount.get_root_node().dyn_into::<web_sys::ShadowRoot>(),
    ) else {
        return false;
    };
    let host = shadow.host();
    let target = match inline {
        Some(id) => doc.get_element_by_id(id),
        None => doc.body().map(Into::into),
    };
    let Some(target) = target else {
        return false;
    };
    if host.parent_element().as_ref() != Some(&target) {
        let _ = target.append_child(&host);
    }
    let _ = if inline.is_some() {
        mount.set_attribute("data-inline", "")
    } else {
        mount.remove_attribute("data-inline")
    };
    true
}

/// Applies the host's accent colour, and picks black or white text for it, whichever
/// contrasts more, so that any `data-accent` keeps buttons readable.
pub fn apply_accent(mount: &HtmlElement, accent: &str) {
    let style = mount.style();
    let _ = style.set_property("--sw-accent", accent);
    // The browser resolves any CSS colour to `rgb(r, g, b)`; read it back from `color`.
    let _ = style.set_property("color", accent);
    let resolved = web_sys::window()
        .and_then(|w| w.get_computed_style(mount).ok().flatten())
        .and_then(|c| c.get_property_value("color").ok());
    let _ = style.remove_property("color");
    if let Some(on_accent) = resolved.as_deref().and_then(text_colour_on) {
        let _ = style.set_property("--sw-on-accent", on_accent);
    }
}

/// Black or white text for a background given as `rgb(r, g, b)` or `rgba(...)`, whichever
/// contrasts more by WCAG's relative luminance. Squaring stands in for the sRGB curve (it avoids
/// pulling `powf` into the wasm); the threshold is set where the exact curve crosses over for
/// greys (L = 0.179 at channel 0.46).
fn text_colour_on(rgb: &str) -> Option<&'static str> {
    let inner = rgb
        .strip_prefix("rgba(")
        .or_else(|| rgb.strip_prefix("rgb("))?;
    let mut channels = inner.split([',', ')', '/', ' ']).filter(|c| !c.is_empty());
    let mut luminance = 0;
    for weight in [2126, 7152, 722] {
        let value = u32::from(channels.next()?.parse::<u8>().ok()?);
        luminance += weight * value * value;
    }
    // 0.46² × 255² × 10 000 = 137 592 900.
    Some(if luminance > 137_592_900 {
        "#111"
    } else {
        "#fff"
    })
}

/// The element that has focus in the host page, if any (not `<body>`).
pub fn focused_element() -> Option<HtmlElement> {
    let doc = document()?;
    let active = doc.active_element()?.dyn_into::<HtmlElement>().ok()?;
    let body = doc.body();
    (Some(&active) != body.as_ref()).then_some(active)
}

/// Whether focus is inside the widget (the host page sees the shadow host as focused).
pub fn focus_is_inside() -> bool {
    focused_element().is_some_and(|e| e.tag_name().eq_ignore_ascii_case(HOST_TAG))
}

/// Moves focus back to `element` if it is still in the page.
pub fn restore_focus(element: &HtmlElement) {
    if element.is_connected() {
        let _ = element.focus();
    }
}

/// A random UUID v4, from `crypto.getRandomValues` (which, unlike `randomUUID`, also works on
/// pages that are not a secure context).
pub fn uuid_v4() -> Option<String> {
    let mut bytes = [0u8; 16];
    web_sys::window()?
        .crypto()
        .ok()?
        .get_random_values_with_u8_array(&mut bytes)
        .ok()?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    Some(out)
}

/// The current time as RFC 3339 in UTC, e.g. `2026-11-27T08:30:00.123Z`.
pub fn now_rfc3339() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// The page's URL without query string or fragment.
pub fn page_url() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    model::response::page_url(&href).to_owned()
}

/// Keeps the bottom sheet clear of the on-screen keyboard: the visual viewport shrinks when the
/// keyboard opens, and these custom properties follow it.
pub fn track_visual_viewport(mount: &HtmlElement) {
    use wasm_bindgen::closure::Closure;
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(viewport) = window.visual_viewport() else {
        return;
    };
    let style = mount.style();
    let frame = window.clone();
    let update = {
        let viewport = viewport.clone();
        move || {
            let inner = window
                .inner_height()
                .ok()
                .and_then(|h| h.as_f64())
                .unwrap_or(0.0);
            // Read everything before writing: a read after a write would lay out again.
            let height = viewport.height();
            let covered = (inner - height - viewport.offset_top()).max(0.0);
            let _ = style.set_property("--sw-vv-bottom", &px(covered));
            let _ = style.set_property("--sw-vv-height", &px(height));
        }
    };
    let closure = Closure::<dyn Fn()>::new(update);
    let callback = closure.as_ref().unchecked_ref();
    let _ = viewport.add_event_listener_with_callback("resize", callback);
    let _ = viewport.add_event_listener_with_callback("scroll", callback);
    // The first reading waits for the next frame: read now, it would force a layout of the
    // host page (and of the new shadow root) inside the task that boots the widget.
    let _ = frame.request_animation_frame(callback);
    closure.forget();
}

fn px(value: f64) -> String {
    // Whole pixels are enough, and avoid float formatting.
    let whole = value.round().clamp(0.0, 100_000.0) as usize;
    [crate::i18n::decimal(whole).as_str(), "px"].concat()
}

#[cfg(test)]
mod tests {
    use super::text_colour_on;

    #[test]
    fn text_on_the_accent_is_whichever_of_black_and_white_contrasts_more() {
        assert_eq!(
            text_colour_on("rgb(11, 92, 171)"),
            Some("#fff"),
            "the default blue"
        );
        assert_eq!(text_colour_on("rgb(194, 65, 12)"), Some("#fff"));
        assert_eq!(text_colour_on("rgb(255, 215, 0)"), Some("#111"), "gold");
        assert_eq!(text_colour_on("rgba(255, 255, 255, 0.5)"), Some("#111"));
        assert_eq!(text_colour_on("rgb(0 0 0)"), Some("#fff"));
        assert_eq!(
            text_colour_on("oklch(0.7 0.1 200)"),
            None,
            "left to the default"
        );
        assert_eq!(text_colour_on("rgb(300, 0, 0)"), None);
    }
}
