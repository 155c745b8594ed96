//! `POST /v1/responses`: receive, verify and store one survey response.

use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, HeaderName, Method, StatusCode, header},
    routing::post,
};
use model::{FieldError, ResponseV1};
use serde::{Deserialize, Serialize};
use tower_http::{cors::CorsLayer, limit::RequestBodyLimitLayer};

use crate::{
    AppError, AppJson, AppState, BODY_LIMIT, PREFLIGHT_MAX_AGE, allow_origin, store::Inserted,
};

pub use model::response::RESPONSES_PATH;

/// `model::response::IDEMPOTENCY_KEY_HEADER` as a header name (HTTP/2 needs it lowercase);
/// a test checks the two agree.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// The body of a successful POST.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The stored response's id, as sent.
    pub response_id: String,
}

/// The routes of this module, with their CORS and body-limit layers.
pub fn router(state: &AppState) -> Router<AppState> {
    let cors = CorsLayer::new()
        .allow_origin(allow_origin(&state.config.allowed_origins))
        .allow_methods([Method::POST])
        .allow_headers([header::CONTENT_TYPE, IDEMPOTENCY_KEY])
        .max_age(PREFLIGHT_MAX_AGE);
    Router::new()
        .route(RESPONSES_PATH, post(create))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(cors)
}

/// Verifies a response with the rules in `model` and stores it once: 201 when new, 200 when
/// the same `response_id` was already stored (a retry), with the same body.
async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    AppJson(response): AppJson<ResponseV1>,
) -> Result<(StatusCode, Json<Receipt>), AppError> {
    if let Some(key) = headers.get(&IDEMPOTENCY_KEY)
        && key.as_bytes() != response.response_id.as_bytes()
    {
        return Err(AppError::BadRequest {
            code: "idempotency_key_mismatch",
            message: "the Idempotency-Key header must equal response_id".to_owned(),
            fields: vec![FieldError::new("Idempotency-Key", "must equal response_id")],
        });
    }
    let problems = response.problems();
    if !problems.is_empty() {
        return Err(AppError::InvalidPayload(problems));
    }
    let received_at = time::OffsetDateTime::now_utc();
    let status = match state.store.insert_response(&response, received_at).await? {
        Inserted::New => StatusCode::CREATED,
        Inserted::AlreadyStored => StatusCode::OK,
    };
    Ok((
        status,
        Json(Receipt {
            response_id: response.response_id,
        }),
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn idempotency_key_is_the_models_header() {
        assert!(
            super::IDEMPOTENCY_KEY
                .as_str()
                .eq_ignore_ascii_case(model::response::IDEMPOTENCY_KEY_HEADER)
        );
    }
}
