//! Extractors whose rejections answer in the API's JSON error shape.

use axum::{
    Json,
    extract::{FromRequest, FromRequestParts, Query},
    response::{IntoResponse, Response},
};
use serde::Serialize;

use crate::AppError;

/// Like [`axum::Json`], but a body that is not JSON, not sent as JSON or not the expected type
/// is rejected with an [`AppError`] (400 or 413), not axum's plain-text rejection.
#[derive(Clone, Copy, Debug, Default, FromRequest)]
#[from_request(via(Json), rejection(AppError))]
pub struct AppJson<T>(pub T);

impl<T: Serialize> IntoResponse for AppJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

/// Like [`axum::extract::Query`], but a bad query string is rejected with an [`AppError`].
#[derive(Clone, Copy, Debug, Default, FromRequestParts)]
#[from_request(via(Query), rejection(AppError))]
pub struct AppQuery<T>(pub T);
