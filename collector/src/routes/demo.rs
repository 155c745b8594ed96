//! `GET /demo/responses`: the most recent responses, for the demo hall. Only with `--demo`:
//! reading responses will need a credential once there is one.

use axum::{
    Router,
    extract::State,
    http::Method,
    routing::{any, get},
};
use serde::Deserialize;
use tower_http::cors::CorsLayer;

use crate::{AppError, AppJson, AppQuery, AppState, allow_origin, store::StoredResponse};

/// The path of the demo view.
pub const DEMO_RESPONSES_PATH: &str = "/demo/responses";
/// How many responses the demo view returns when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 10;
/// The most responses the demo view returns; a larger `limit` is lowered to this.
pub const MAX_LIMIT: u32 = 50;

#[derive(Debug, Deserialize)]
struct RecentQuery {
    limit: Option<u32>,
}

/// The demo route when `--demo` is set. Otherwise the path answers 404 even if the static
/// directory happens to hold a file there.
pub fn router(state: &AppState) -> Router<AppState> {
    if !state.config.demo {
        return Router::new().route(DEMO_RESPONSES_PATH, any(async || AppError::NotFound));
    }
    let cors = CorsLayer::new()
        .allow_origin(allow_origin(&state.config.allowed_origins))
        .allow_methods([Method::GET]);
    Router::new()
        .route(DEMO_RESPONSES_PATH, get(recent))
        .layer(cors)
}

async fn recent(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<RecentQuery>,
) -> Result<AppJson<Vec<StoredResponse>>, AppError> {
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT);
    Ok(AppJson(state.store.recent_responses(limit).await?))
}
