//! Static files: the built widget and the demo hall, from `--static-dir`, and the Studio (the
//! marketers' console) from its `console/` subdirectory at `/console/`.

use std::path::Path;

use axum::{
    Router,
    extract::Request,
    http::{HeaderName, HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{Redirect, Response},
    routing::get,
};
use tower::ServiceBuilder;
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

use crate::AppState;

/// Where the Studio is served: `/console/`, from `<static-dir>/console/`.
pub const CONSOLE_PATH: &str = "/console";

/// The Studio's Content-Security-Policy. It runs only its own script and wasm, talks only to
/// this collector, and may not be framed: a page that holds an API token keeps to itself.
pub const CONSOLE_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
    form-action 'none'; frame-ancestors 'none'";

/// How long a browser or CDN may keep a file whose name carries its content's hash.
pub const CACHE_FOREVER: &str = "public, max-age=31536000, immutable";

/// Whether the last segment of `path` is `stem.<10 lowercase hex digits>.ext`, as
/// `scripts/slim.mjs` names the widget's glue and wasm: its content never changes.
pub fn is_fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.rsplit('.');
    let (Some(ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !ext.is_empty()
        && !stem.is_empty()
        && hash.len() == 10
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `Cache-Control` for a static file: [`CACHE_FOREVER`] for a fingerprinted file that was
/// found (a 304 too: it updates the headers a cache keeps), else `no-cache` (use it, but
/// revalidate first: `embed.js` keeps its name).
async fn cache_control(request: Request, next: Next) -> Response {
    let forever = is_fingerprinted(request.uri().path());
    let mut response = next.run(request).await;
    let found = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    let value = if forever && found {
        CACHE_FOREVER
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// Every other path is a file of `static_dir`; `/` is its `index.html`.
///
/// Host pages on other origins load `embed.js` and the wasm, hence the permissive CORS and
/// CORP headers. `embed.js` and the demo hall keep their names, so caches must revalidate
/// them (`no-cache`); the glue and the wasm are named after their content and may be kept
/// for a year without asking (see [`cache_control`]). Content types come from the file
/// extension: `.js` is `text/javascript`, `.wasm` `application/wasm` (which
/// `WebAssembly.instantiateStreaming` requires). Where the build wrote `NAME.br` or `NAME.gz`
/// beside a file (`scripts/slim.mjs` does for the widget's files), a client that accepts it
/// gets that instead, with `Content-Encoding`; every answer says `Vary: Accept-Encoding`, so
/// shared caches keep the encodings apart.
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
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(SetResponseHeaderLayer::appending(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
        .layer(middleware::from_fn(cache_control))
        .service(
            ServeDir::new(static_dir)
                .precompressed_br()
                .precompressed_gzip(),
        );
    console(static_dir).fallback_service(files)
}

/// The Studio at `/console/`: same-origin only (no CORS), a strict CSP, never framed.
fn console<S: Clone + Send + Sync + 'static>(static_dir: &Path) -> Router<S> {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    let files = ServiceBuilder::new()
        .layer(header(header::CONTENT_SECURITY_POLICY, CONSOLE_CSP))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::CACHE_CONTROL, "no-cache"))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .service(ServeDir::new(static_dir.join("console")));
    Router::new()
        .route(
            CONSOLE_PATH,
            get(|| async { Redirect::permanent("/console/") }),
        )
        .nest_service(&format!("{CONSOLE_PATH}/"), files)
}

#[cfg(test)]
mod tests {
    use axum::{
        body::Body,
        http::{Request, StatusCode},
    };
    use tower::ServiceExt;

    use super::*;

    async fn get(app: &Router, uri: &str) -> axum::response::Response {
        let request = Request::get(uri).body(Body::empty()).expect("request");
        app.clone().oneshot(request).await.expect("infallible")
    }

    fn header_of<'a>(response: &'a axum::response::Response, name: &str) -> Option<&'a str> {
        response.headers().get(name).and_then(|v| v.to_str().ok())
    }

    #[test]
    fn fingerprinted_names_are_stem_hash_ext() {
        assert!(is_fingerprinted("/survey-widget.0123456789.js"));
        assert!(is_fingerprinted("/cdn/survey-widget_bg.abcdef0123.wasm"));
        assert!(!is_fingerprinted("/survey-widget.js"));
        assert!(!is_fingerprinted("/embed.js"));
        assert!(!is_fingerprinted("/survey-widget.0123456789.js/"));
        assert!(
            !is_fingerprinted("/survey-widget.ABCDEF0123.js"),
            "lowercase only"
        );
        assert!(
            !is_fingerprinted("/survey-widget.012345678.js"),
            "10 digits"
        );
        assert!(!is_fingerprinted("/.0123456789.js"), "a stem");
        assert!(
            !is_fingerprinted("/survey-widget.0123456789."),
            "an extension"
        );
    }

    #[tokio::test]
    async fn the_studio_is_served_at_console_with_its_own_headers() {
        let dir = tempfile::tempdir().expect("temp dir");
        let studio = dir.path().join("console");
        std::fs::create_dir(&studio).expect("console dir");
        std::fs::write(
            studio.join("index.html"),
            "<!doctype html><title>studio</title>",
        )
        .expect("html");
        std::fs::write(studio.join("console_bg.wasm"), b"\0asm\x01\0\0\0").expect("wasm");
        std::fs::write(dir.path().join("index.html"), "<title>hall</title>").expect("hall");
        let app: Router = console(dir.path()).fallback_service(ServeDir::new(dir.path()));

        let page = get(&app, "/console/").await;
        assert_eq!(page.status(), StatusCode::OK);
        assert!(header_of(&page, "content-type").is_some_and(|t| t.starts_with("text/html")));
        assert_eq!(
            header_of(&page, "content-security-policy"),
            Some(CONSOLE_CSP)
        );
        assert_eq!(header_of(&page, "x-frame-options"), Some("DENY"));
        assert_eq!(header_of(&page, "access-control-allow-origin"), None);

        let wasm = get(&app, "/console/console_bg.wasm").await;
        assert_eq!(header_of(&wasm, "content-type"), Some("application/wasm"));

        let bare = get(&app, "/console").await;
        assert_eq!(bare.status(), StatusCode::PERMANENT_REDIRECT);
        assert_eq!(header_of(&bare, "location"), Some("/console/"));

        assert_eq!(
            get(&app, "/console/missing.js").await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(&app, "/").await.status(),
            StatusCode::OK,
            "the hall is still served"
        );
    }
}
