//! The one error type of the HTTP API, and its JSON shape.
//!
//! Public contract: the shape `{error, message, fields}` and the `error` codes below are what
//! API clients (the widget) branch on. Changing one is a breaking change; record it in
//! CHANGELOG.md.

use axum::{
    Json,
    extract::rejection::{JsonRejection, QueryRejection},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use model::FieldError;
use serde::Serialize;

use crate::{BODY_LIMIT, store::StoreError};

/// Everything a request can end in other than success: one variant per HTTP outcome.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the request cannot be read as a payload, or its headers contradict it.
    #[error("{message}")]
    BadRequest {
        /// Machine-readable code, such as `malformed_json`.
        code: &'static str,
        /// What is wrong, in English.
        message: String,
        /// The fields at fault, if known.
        fields: Vec<FieldError>,
    },
    /// 404: no such resource.
    #[error("not found")]
    NotFound,
    /// 408: the request took longer than the server allows.
    #[error("the request took too long")]
    Timeout,
    /// 413: the body is larger than [`BODY_LIMIT`].
    #[error("the body is larger than {BODY_LIMIT} bytes")]
    PayloadTooLarge,
    /// 422: the payload is well-formed but breaks the rules in `model`.
    #[error("the payload has invalid fields")]
    InvalidPayload(Vec<FieldError>),
    /// 500: the server failed. The cause is logged, never sent.
    #[error("internal error")]
    Internal(#[from] StoreError),
}

/// The JSON body of every error response.
#[derive(Debug, Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    message: String,
    fields: Vec<FieldError>,
}

impl AppError {
    /// A 400 with `code` and `message` and no field errors.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::BadRequest {
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// The HTTP status of this outcome.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Timeout => StatusCode::REQUEST_TIMEOUT,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::InvalidPayload(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The machine-readable `error` code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest { code, .. } => code,
            AppError::NotFound => "not_found",
            AppError::Timeout => "timeout",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::InvalidPayload(_) => "invalid_payload",
            AppError::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let code = self.code();
        let message = self.to_string();
        let fields = match self {
            AppError::BadRequest { fields, .. } | AppError::InvalidPayload(fields) => fields,
            AppError::Internal(cause) => {
                tracing::error!(error = %error_chain(&cause), "request failed");
                Vec::new()
            }
            AppError::NotFound | AppError::Timeout | AppError::PayloadTooLarge => Vec::new(),
        };
        let body = ErrorBody {
            error: code,
            message,
            fields,
        };
        (status, Json(body)).into_response()
    }
}

/// `error: its source: its source…`, so that one log line says why.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonSyntaxError(err) => {
                let detail = serde_error(&err).map_or_else(|| err.body_text(), |(_, m)| m);
                AppError::bad_request("malformed_json", format!("the body is not JSON: {detail}"))
            }
            JsonRejection::JsonDataError(err) => {
                let (fields, detail) = match serde_error(&err) {
                    Some((Some(field), message)) => {
                        let detail = format!("{field}: {message}");
                        (vec![FieldError::new(&field, &message)], detail)
                    }
                    Some((None, message)) => (Vec::new(), message),
                    None => (Vec::new(), err.body_text()),
                };
                AppError::BadRequest {
                    code: "invalid_json",
                    message: format!("the body does not match payload v1: {detail}"),
                    fields,
                }
            }
            JsonRejection::MissingJsonContentType(_) => AppError::bad_request(
                "unsupported_content_type",
                "the body must be sent with Content-Type: application/json",
            ),
            JsonRejection::BytesRejection(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                AppError::PayloadTooLarge
            }
            other => AppError::bad_request("unreadable_body", other.body_text()),
        }
    }
}

/// The field path and message of the serde error behind a JSON rejection, without serde_json's
/// " at line L column C" (meaningless to a client that built the JSON with a serializer).
fn serde_error(rejection: &dyn std::error::Error) -> Option<(Option<String>, String)> {
    let mut source = rejection.source();
    while let Some(cause) = source {
        if let Some(err) = cause.downcast_ref::<serde_path_to_error::Error<serde_json::Error>>() {
            let inner = err.inner();
            let text = inner.to_string();
            let position = format!(" at line {} column {}", inner.line(), inner.column());
            let message = text.strip_suffix(&position).unwrap_or(&text).to_owned();
            let path = err.path().to_string();
            let field = (path != ".").then_some(path);
            return Some((field, message));
        }
        source = cause.source();
    }
    None
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::bad_request("invalid_query", rejection.body_text())
    }
}

/// Gives the JSON error shape to the errors that tower-http layers answer themselves, in
/// plain text or with no body: 408 from the timeout, and 413 from the body limit when
/// `Content-Length` is already too large.
pub(crate) async fn layer_errors_as_json(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        return response;
    }
    match response.status() {
        StatusCode::REQUEST_TIMEOUT => AppError::Timeout.into_response(),
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge.into_response(),
        _ => response,
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;

    use super::*;

    #[tokio::test]
    async fn layer_errors_get_the_json_shape() {
        for (status, code) in [
            (StatusCode::REQUEST_TIMEOUT, "timeout"),
            (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        ] {
            let plain = Response::builder()
                .status(status)
                .body(Body::from("length limit exceeded"))
                .expect("response");
            let mapped = layer_errors_as_json(plain).await;
            assert_eq!(mapped.status(), status);
            let bytes = axum::body::to_bytes(mapped.into_body(), usize::MAX)
                .await
                .expect("body");
            let body: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
            assert_eq!(body["error"], code);
            assert_eq!(body["fields"], serde_json::json!([]));
        }
    }

    #[tokio::test]
    async fn other_responses_pass_through() {
        let not_found = Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Body::empty())
            .expect("response");
        assert_eq!(
            layer_errors_as_json(not_found).await.status(),
            StatusCode::NOT_FOUND
        );
        let json = AppError::InvalidPayload(vec![FieldError::new("page", "is too long")]);
        let mapped = layer_errors_as_json(json.into_response()).await;
        assert_eq!(mapped.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn internal_errors_say_only_internal_error() {
        let err = AppError::Internal(StoreError::Query(sqlx::Error::PoolTimedOut));
        assert_eq!(err.to_string(), "internal error");
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
