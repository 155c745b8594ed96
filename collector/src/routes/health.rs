//! `GET /healthz` and `GET /readyz`, for supervisors and load balancers.

use axum::{Json, Router, extract::State, routing::get};
use serde::Serialize;

use std::time::Duration;

use crate::{AppError, AppState, store::StoreError};

/// The liveness path: 200 while the process serves HTTP.
pub const HEALTHZ_PATH: &str = "/healthz";
/// The readiness path: 200 when the database answers, 503 otherwise.
pub const READYZ_PATH: &str = "/readyz";

/// The body of a healthy answer: `{"status":"ok"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Status {
    /// Always `ok`.
    pub status: &'static str,
}

const OK: Status = Status { status: "ok" };

/// Both probes. Neither is rate limited nor offered cross-origin.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(HEALTHZ_PATH, get(async || Json(OK)))
        .route(READYZ_PATH, get(ready))
}

/// How long `/readyz` waits for the database: less than a load balancer's usual probe
/// timeout, whatever `--database-timeout` is.
pub const READY_TIMEOUT: Duration = Duration::from_secs(2);

async fn ready(State(state): State<AppState>) -> Result<Json<Status>, AppError> {
    match tokio::time::timeout(READY_TIMEOUT, state.store.ping()).await {
        Ok(Ok(())) => Ok(Json(OK)),
        Ok(Err(err)) => Err(AppError::NotReady(err)),
        Err(_) => Err(AppError::NotReady(StoreError::Query(
            sqlx::Error::PoolTimedOut,
        ))),
    }
}
