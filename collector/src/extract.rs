//! Extractors whose rejections answer in the API's JSON error shape.

use axum::{
    Json,
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Path, Query, Request},
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};
use serde::{Serialize, de::DeserializeOwned};

use crate::{AppError, BODY_LIMIT};

/// The raw body of a JSON request, read as [`AppJson`] reads it (content type, size limit)
/// but not yet parsed: `POST /v1/responses` hands it to [`model::response::ingest::read_payload`], the
/// same function the fuzz target drives.
#[derive(Clone, Debug, Default)]
pub struct JsonBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = AppError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, AppError> {
        read_json_body(request, BODY_LIMIT).await.map(JsonBody)
    }
}

/// The body of `request`, if it is sent as JSON or plain text (else 415) and holds at most
/// `limit` bytes (else 413, as soon as the limit is crossed).
async fn read_json_body(request: Request, limit: usize) -> Result<Bytes, AppError> {
    if !is_json_content_type(request.headers()) {
        return Err(AppError::UnsupportedContentType);
    }
    axum::body::to_bytes(request.into_body(), limit)
        .await
        .map_err(|err| body_error(&err))
}

/// Like [`axum::Json`], but:
///
/// - the body may be sent as `application/json` or as `text/plain` (what `sendBeacon` and a
///   `fetch` that avoids a CORS preflight send), either with no charset or with UTF-8; anything
///   else is 415;
/// - the body is read up to [`BODY_LIMIT`] bytes and no further, with or without
///   `Content-Length`: a longer body is 413 as soon as the limit is crossed;
/// - a body that is not JSON or not the expected type is rejected with an [`AppError`] (400),
///   not axum's plain-text rejection ([`model::response::ingest::from_json`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct AppJson<T>(pub T);

/// The largest survey definition `PUT /v1/surveys/{id}` accepts: 256 KiB (20 questions in two
/// languages at their limits take about 60 KiB).
pub const SURVEY_BODY_LIMIT: usize = 256 * 1024;

/// [`AppJson`] with a body limit of `LIMIT` bytes instead of [`BODY_LIMIT`].
#[derive(Clone, Copy, Debug, Default)]
pub struct AppJsonOf<T, const LIMIT: usize>(pub T);

impl<T, S> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let AppJsonOf(value) = AppJsonOf::<T, BODY_LIMIT>::from_request(request, state).await?;
        Ok(AppJson(value))
    }
}

impl<T, S, const LIMIT: usize> FromRequest<S> for AppJsonOf<T, LIMIT>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, AppError> {
        let bytes = read_json_body(request, LIMIT).await?;
        Ok(AppJsonOf(model::response::ingest::from_json(&bytes)?))
    }
}

/// `application/json` or `text/plain`, case-insensitively, with no `charset` or `charset=utf-8`.
fn is_json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    let known = essence.eq_ignore_ascii_case("application/json")
        || essence.eq_ignore_ascii_case("text/plain");
    known
        && parts.all(|param| {
            let Some((name, value)) = param.split_once('=') else {
                return param.trim().is_empty();
            };
            !name.trim().eq_ignore_ascii_case("charset")
                || value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
        })
}

/// 413 when a length limit (this extractor's or the body-limit layer's) was crossed, else 400.
fn body_error(err: &axum::Error) -> AppError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(cause) = source {
        if cause.is::<http_body_util::LengthLimitError>() {
            return AppError::PayloadTooLarge;
        }
        source = cause.source();
    }
    AppError::bad_request(
        "unreadable_body",
        format!("the body could not be read: {err}"),
    )
}

impl<T: Serialize> IntoResponse for AppJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

/// Like [`axum::extract::Path`], but a bad path segment (such as a version that is not a
/// number) is rejected with an [`AppError`] (400 `invalid_path`).
#[derive(Clone, Copy, Debug, Default, FromRequestParts)]
#[from_request(via(Path), rejection(AppError))]
pub struct AppPath<T>(pub T);

/// Like [`axum::extract::Query`], but a bad query string is rejected with an [`AppError`].
#[derive(Clone, Copy, Debug, Default, FromRequestParts)]
#[from_request(via(Query), rejection(AppError))]
pub struct AppQuery<T>(pub T);

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn accepts(content_type: &str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(content_type).expect("header"),
        );
        is_json_content_type(&headers)
    }

    #[test]
    fn json_and_plain_text_in_utf8_are_accepted() {
        for ok in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            "application/json;charset=\"UTF-8\"",
            "text/plain",
            "text/plain;charset=UTF-8",
        ] {
            assert!(accepts(ok), "{ok}");
        }
        for refused in [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "text/html",
            "application/jsonp",
            "text/plain; charset=iso-8859-1",
            "application/merge-patch+json",
            "",
        ] {
            assert!(!accepts(refused), "{refused}");
        }
        assert!(!is_json_content_type(&HeaderMap::new()));
    }
}
