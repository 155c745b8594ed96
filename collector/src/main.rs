//! The `survey-collector` binary (package `collector`): receives survey responses and serves the widget.
//!
//! ```text
//! survey-collector serve --listen 127.0.0.1:8080 --database survey.sqlite --static-dir dist
//! survey-collector serve --database-url postgres://survey@127.0.0.1/survey --static-dir dist
//! ```
//!
//! `serve` may be left out: with no subcommand the collector serves.
//!
//! API tokens (see `collector::auth`) are managed with subcommands on the same database:
//!
//! ```text
//! survey-collector token create --role marketer --name alice   # prints the token, once
//! survey-collector token list
//! survey-collector token revoke --name alice
//! ```
//!
//! Every flag has a `SURVEY_*` environment variable; see `survey-collector --help` and
//! `docs/collector.md`. `survey-collector mint-token --key kid=base64 --transaction-id … --type …
//! --unit …` prints a transaction token instead (`docs/signed-transactions.md`). Once listening it prints exactly one line to stdout,
//! `collector listening on http://ADDR/`, with the real port when `--listen` asks for port 0.
//! Logs go to stderr; set `RUST_LOG` to change their level. Ctrl-C or SIGTERM stops it
//! gracefully.

#![forbid(unsafe_code)]

use std::{
    io::{IsTerminal, Write},
    net::SocketAddr,
    process::ExitCode,
};

use clap::{Parser, Subcommand};
use collector::{
    AppState, Config, Store, app,
    auth::{self, Role},
    config::MintToken,
    error::error_chain,
    server,
    store::StoreError,
    token::{self as transaction_token, Claims},
};
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
    #[error("cannot write the output")]
    Output(#[source] std::io::Error),
    #[error("the operating system gave no random bytes for a token")]
    NoRandom,
    #[error("no live token is named {0}")]
    NoSuchToken(String),
    #[error("a token needs a name: --name alice")]
    EmptyName,
}

/// The collector: serves the API, or manages API tokens with a subcommand.
#[derive(Debug, Parser)]
#[command(name = "survey-collector", version, about)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API, the widget and the demo hall (what the collector does with no
    /// subcommand). It takes the serving flags: `survey-collector serve --listen 0.0.0.0:8080`.
    Serve,
    /// Manage API tokens (stored hashed in the database of --database / --database-url).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Print a signed-transaction token for a back end or a test
    /// (docs/signed-transactions.md).
    MintToken(MintToken),
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create a token and print it once: it cannot be shown again.
    Create {
        /// What the token may do.
        #[arg(long, value_enum)]
        role: Role,
        /// Who holds it, such as alice; recorded as the author of what it changes.
        #[arg(long)]
        name: String,
    },
    /// List tokens: name, role, created, revoked (never the tokens themselves).
    List,
    /// Revoke every live token with this name.
    Revoke {
        /// The tokens' name.
        #[arg(long)]
        name: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                // The binary's own target (`survey_collector`: start-up errors) and the
                // library's (`collector`, its access log `collector::access` included) are
                // both named.
                .unwrap_or_else(|_| EnvFilter::new("survey_collector=info,collector=info")),
        )
        // Colour codes only for a person at a terminal, not in a log file.
        .with_ansi(std::io::stderr().is_terminal())
        // stdout carries only the startup line, which scripts and tests read.
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        None | Some(Command::Serve) => run(cli.config).await,
        Some(Command::Token(command)) => token(&cli.config, command).await,
        Some(Command::MintToken(args)) => return mint_token(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{}", error_chain(&err));
            ExitCode::FAILURE
        }
    }
}

/// Prints the token that `args` asks for, and a newline.
fn mint_token(args: &MintToken) -> ExitCode {
    let expiry = args.expires_at.unwrap_or_else(|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        now.saturating_add(args.ttl)
    });
    let claims = Claims {
        survey_id: &args.survey,
        transaction_id: &args.transaction_id,
        kind: &args.kind,
        unit: &args.unit,
    };
    println!("{}", transaction_token::mint(&args.key, claims, expiry));
    ExitCode::SUCCESS
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
    let retention = config.retention_days.map(|days| {
        collector::retention::spawn(
            store.clone(),
            days,
            collector::retention::RETENTION_INTERVAL,
        )
    });
    let header_read_timeout = config.header_read_timeout;
    let state = AppState::new(store.clone(), config);
    server::serve(listener, app(state), shutdown, header_read_timeout).await;
    if let Some(job) = retention {
        job.abort();
    }
    store.close().await;
    Ok(())
}

async fn token(config: &Config, command: TokenCommand) -> Result<(), StartError> {
    let store = Store::open(&config.database()).await?;
    let mut out = std::io::stdout().lock();
    let result = match command {
        TokenCommand::Create { name, .. } if name.trim().is_empty() => Err(StartError::EmptyName),
        TokenCommand::Create { role, name } => {
            let token = auth::new_token().ok_or(StartError::NoRandom)?;
            store
                .create_token(&auth::token_hash(&token), name.trim(), role)
                .await?;
            writeln!(out, "{token}").map_err(StartError::Output)
        }
        TokenCommand::List => {
            for row in store.tokens().await? {
                let revoked = row.revoked_at.as_deref().unwrap_or("-");
                writeln!(
                    out,
                    "{}\t{}\t{}\t{revoked}",
                    row.name,
                    row.role.name(),
                    row.created_at
                )
                .map_err(StartError::Output)?;
            }
            Ok(())
        }
        TokenCommand::Revoke { name } => match store.revoke_tokens(&name).await? {
            0 => Err(StartError::NoSuchToken(name)),
            n => writeln!(out, "revoked {n}").map_err(StartError::Output),
        },
    };
    store.close().await;
    result
}
