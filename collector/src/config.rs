//! The collector's configuration, from command-line flags or `SURVEY_*` environment variables.

use std::{net::SocketAddr, path::PathBuf, str::FromStr, time::Duration};

use axum::http::HeaderValue;
use clap::{ArgAction, Args, Parser, builder::BoolishValueParser};

use crate::{store::Database, token::TransactionKey};

/// How the collector is run. Every flag can also be set by the environment variable named in
/// its help.
#[derive(Clone, Debug, Parser)]
#[command(name = "collector", version, about)]
pub struct Config {
    /// Address and port to listen on. Port 0 picks a free port; the startup line shows it.
    /// Defaults to 127.0.0.1:8080.
    #[arg(
        long,
        env = "SURVEY_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: SocketAddr,

    /// The SQLite database file, created if missing. Not used when --database-url is set.
    /// Defaults to survey.sqlite.
    #[arg(
        long,
        env = "SURVEY_DATABASE",
        default_value = "survey.sqlite",
        global = true
    )]
    pub database: PathBuf,

    /// Use this PostgreSQL database instead of SQLite:
    /// `postgres://user[:password]@host[:port]/database` (or `postgresql://`). The database
    /// must exist; its schema is migrated at startup. Defaults to none: SQLite (--database).
    #[arg(long, env = "SURVEY_DATABASE_URL", global = true)]
    pub database_url: Option<PostgresUrl>,

    /// The directory served for every path that is not an API route: the built widget
    /// (embed.js, survey-widget.<hash>.js, survey-widget_bg.<hash>.wasm) and the demo hall
    /// (index.html and its assets). Defaults to dist.
    #[arg(long, env = "SURVEY_STATIC_DIR", default_value = "dist", global = true)]
    pub static_dir: PathBuf,

    /// Serve `GET /demo/responses`, which shows stored responses to anyone who asks. For
    /// demos only. Defaults to off.
    #[arg(long, env = "SURVEY_DEMO", value_parser = BoolishValueParser::new(), global = true)]
    pub demo: bool,

    /// Origins allowed to POST responses from a browser, comma separated, such as
    /// `https://www.example.cn,https://m.example.cn`; `*` allows any. Defaults to *.
    #[arg(
        long,
        env = "SURVEY_ALLOWED_ORIGINS",
        default_value = "*",
        global = true
    )]
    pub allowed_origins: AllowedOrigins,

    /// How many `POST /v1/responses` one client IP address may send per minute (a burst of
    /// this many, refilled evenly over the minute); over it the answer is 429 with
    /// Retry-After. The address is the TCP peer's: X-Forwarded-For is not trusted. 0 turns the
    /// limit off. Defaults to 100.
    #[arg(long, env = "SURVEY_RATE_LIMIT", default_value_t = 100, global = true)]
    pub rate_limit: u32,

    /// How many seconds a request waits for a database connection before it answers 503
    /// `unavailable` (with Retry-After): while PostgreSQL restarts or is unreachable, requests
    /// fail after this long instead of hanging. 1 to 60. Defaults to 5.
    #[arg(
        long,
        env = "SURVEY_DATABASE_TIMEOUT",
        default_value_t = 5,
        value_parser = clap::value_parser!(u64).range(1..=60),
        global = true
    )]
    pub database_timeout: u64,

    /// Delete responses received more than this many days ago: at startup, then every hour.
    /// 1 to 36500. Defaults to none: responses are kept until deleted by hand.
    #[arg(
        long,
        env = "SURVEY_RETENTION_DAYS",
        value_parser = clap::value_parser!(u32).range(1..=36_500),
        global = true
    )]
    pub retention_days: Option<u32>,

    /// Mask mainland-China mobile numbers and PRC resident ID numbers in a response's comment
    /// before it is stored (`138****5678`, `110105********002X`); see `collector::pii`. The
    /// variable accepts true/false, yes/no, on/off and 1/0; `--mask-personal-data false` turns
    /// it off. Defaults to true.
    #[arg(
        long,
        env = "SURVEY_MASK_PERSONAL_DATA",
        value_parser = BoolishValueParser::new(),
        action = ArgAction::Set,
        num_args = 0..=1,
        default_value_t = true,
        default_missing_value = "true",
        global = true
    )]
    pub mask_personal_data: bool,

    /// A key that signs transaction tokens, as `kid=base64secret` (at least 32 bytes, such as
    /// `openssl rand -base64 32` prints). Repeat the flag, or separate keys with commas in the
    /// variable, to accept several keys while rotating. With any key, every response must carry
    /// a valid `transaction.token` (docs/signed-transactions.md). Defaults to none: tokens are
    /// not required.
    #[arg(
        long = "transaction-key",
        env = "SURVEY_TRANSACTION_KEYS",
        value_name = "KID=BASE64",
        value_delimiter = ',',
        hide_env_values = true,
        global = true
    )]
    pub transaction_keys: Vec<TransactionKey>,

    /// How long a client may take to send a request's headers, in seconds (fractions allowed);
    /// then its connection is closed. Applies to each request on a kept-alive connection too.
    /// Defaults to 10.
    #[arg(long, env = "SURVEY_HEADER_READ_TIMEOUT", default_value = "10", value_parser = parse_seconds, global = true)]
    pub header_read_timeout: Duration,

    /// How long a request may take from its headers to its response, in seconds (fractions
    /// allowed), its body included: a client that sends its body more slowly gets 408.
    /// Defaults to 20.
    #[arg(long, env = "SURVEY_REQUEST_TIMEOUT", default_value = "20", value_parser = parse_seconds, global = true)]
    pub request_timeout: Duration,
}

/// A positive number of seconds, such as `10` or `0.5`.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let not_seconds = || format!("`{text}` is not a positive number of seconds, such as 10 or 0.5");
    let seconds: f64 = text.trim().parse().map_err(|_| not_seconds())?;
    Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(not_seconds)
}

/// `survey-collector mint-token`: the key, the transaction and the expiry of a token.
#[derive(Clone, Debug, Args)]
pub struct MintToken {
    /// The signing key, `kid=base64secret`. Prefer the variable: a flag shows in `ps`.
    #[arg(
        long,
        env = "SURVEY_MINT_KEY",
        hide_env_values = true,
        value_name = "KID=BASE64"
    )]
    pub key: TransactionKey,
    /// The survey id (`survey.id` in the payload). Defaults to default.
    #[arg(long, default_value = "default")]
    pub survey: String,
    /// The transaction id (`transaction.id`).
    #[arg(long)]
    pub transaction_id: String,
    /// The transaction type (`transaction.type`).
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: String,
    /// The service unit (`transaction.unit`).
    #[arg(long)]
    pub unit: String,
    /// How many seconds from now the token stays valid. Defaults to 86400 (one day).
    #[arg(long, default_value_t = 86_400, conflicts_with = "expires_at")]
    pub ttl: u64,
    /// When the token expires, in Unix seconds, instead of --ttl.
    #[arg(long)]
    pub expires_at: Option<u64>,
}

impl Config {
    /// How long a request waits for a database connection (`--database-timeout`).
    pub fn database_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.database_timeout)
    }

    /// The database to use: PostgreSQL with `--database-url`, otherwise the SQLite file.
    pub fn database(&self) -> Database {
        match &self.database_url {
            Some(url) => Database::Postgres(url.clone()),
            None => Database::Sqlite(self.database.clone()),
        }
    }
}

/// A `postgres://` or `postgresql://` URL. Its `Debug` and `Display` hide the password, so it
/// can be logged.
#[derive(Clone, PartialEq, Eq)]
pub struct PostgresUrl(String);

impl PostgresUrl {
    /// The URL as given, password included: for connecting only.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a `--database-url` value was refused.
#[derive(Debug, thiserror::Error)]
#[error("not a PostgreSQL URL: write postgres://user[:password]@host[:port]/database")]
pub struct NotAPostgresUrl;

impl FromStr for PostgresUrl {
    type Err = NotAPostgresUrl;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let rest = s
            .strip_prefix("postgres://")
            .or_else(|| s.strip_prefix("postgresql://"))
            .ok_or(NotAPostgresUrl)?;
        if rest.is_empty() {
            return Err(NotAPostgresUrl);
        }
        Ok(PostgresUrl(s.to_owned()))
    }
}

impl std::fmt::Display for PostgresUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `scheme://user:password@host…` is shown as `scheme://user:***@host…`, and a
        // `password=` or `sslpassword=` query parameter as `password=***`.
        let (scheme, rest) = self.0.split_once("://").unwrap_or(("", &self.0));
        let (main, query) = match rest.split_once('?') {
            Some((main, query)) => (main, Some(query)),
            None => (rest, None),
        };
        let authority_end = main.find('/').unwrap_or(main.len());
        match main[..authority_end].rsplit_once('@') {
            Some((user_info, _)) if user_info.contains(':') => {
                let user = user_info.split(':').next().unwrap_or_default();
                let host_and_rest = &main[user_info.len()..];
                write!(f, "{scheme}://{user}:***{host_and_rest}")?;
            }
            _ => write!(f, "{scheme}://{main}")?,
        }
        let Some(query) = query else {
            return Ok(());
        };
        for (i, pair) in query.split('&').enumerate() {
            f.write_str(if i == 0 { "?" } else { "&" })?;
            match pair.split_once('=') {
                Some((key, _)) if key.to_ascii_lowercase().ends_with("password") => {
                    write!(f, "{key}=***")?;
                }
                _ => f.write_str(pair)?,
            }
        }
        Ok(())
    }
}

impl std::fmt::Debug for PostgresUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PostgresUrl({self})")
    }
}

/// The origins a browser may send responses from (CORS).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllowedOrigins {
    /// Any origin (`*`).
    Any,
    /// Only these origins, each `scheme://host[:port]`.
    List(Vec<HeaderValue>),
}

/// Why an `--allowed-origins` value was refused.
#[derive(Debug, thiserror::Error)]
pub enum OriginsError {
    /// The list names no origin.
    #[error("no origin given; use * to allow any")]
    Empty,
    /// `*` was mixed with named origins.
    #[error("* allows any origin and cannot be combined with others")]
    WildcardInList,
    /// An entry is not an origin.
    #[error(
        "`{0}` is not an origin: write scheme://host[:port] with no path, like https://www.example.cn"
    )]
    NotAnOrigin(String),
}

impl FromStr for AllowedOrigins {
    type Err = OriginsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let entries: Vec<&str> = s
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .collect();
        match entries.as_slice() {
            [] => Err(OriginsError::Empty),
            ["*"] => Ok(AllowedOrigins::Any),
            _ if entries.contains(&"*") => Err(OriginsError::WildcardInList),
            _ => entries
                .iter()
                .map(|entry| parse_origin(entry))
                .collect::<Result<_, _>>()
                .map(AllowedOrigins::List),
        }
    }
}

/// Browsers send `Origin` as lowercase `scheme://host[:port]` and CORS compares it byte for
/// byte, so a trailing slash or a path in the config would never match: refuse it at startup.
fn parse_origin(entry: &str) -> Result<HeaderValue, OriginsError> {
    let not_an_origin = || OriginsError::NotAnOrigin(entry.to_owned());
    let lower = entry.to_ascii_lowercase();
    let host = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(not_an_origin)?;
    if host.is_empty() || host.contains(['/', '?', '#', '@', ' ']) {
        return Err(not_an_origin());
    }
    HeaderValue::from_str(&lower).map_err(|_| not_an_origin())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_alone_allows_any_origin() {
        assert_eq!(
            "*".parse::<AllowedOrigins>().ok(),
            Some(AllowedOrigins::Any)
        );
        assert_eq!(
            " * ,".parse::<AllowedOrigins>().ok(),
            Some(AllowedOrigins::Any)
        );
        assert!(matches!(
            "*,https://a.cn".parse::<AllowedOrigins>(),
            Err(OriginsError::WildcardInList)
        ));
        assert!(matches!(
            " , ".parse::<AllowedOrigins>(),
            Err(OriginsError::Empty)
        ));
    }

    #[test]
    fn a_list_holds_lowercase_origins() {
        let parsed = "https://A.example.cn, http://localhost:8081".parse::<AllowedOrigins>();
        assert_eq!(
            parsed.ok(),
            Some(AllowedOrigins::List(vec![
                HeaderValue::from_static("https://a.example.cn"),
                HeaderValue::from_static("http://localhost:8081"),
            ]))
        );
    }

    #[test]
    fn paths_and_bare_hosts_are_refused() {
        for bad in [
            "https://a.cn/",
            "https://a.cn/x",
            "a.cn",
            "https://",
            "ftp://a.cn",
        ] {
            assert!(
                matches!(
                    bad.parse::<AllowedOrigins>(),
                    Err(OriginsError::NotAnOrigin(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn flags_have_the_documented_defaults() {
        let config = Config::try_parse_from(["collector"]);
        let config = config.expect("defaults parse");
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database, PathBuf::from("survey.sqlite"));
        assert_eq!(config.database_url, None);
        assert_eq!(
            config.database(),
            Database::Sqlite(PathBuf::from("survey.sqlite"))
        );
        assert_eq!(config.static_dir, PathBuf::from("dist"));
        assert!(!config.demo);
        assert_eq!(config.allowed_origins, AllowedOrigins::Any);
        assert_eq!(config.rate_limit, 100);
        assert_eq!(config.database_timeout, 5);
        assert_eq!(config.retention_days, None);
        assert!(config.mask_personal_data);
        assert!(config.transaction_keys.is_empty());
        assert_eq!(
            config.header_read_timeout,
            crate::server::HEADER_READ_TIMEOUT
        );
        assert_eq!(config.request_timeout, crate::REQUEST_TIMEOUT);
    }

    #[test]
    fn timeouts_take_seconds_with_fractions() {
        let parse = |value: &str| {
            Config::try_parse_from(["collector", "--request-timeout", value])
                .map(|config| config.request_timeout)
                .ok()
        };
        assert_eq!(parse("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse("0.25"), Some(Duration::from_millis(250)));
        for bad in ["0", "-1", "1s", "", "NaN", "inf"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn transaction_keys_repeat_and_mint_token_takes_a_key_and_a_transaction() {
        let secret = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        let config = Config::try_parse_from([
            "collector",
            "--transaction-key",
            &format!("old={secret}"),
            "--transaction-key",
            &format!("new={secret}"),
        ])
        .expect("parses");
        let kids: Vec<_> = config.transaction_keys.iter().map(|k| k.kid()).collect();
        assert_eq!(kids, ["old", "new"]);
        assert!(!format!("{config:?}").contains(secret));
        assert!(Config::try_parse_from(["collector", "--transaction-key", "k=short"]).is_err());

        #[derive(Debug, Parser)]
        struct Mint {
            #[command(flatten)]
            args: MintToken,
        }
        let mint = Mint::try_parse_from([
            "mint-token",
            "--key",
            &format!("k1={secret}"),
            "--transaction-id",
            "PAY-1",
            "--type",
            "bill_payment",
            "--unit",
            "城东",
            "--expires-at",
            "1800000000",
        ])
        .expect("parses")
        .args;
        assert_eq!(
            (mint.survey.as_str(), mint.expires_at, mint.key.kid()),
            ("default", Some(1_800_000_000), "k1")
        );
    }

    #[test]
    fn masking_can_be_turned_off_by_flag() {
        let parse = |args: &[&str]| {
            Config::try_parse_from(std::iter::once("collector").chain(args.iter().copied()))
                .map(|config| config.mask_personal_data)
                .ok()
        };
        assert_eq!(parse(&["--mask-personal-data", "false"]), Some(false));
        assert_eq!(parse(&["--mask-personal-data=off"]), Some(false));
        assert_eq!(parse(&["--mask-personal-data", "yes"]), Some(true));
        assert_eq!(parse(&["--mask-personal-data"]), Some(true));
        assert_eq!(parse(&["--mask-personal-data", "maybe"]), None);
    }

    #[test]
    fn a_database_url_selects_postgresql_and_hides_its_password() {
        let config = Config::try_parse_from([
            "collector",
            "--database-url",
            "postgres://survey:s3cret@db.example.cn:5432/survey",
        ])
        .expect("parses");
        let Database::Postgres(url) = config.database() else {
            panic!("PostgreSQL expected");
        };
        assert_eq!(
            url.as_str(),
            "postgres://survey:s3cret@db.example.cn:5432/survey"
        );
        assert_eq!(
            url.to_string(),
            "postgres://survey:***@db.example.cn:5432/survey"
        );
        assert!(!format!("{config:?}").contains("s3cret"));
        let plain: PostgresUrl = "postgresql://postgres@127.0.0.1/postgres"
            .parse()
            .expect("parses");
        assert_eq!(
            plain.to_string(),
            "postgresql://postgres@127.0.0.1/postgres"
        );
        for bad in ["sqlite://survey.sqlite", "survey.sqlite", "postgres://"] {
            assert!(bad.parse::<PostgresUrl>().is_err(), "{bad}");
        }
        let in_query: PostgresUrl =
            "postgres://survey@db/survey?sslmode=require&password=s3cret&sslpassword=k3y&x=1"
                .parse()
                .expect("parses");
        assert_eq!(
            in_query.to_string(),
            "postgres://survey@db/survey?sslmode=require&password=***&sslpassword=***&x=1"
        );
        let both: PostgresUrl = "postgres://survey:s3cret@db?password=s3cret"
            .parse()
            .expect("parses");
        assert_eq!(both.to_string(), "postgres://survey:***@db?password=***");
    }

    #[test]
    fn retention_is_whole_days_from_one() {
        let parse = |value: &str| {
            Config::try_parse_from(["collector", "--retention-days", value])
                .map(|config| config.retention_days)
                .ok()
        };
        assert_eq!(parse("180"), Some(Some(180)));
        assert_eq!(parse("0"), None);
        assert_eq!(parse("-1"), None);
        assert_eq!(parse("1.5"), None);
    }

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Config::command().debug_assert();
    }
}
