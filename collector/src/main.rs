//! The `collector` binary: receives survey responses and serves the widget.
//!
//! ```text
//! cargo run -p collector -- --listen 127.0.0.1:8080 --database survey.sqlite --static-dir dist
//! cargo run -p collector -- --database-url postgres://survey@127.0.0.1/survey --static-dir dist
//! ```
//!
//! Every flag has a `SURVEY_*` environment variable; see `collector --help` and
//! `docs/collector.md`. Once listening it prints exactly one line to stdout,
//! `collector listening on http://ADDR/`, with the real port when `--listen` asks for port 0.
//! Logs go to stderr; set `RUST_LOG` to change their level. Ctrl-C or SIGTERM stops it
//! gracefully.

#![forbid(unsafe_code)]

use std::{io::Write, net::SocketAddr, process::ExitCode};

use clap::Parser;
use collector::{AppState, Config, Store, app, error::error_chain, server, store::StoreError};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

/// Why the collector could not start.
#[derive(Debug, thiserror::Error)]
enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot install the signal handlers")]
    Signal(#[source] std::io::Error),
    #[error("cannot write the startup line")]
    Stdout(#[source] std::io::Error),
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("collector=info,tower_http=info")),
        )
        // stdout carries only the startup line, which scripts and tests read.
        .with_writer(std::io::stderr)
        .init();
    let config = Config::parse();
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{}", error_chain(&err));
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), StartError> {
    let store = Store::open_with_timeout(&config.database(), config.database_timeout()).await?;
    if !config.static_dir.is_dir() {
        tracing::warn!(
            static_dir = %config.static_dir.display(),
            "the static directory does not exist; serving the API only"
        );
    }
    if config.demo {
        tracing::warn!("demo mode: GET /demo/responses shows stored responses to anyone");
    }
    let shutdown = server::shutdown_signal().map_err(StartError::Signal)?;
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|source| StartError::Bind {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: config.listen,
        source,
    })?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "collector listening on http://{addr}/").map_err(StartError::Stdout)?;
    stdout.flush().map_err(StartError::Stdout)?;
    drop(stdout);
    let state = AppState::new(store.clone(), config);
    server::serve(listener, app(state), shutdown).await;
    store.close().await;
    Ok(())
}
