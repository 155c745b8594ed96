//! `hello-server`: the bare hyper server the ingest benchmark compares the collector with. It
//! reads each request's body to the end and answers `200 hello`, over HTTP/1.1 with the same
//! hyper, hyper-util and tokio set-up as the collector (multi-threaded runtime, auto builder),
//! and nothing else: no routing, no JSON, no database.
//!
//! `cargo run --release -p bench-ingest --bin hello-server -- 127.0.0.1:0` prints
//! `hello listening on http://ADDR/`. `bench/ingest/run` starts it.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Request, Response, body::Incoming, service::service_fn};
use hyper_util::{
    rt::{TokioExecutor, TokioIo},
    server::conn::auto,
};

async fn hello(request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    // Read the body as the collector must: the comparison is per POST, not per header.
    let _ = request.into_body().collect().await;
    Ok(Response::new(Full::new(Bytes::from_static(b"hello"))))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("hello listening on http://{}/", listener.local_addr()?);
    loop {
        let (stream, _) = listener.accept().await?;
        tokio::spawn(async move {
            let _ = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), service_fn(hello))
                .await;
        });
    }
}
