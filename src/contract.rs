//! The widget's public contract with host pages, in one place.
//!
//! Everything here is used by other people's code: the `data-*` attributes of the script tag,
//! the JS API, the DOM event names and the host element. Changing any of these is a breaking
//! change: record it in CHANGELOG.md and in `docs/embedding.md`. The loader `src/embed.js`
//! mirrors the names it needs; `tests` check that it does.

/// The global object the loader defines: `window.SurveyWidget`.
pub const GLOBAL_NAME: &str = "SurveyWidget";

/// `data-endpoint`: the URL responses are POSTed to. Required.
pub const ATTR_ENDPOINT: &str = "endpoint";
/// `data-locale`: `zh-CN` or `en`. Optional; then `<html lang>`, then `navigator.language`.
pub const ATTR_LOCALE: &str = "locale";
/// `data-accent`: the theme's accent colour, any CSS colour. Optional; it wins over the survey
/// definition's `display.accent`.
pub const ATTR_ACCENT: &str = "accent";
/// `data-survey`: the survey definition to show: a URL (such as the collector's
/// `/v1/surveys/{id}`, or any static JSON file), or the id of an inline
/// `<script type="application/json">` element. Optional; defaults to the built-in survey.
pub const ATTR_SURVEY: &str = "survey";

/// Host → widget: open the survey. `detail` is the same object `SurveyWidget.open` takes.
pub const EVENT_OPEN: &str = "survey-widget:open";
/// Host → widget: close the survey.
pub const EVENT_CLOSE: &str = "survey-widget:close";
/// Widget → host: the survey is on screen.
pub const EVENT_SHOWN: &str = "survey-widget:shown";
/// Widget → host: a response was accepted by the endpoint. `detail: { response_id }`.
pub const EVENT_SUBMITTED: &str = "survey-widget:submitted";
/// Widget → host: the customer closed the survey without submitting.
pub const EVENT_DISMISSED: &str = "survey-widget:dismissed";
/// Widget → host: something went wrong. `detail: { code, message }`.
pub const EVENT_ERROR: &str = "survey-widget:error";

/// The element the widget adds to `document.body`; everything else is in its open shadow root.
pub const HOST_TAG: &str = "survey-widget";

/// Prefix of every console message the widget writes.
pub const LOG_PREFIX: &str = "[survey-widget] ";

/// `error` event codes.
pub mod error_code {
    /// The script tag's configuration is invalid. The widget does not start.
    pub const CONFIG: &str = "config";
    /// `open` was called with invalid options; the widget stays closed.
    pub const OPEN: &str = "open";
    /// A response could not be delivered; the customer sees a retry button.
    pub const SUBMIT: &str = "submit";
    /// The loader could not load or start the widget (set by `embed.js`).
    pub const LOAD: &str = "load";
    /// The `data-survey` definition could not be loaded or is invalid, or its inline
    /// placement names no element; the built-in survey (or the corner) is shown instead.
    pub const SURVEY: &str = "survey";
}

/// The version sent as `widget_version` in every payload.
pub const WIDGET_VERSION: &str = env!("CARGO_PKG_VERSION");

/// How long a POST may take before the customer is offered a retry.
pub const SUBMIT_TIMEOUT_MS: u32 = 10_000;

#[cfg(test)]
mod tests {
    /// The loader is plain JS and cannot import these constants; it must spell them the same.
    #[test]
    fn loader_mirrors_the_contract() {
        let loader = include_str!("embed.js");
        let quoted = |name: &str| ["'", name, "'"].concat();
        for name in [
            super::EVENT_OPEN,
            super::EVENT_CLOSE,
            super::EVENT_ERROR,
            super::error_code::LOAD,
            super::LOG_PREFIX,
        ] {
            assert!(
                loader.contains(&quoted(name)),
                "embed.js does not spell {name:?}"
            );
        }
        assert!(loader.contains(&[".", super::GLOBAL_NAME, " = {"].concat()));
        assert!(
            loader.contains(&["s.dataset"].concat()),
            "embed.js passes every data-* value on"
        );
    }
}
