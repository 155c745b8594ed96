//! The one error type of the HTTP API, and its JSON shape.
//!
//! Public contract: the shape `{error, message, fields}` and the `error` codes below are what
//! API clients (the widget) branch on. Changing one is a breaking change; record it in
//! CHANGELOG.md.

use axum::{
    Json,
    extract::rejection::{PathRejection, QueryRejection},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use model::{FieldError, response::ingest::BodyError};
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
    /// 401: no API token, or one that is malformed, unknown or revoked.
    #[error("a valid API token is required: send Authorization: Bearer <token>")]
    Unauthorized,
    /// 403: the API token's role may not do this.
    #[error("this token's role may not do this")]
    Forbidden,
    /// 422: a survey definition breaks the rules in `model`.
    #[error("the survey definition has invalid fields")]
    InvalidSurvey(Vec<FieldError>),
    /// 403: a browser POST from an origin that is not in `--allowed-origins`.
    #[error("this origin may not send responses")]
    OriginNotAllowed,
    /// 403: keys are configured and the transaction token is missing, forged, expired, signed
    /// by an unknown key or minted for another transaction. Which one is never said.
    #[error("the transaction token is missing or not valid")]
    InvalidToken,
    /// 404: no such resource.
    #[error("not found")]
    NotFound,
    /// 408: the request took longer than the server allows.
    #[error("the request took too long")]
    Timeout,
    /// 409: another response for the same survey and transaction is already stored.
    #[error("this transaction already has a response for this survey")]
    AlreadyRated,
    /// 413: the body is larger than [`BODY_LIMIT`].
    #[error("the body is larger than {BODY_LIMIT} bytes")]
    PayloadTooLarge,
    /// 415: the body was not sent as `application/json` or `text/plain` (UTF-8).
    #[error("the body must be sent as application/json or text/plain, in UTF-8")]
    UnsupportedContentType,
    /// 422: the payload is well-formed but breaks the rules in `model`.
    #[error("the payload has invalid fields")]
    InvalidPayload(Vec<FieldError>),
    /// 422: a response with this `response_id` but a different body is already stored.
    #[error("response_id was already used for a different response")]
    ResponseIdReused,
    /// 429: the client sent too many POSTs; it may try again after this many seconds.
    #[error("too many requests; try again in {retry_after_secs} s")]
    RateLimited {
        /// The `Retry-After` value, in whole seconds (at least 1).
        retry_after_secs: u64,
    },
    /// 500: the server failed. The cause is logged, never sent.
    #[error("internal error")]
    Internal(StoreError),
    /// 503: the database cannot be reached or is busy; the same request may succeed after
    /// `Retry-After` ([`UNAVAILABLE_RETRY_AFTER_SECS`]). The cause is logged, never sent.
    #[error("the database is unavailable; try again later")]
    Unavailable(StoreError),
    /// 503: the database does not answer (`GET /readyz`). The cause is logged, never sent.
    #[error("not ready")]
    NotReady(#[source] StoreError),
}

/// The `Retry-After` of a 503 `unavailable`, in seconds: about a PostgreSQL restart.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

impl From<StoreError> for AppError {
    /// 503 when the database is unreachable or busy ([`StoreError::is_unavailable`]), 500
    /// otherwise.
    fn from(error: StoreError) -> Self {
        if error.is_unavailable() {
            AppError::Unavailable(error)
        } else {
            AppError::Internal(error)
        }
    }
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
            AppError::OriginNotAllowed | AppError::Forbidden | AppError::InvalidToken => {
                StatusCode::FORBIDDEN
            }
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Timeout => StatusCode::REQUEST_TIMEOUT,
            AppError::AlreadyRated => StatusCode::CONFLICT,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::InvalidPayload(_)
            | AppError::InvalidSurvey(_)
            | AppError::ResponseIdReused => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Unavailable(_) | AppError::NotReady(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The machine-readable `error` code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest { code, .. } => code,
            AppError::OriginNotAllowed => "origin_not_allowed",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::InvalidSurvey(_) => "invalid_survey",
            AppError::InvalidToken => "invalid_token",
            AppError::NotFound => "not_found",
            AppError::Timeout => "timeout",
            AppError::AlreadyRated => "already_rated",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::UnsupportedContentType => "unsupported_content_type",
            AppError::InvalidPayload(_) => "invalid_payload",
            AppError::ResponseIdReused => "response_id_reused",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Internal(_) => "internal",
            AppError::Unavailable(_) => "unavailable",
            AppError::NotReady(_) => "not_ready",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let code = self.code();
        let message = self.to_string();
        let mut retry_after = None;
        let fields = match self {
            AppError::BadRequest { fields, .. }
            | AppError::InvalidPayload(fields)
            | AppError::InvalidSurvey(fields) => fields,
            AppError::ResponseIdReused => vec![FieldError::new(
                "response_id",
                "was already used for a different response",
            )],
            AppError::InvalidToken => vec![FieldError::new(
                "transaction.token",
                "is missing or not valid",
            )],
            AppError::RateLimited { retry_after_secs } => {
                retry_after = Some(HeaderValue::from(retry_after_secs));
                Vec::new()
            }
            AppError::Internal(cause) => {
                tracing::error!(error = %error_chain(&cause), "request failed");
                Vec::new()
            }
            AppError::Unavailable(cause) => {
                tracing::warn!(error = %error_chain(&cause), "database unavailable");
                retry_after = Some(HeaderValue::from(UNAVAILABLE_RETRY_AFTER_SECS));
                Vec::new()
            }
            AppError::NotReady(cause) => {
                tracing::warn!(error = %error_chain(&cause), "not ready");
                Vec::new()
            }
            AppError::OriginNotAllowed
            | AppError::Unauthorized
            | AppError::Forbidden
            | AppError::NotFound
            | AppError::Timeout
            | AppError::AlreadyRated
            | AppError::PayloadTooLarge
            | AppError::UnsupportedContentType => Vec::new(),
        };
        let body = ErrorBody {
            error: code,
            message,
            fields,
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(value) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
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

impl From<BodyError> for AppError {
    /// Not JSON is `malformed_json`; JSON of the wrong shape is `invalid_json`, naming the
    /// field when serde knows it; a value no field may hold (a lone surrogate) is
    /// `invalid_payload`, naming the field.
    fn from(err: BodyError) -> Self {
        match err {
            BodyError::Malformed(message) => {
                AppError::bad_request("malformed_json", format!("the body is not JSON: {message}"))
            }
            BodyError::Shape { field, message } => {
                let (fields, detail) = match field {
                    Some(field) => {
                        let detail = format!("{field}: {message}");
                        (vec![FieldError::new(&field, &message)], detail)
                    }
                    None => (Vec::new(), message),
                };
                AppError::BadRequest {
                    code: "invalid_json",
                    message: format!("the body does not have the expected shape: {detail}"),
                    fields,
                }
            }
            BodyError::Invalid(fields) => AppError::InvalidPayload(fields),
        }
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        AppError::bad_request("invalid_path", rejection.body_text())
    }
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
    fn an_unreachable_database_is_a_503_with_retry_after() {
        let err = AppError::from(StoreError::Query(sqlx::Error::PoolTimedOut));
        assert_eq!(err.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(err.code(), "unavailable");
        let response = err.into_response();
        assert_eq!(
            response.headers().get(header::RETRY_AFTER),
            Some(&HeaderValue::from(UNAVAILABLE_RETRY_AFTER_SECS))
        );
        let other = AppError::from(StoreError::UnexplainedConflict("x".to_owned()));
        assert_eq!(other.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn internal_errors_say_only_internal_error() {
        let err = AppError::Internal(StoreError::Query(sqlx::Error::PoolTimedOut));
        assert_eq!(err.to_string(), "internal error");
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
