//! Static files: the built widget and the demo hall, from `--static-dir`.

use std::path::Path;

use axum::{
    Router,
    http::{HeaderName, HeaderValue, header},
};
use tower::ServiceBuilder;
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

use crate::AppState;

/// Every other path is a file of `static_dir`; `/` is its `index.html`.
///
/// Host pages on other origins load `embed.js` and the wasm, hence the permissive CORS and
/// CORP headers. File names carry no content hash, so caches must revalidate (`no-cache`).
/// Content types come from the file extension: `.js` is `text/javascript`, `.wasm`
/// `application/wasm` (which `WebAssembly.instantiateStreaming` requires).
pub fn router(static_dir: &Path) -> Router<AppState> {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    let files = ServiceBuilder::new()
        .layer(header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .layer(header(
            HeaderName::from_static("cross-origin-resource-policy"),
            "cross-origin",
        ))
        .layer(header(header::CACHE_CONTROL, "no-cache"))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .service(ServeDir::new(static_dir));
    Router::new().fallback_service(files)
}
