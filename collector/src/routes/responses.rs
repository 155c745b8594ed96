//! `POST /v1/responses`: receive, verify and store one survey response.

use std::{borrow::Cow, net::SocketAddr, time::Instant};

use axum::{
    Json, Router,
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, HeaderName, Method, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::post,
};
use model::{FieldError, ResponseV1};
use serde::{Deserialize, Serialize};
use tower_http::{cors::CorsLayer, limit::RequestBodyLimitLayer};

use crate::{
    AllowedOrigins, AppError, AppState, BODY_LIMIT, PREFLIGHT_MAX_AGE, allow_origin,
    extract::JsonBody,
    pii::mask_personal_data,
    rate_limit::retry_after_secs,
    store::Inserted,
    token::{self, Claims},
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

/// The routes of this module, with their layers, outermost first: refuse POSTs from origins
/// not allowed (before CORS, so that the 403 carries no CORS headers), CORS, the per-client
/// rate limit (after CORS, so OPTIONS is never counted and a 429 is readable by the page),
/// then the body limit.
pub fn router(state: &AppState) -> Router<AppState> {
    let cors = CorsLayer::new()
        .allow_origin(allow_origin(&state.config.allowed_origins))
        .allow_methods([Method::POST])
        .allow_headers([header::CONTENT_TYPE, IDEMPOTENCY_KEY])
        .expose_headers([header::RETRY_AFTER])
        .max_age(PREFLIGHT_MAX_AGE);
    Router::new()
        .route(RESPONSES_PATH, post(create))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(state.clone(), rate_limit))
        .layer(cors)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            refuse_other_origins,
        ))
}

/// 403 for a POST whose `Origin` is not in the configured list. Requests without `Origin`
/// (not from a browser, or same-origin GETs) pass: CORS protects browsers, not the endpoint.
async fn refuse_other_origins(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if let AllowedOrigins::List(allowed) = &state.config.allowed_origins
        && request.method() == Method::POST
        && let Some(origin) = request.headers().get(header::ORIGIN)
        && !allowed.contains(origin)
    {
        return AppError::OriginNotAllowed.into_response();
    }
    next.run(request).await
}

/// 429 with `Retry-After` when the client (by TCP peer address) is over `--rate-limit` POSTs
/// per minute. Other methods pass uncounted.
async fn rate_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(limiter) = &state.rate_limiter
        && request.method() == Method::POST
    {
        // `server::serve` always sets the peer; without it (an in-process test) every request
        // counts against one shared client.
        let ip = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(std::net::Ipv4Addr::UNSPECIFIED.into(), |info| info.0.ip());
        if let Err(wait) = limiter.check(ip, Instant::now()) {
            return AppError::RateLimited {
                retry_after_secs: retry_after_secs(wait),
            }
            .into_response();
        }
    }
    next.run(request).await
}

/// Verifies a response's transaction token (when keys are configured) and its fields with the
/// rules in `model`, masks personal data in its comment (unless
/// `--mask-personal-data false`) and stores it once.
///
/// - 201 when new;
/// - 200 with the same receipt when this very response was already stored (a retry);
/// - 422 `response_id_reused` when that `response_id` was stored with a different payload;
/// - 409 `already_rated` when another response for the same survey and transaction is stored.
async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<Receipt>), AppError> {
    let (mut response, token) = model::response::ingest::read_payload(&body)?.split_token();
    if let Some(key) = headers.get(&IDEMPOTENCY_KEY)
        && key.as_bytes() != response.response_id.as_bytes()
    {
        return Err(AppError::BadRequest {
            code: "idempotency_key_mismatch",
            message: "the Idempotency-Key header must equal response_id".to_owned(),
            fields: vec![FieldError::new("Idempotency-Key", "must equal response_id")],
        });
    }
    check_token(&state, &response, token.as_deref())?;
    // The answers are checked against the survey version the payload names.
    let problems =
        match super::surveys::find(&state, &response.survey.id, Some(response.survey.version))
            .await?
        {
            Some(definition) => response.problems_against(&definition),
            None => {
                let known_id = super::surveys::find(&state, &response.survey.id, None)
                    .await?
                    .is_some();
                let unknown = if known_id {
                    FieldError::new(
                        "survey.version",
                        &format!(
                            "survey '{}' has no version {}",
                            response.survey.id, response.survey.version
                        ),
                    )
                } else {
                    FieldError::new(
                        "survey.id",
                        &format!("no survey has the id '{}'", response.survey.id),
                    )
                };
                // `problems` checks against the built-in survey and names `survey` when the
                // payload names another: that entry becomes the precise one.
                let mut problems = response.problems();
                for problem in &mut problems {
                    if problem.field == "survey" {
                        *problem = unknown.clone();
                    }
                }
                problems
            }
        };
    if !problems.is_empty() {
        return Err(AppError::InvalidPayload(problems));
    }
    // Masked before the store compares it with a stored response, so that a replay of the
    // same original payload matches the masked row stored the first time. Masking keeps the
    // length in characters, so `model`'s length rules hold for the masked texts too. Every
    // free text is masked: the comment, any text question and any "other" text.
    if state.config.mask_personal_data {
        for text in response.answers.texts_mut() {
            if let Cow::Owned(masked) = mask_personal_data(text) {
                *text = masked;
            }
        }
    }
    let received_at = time::OffsetDateTime::now_utc();
    let response_id = response.response_id.clone();
    let status = match state.store.insert_response(response, received_at).await? {
        Inserted::New => StatusCode::CREATED,
        Inserted::AlreadyStored => StatusCode::OK,
        Inserted::ResponseIdReused => return Err(AppError::ResponseIdReused),
        Inserted::TransactionAlreadyRated => return Err(AppError::AlreadyRated),
    };
    Ok((status, Json(Receipt { response_id })))
}

/// With `--transaction-key`, the token must be valid for this survey and transaction. The
/// token is not stored: a retry with a freshly minted token is still the same response.
fn check_token(
    state: &AppState,
    response: &ResponseV1,
    token: Option<&str>,
) -> Result<(), AppError> {
    let keys = &state.config.transaction_keys;
    if keys.is_empty() {
        return Ok(());
    }
    let claims = Claims {
        survey_id: &response.survey.id,
        transaction_id: &response.transaction.id,
        kind: &response.transaction.kind,
        unit: &response.transaction.unit,
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    token
        .ok_or(token::InvalidToken)
        .and_then(|token| token::verify(keys, token, claims, now))
        .map_err(|_| AppError::InvalidToken)
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
