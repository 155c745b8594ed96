//! Delivering a response: one POST of payload v1 to the configured endpoint.

use gloo_net::http::Request;
use model::{ResponseV1, SignedTransaction};

use crate::contract::SUBMIT_TIMEOUT_MS;
use crate::delivery::{Class, classify};

/// Why a response was not delivered. The customer keeps their answers and may retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubmitError {
    /// No answer: offline, DNS, CORS, connection refused, or the 10 s timeout.
    Network,
    /// The endpoint answered with a non-2xx status.
    Status(u16),
}

impl SubmitError {
    /// The console and `error` event message, in English.
    pub fn message(self) -> String {
        match self {
            SubmitError::Network => {
                "the response could not be sent: network error or timeout".to_owned()
            }
            SubmitError::Status(status) => [
                "the endpoint answered HTTP ",
                &crate::i18n::decimal(status.into()),
            ]
            .concat(),
        }
    }
}

/// POSTs `payload` as JSON, with its `response_id` as the `Idempotency-Key`, and waits at most
/// [`SUBMIT_TIMEOUT_MS`].
pub async fn post(
    endpoint: &str,
    payload: &ResponseV1<SignedTransaction>,
) -> Result<(), SubmitError> {
    let body = serde_json::to_string(payload).map_err(|_| SubmitError::Network)?;
    let timeout = web_sys::AbortSignal::timeout_with_u32(SUBMIT_TIMEOUT_MS);
    let response = Request::post(endpoint)
        .header("Content-Type", "application/json")
        .header(
            model::response::IDEMPOTENCY_KEY_HEADER,
            &payload.response_id,
        )
        .abort_signal(Some(&timeout))
        .body(body)
        .map_err(|_| SubmitError::Network)?
        .send()
        .await
        .map_err(|_| SubmitError::Network)?;
    // 2xx, and 409 (the endpoint already holds a response for this transaction, 一事一评): the
    // same rule the delivery queue uses.
    match classify(response.status()) {
        Class::Delivered => Ok(()),
        Class::Retry | Class::Final => Err(SubmitError::Status(response.status())),
    }
}
