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
/// `data-test-retry-base-ms`: **for tests only.** The retry schedule's base delay in
/// milliseconds (whole number, 1 to 1000), instead of the shipped 1 000 ms, so that end-to-end
/// tests run the backoff schedule in seconds. The attempt caps, the `Retry-After` cap and
/// the request timeout stay as shipped. Never set it on a production page.
pub const ATTR_TEST_RETRY_BASE_MS: &str = "testRetryBaseMs";

/// `open({ ..., force: true })`: show the survey whatever the display rules say (for testing a
/// page).
pub const OPEN_FORCE: &str = "force";

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
/// Widget → host: `open` did not show the survey because of a display rule.
/// `detail: { rule }`, one of the ids of `delivery::Rule::id`.
pub const EVENT_SKIPPED: &str = "survey-widget:skipped";

/// The prefix of every `localStorage` key the widget writes; the host's own keys are never read
/// or written. A host may clear the widget's data by removing the keys that start with it.
pub const STORAGE_PREFIX: &str = "survey-widget:v1:";
/// The outbox of responses not delivered yet (see `docs/delivery.md`).
pub const STORAGE_OUTBOX: &str = "survey-widget:v1:outbox";
/// What the display rules remember (shown transactions, last answer and dismissal).
pub const STORAGE_RULES: &str = "survey-widget:v1:rules";
/// The lease that lets one tab at a time flush the outbox.
pub const STORAGE_LEASE: &str = "survey-widget:v1:lease";

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
    /// A response was dropped undelivered: refused by the endpoint (a final 4xx), out of
    /// attempts, expired after 7 days, or evicted from a full outbox.
    pub const SUBMIT: &str = "submit";
    /// The loader could not load or start the widget (set by `embed.js`).
    pub const LOAD: &str = "load";
    /// The `data-survey` definition could not be loaded or is invalid, or its inline
    /// placement names no element; the built-in survey (or the corner) is shown instead.
    pub const SURVEY: &str = "survey";
}

/// The version sent as `widget_version` in every payload.
pub const WIDGET_VERSION: &str = env!("CARGO_PKG_VERSION");

/// How long one POST may take before it counts as an attempt without an answer.
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

    /// The names issue 4 added: events in the widget's namespace, storage keys under the one
    /// prefix, and the `skipped` rule ids exactly as documented in docs/delivery.md and
    /// docs/embedding.md.
    #[test]
    fn delivery_names_are_namespaced_and_documented() {
        use crate::delivery::Rule;
        assert!(super::EVENT_SKIPPED.starts_with("survey-widget:"));
        for key in [
            super::STORAGE_OUTBOX,
            super::STORAGE_RULES,
            super::STORAGE_LEASE,
        ] {
            assert!(key.starts_with(super::STORAGE_PREFIX), "{key}");
        }
        assert_eq!(super::ATTR_TEST_RETRY_BASE_MS, "testRetryBaseMs");
        let rules = [
            Rule::TransactionType,
            Rule::OncePerTransaction,
            Rule::RecontactWait,
            Rule::Cooldown,
            Rule::SampledOut,
        ]
        .map(Rule::id);
        assert_eq!(
            rules,
            [
                "transaction_type",
                "once_per_transaction",
                "recontact_wait",
                "cooldown",
                "sampled_out"
            ]
        );
        let delivery = include_str!("../docs/delivery.md");
        let embedding = include_str!("../docs/embedding.md");
        for name in rules.iter().chain(&[
            super::EVENT_SKIPPED,
            super::STORAGE_OUTBOX,
            super::STORAGE_RULES,
            super::STORAGE_LEASE,
        ]) {
            assert!(delivery.contains(name), "docs/delivery.md lacks {name}");
        }
        for name in rules
            .iter()
            .chain(&[super::EVENT_SKIPPED, "data-test-retry-base-ms"])
        {
            assert!(embedding.contains(name), "docs/embedding.md lacks {name}");
        }
    }
}
