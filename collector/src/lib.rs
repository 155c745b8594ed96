//! `collector`: the HTTP service that receives, verifies and stores survey responses, and
//! serves the built widget and the demo hall.
//!
//! - `POST /v1/responses` takes a payload v1 ([`model::ResponseV1`]), checks it with the rules
//!   in `model`, masks phone and ID numbers in its comment ([`pii`]) and stores it once per
//!   `response_id` in SQLite or PostgreSQL ([`store`]).
//!   With `--transaction-key`, each response must carry a valid transaction token ([`token`]).
//! - `GET /v1/surveys/{id}` (public, cacheable) serves the current survey definition,
//!   `GET /v1/surveys/{id}/versions/{n}` an older one, and `PUT /v1/surveys/{id}` publishes a
//!   new version with a marketer's API token ([`auth`], [`routes::surveys`]).
//! - `GET /healthz` and `GET /readyz` tell a supervisor whether the process is up and whether
//!   its database answers.
//! - `GET /demo/responses` lists recent responses, only with `--demo`.
//! - Every other path is a file of `--static-dir`.
//!
//! Run it with `cargo run -p collector -- --static-dir dist` (see `--help` and
//! `docs/collector.md`); test it with `cargo test -p collector`. Tests call
//! [`app`] directly: `app(state).oneshot(request)`.

#![forbid(unsafe_code)]

pub mod auth;
pub mod config;
pub mod error;
pub mod extract;
pub mod pii;
pub mod rate_limit;
pub mod retention;
pub mod routes;
pub mod server;
pub mod store;
pub mod token;

use std::{sync::Arc, time::Duration};

use axum::{
    Router,
    extract::Request,
    http::StatusCode,
    middleware::{Next, from_fn, map_response},
    response::Response,
};
use tower::ServiceBuilder;
use tower_http::{cors::AllowOrigin, timeout::TimeoutLayer};
use tracing::Level;

pub use config::{AllowedOrigins, Config};
pub use error::AppError;
pub use extract::{AppJson, AppJsonOf, AppQuery};
pub use rate_limit::RateLimiter;
pub use store::{Database, Store};

/// The largest request body accepted: 16 KiB. A payload v1 at its limits is about 10 KiB.
pub const BODY_LIMIT: usize = 16 * 1024;
/// How long a request may take from its headers to its response by default
/// (`--request-timeout`): a slower body is cut with 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// How long browsers may cache a CORS preflight answer.
pub const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(60 * 60);

/// What every handler can reach: the store, the configuration and the POST rate limiter
/// ([`SharedState`], which it derefs to). Cloning it is one reference count: axum clones the
/// state for each extractor and middleware that takes it, several times per request.
#[derive(Clone, Debug)]
pub struct AppState(Arc<SharedState>);

/// The contents of [`AppState`].
#[derive(Debug)]
pub struct SharedState {
    /// Where responses are stored.
    pub store: Store,
    /// How the collector was started.
    pub config: Arc<Config>,
    /// Counts POSTs per client; `None` when `--rate-limit 0` turned the limit off.
    pub rate_limiter: Option<Arc<RateLimiter>>,
    /// Survey versions already read, for checking responses without a query each.
    pub surveys: routes::surveys::VersionCache,
}

impl AppState {
    /// The state for a collector using `store` and configured by `config`.
    pub fn new(store: Store, config: Config) -> AppState {
        let rate_limiter = (config.rate_limit > 0).then(|| {
            Arc::new(RateLimiter::new(
                config.rate_limit,
                rate_limit::MAX_TRACKED_CLIENTS,
            ))
        });
        AppState(Arc::new(SharedState {
            store,
            config: Arc::new(config),
            rate_limiter,
            surveys: routes::surveys::VersionCache::default(),
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = SharedState;

    fn deref(&self) -> &SharedState {
        &self.0
    }
}

/// The whole HTTP application: every route, with the access log, a request timeout, body limits
/// and CORS as configured in `state`.
pub fn app(state: AppState) -> Router {
    let request_timeout = state.config.request_timeout;
    Router::new()
        .merge(routes::responses::router(&state))
        .merge(routes::surveys::router())
        .merge(routes::health::router())
        .merge(routes::demo::router(&state))
        .merge(routes::assets::router(&state.config.static_dir))
        .layer(
            ServiceBuilder::new()
                .layer(from_fn(access_log))
                .layer(map_response(error::layer_errors_as_json))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    request_timeout,
                )),
        )
        .with_state(state)
}

/// The target of the access log: `RUST_LOG=collector::access=warn` keeps only its 5xx lines.
pub const ACCESS_LOG: &str = "collector::access";

/// One line per request, once answered: method, path (never the query or the body), status
/// and latency in microseconds; at `error` for a 5xx, else at `info`. A plain event rather
/// than tower-http's `TraceLayer`, whose span per request (created, formatted, entered and
/// closed) cost more than the line itself (docs/performance.md, "Collector ingest").
async fn access_log(request: Request, next: Next) -> Response {
    if !tracing::enabled!(target: ACCESS_LOG, Level::ERROR) {
        return next.run(request).await;
    }
    let started = std::time::Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    if response.status().is_server_error() {
        tracing::error!(target: ACCESS_LOG, %method, path, status, latency_us, "request failed");
    } else {
        tracing::info!(target: ACCESS_LOG, %method, path, status, latency_us, "request");
    }
    response
}

/// The CORS origin rule for `origins`.
fn allow_origin(origins: &AllowedOrigins) -> AllowOrigin {
    match origins {
        AllowedOrigins::Any => AllowOrigin::any(),
        AllowedOrigins::List(list) => AllowOrigin::list(list.iter().cloned()),
    }
}
