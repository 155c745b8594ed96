//! Storage of responses in SQLite or PostgreSQL. Everything that touches the database is here.
//! Each query is one SQL text, run unchanged on either backend; only opening a connection, the
//! migrations (`migrations/sqlite/`, `migrations/postgres/`) and each backend's batch insert
//! differ.
//!
//! On both, every insert goes through the writer, which commits concurrent inserts together
//! (group commit, [`writer`]): on SQLite one task over the only writing connection
//! ([`sqlite`]), on PostgreSQL two tasks over pooled connections, with one multi-row insert per
//! batch ([`postgres`]).

mod postgres;
mod sqlite;
mod writer;

use std::{path::PathBuf, time::Duration};

use model::ResponseV1;
use serde::Serialize;
use sqlx::{
    PgPool, SqlitePool,
    migrate::MigrateError,
    postgres::PgPoolOptions,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

use crate::config::PostgresUrl;
use time::{OffsetDateTime, format_description::FormatItem, macros::format_description};

/// How long a write waits for another connection's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a query waits for a free pooled connection (or a new one) by default before
/// failing, so that an unreachable database fails a request (503) instead of hanging it
/// (`--database-timeout`).
pub const DEFAULT_DATABASE_TIMEOUT: Duration = Duration::from_secs(5);

/// RFC 3339 in UTC with a fixed number of fraction digits: stored as text, received times
/// must sort in time order, and `time`'s `Rfc3339` trims trailing zeros (".5Z" would sort
/// after ".123Z" but "00Z" before "00.1Z").
const RECEIVED_AT_FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened or created.
    #[error("cannot open the database {database}")]
    Open {
        /// The database file, or the PostgreSQL URL without its password.
        database: String,
        /// What went wrong.
        #[source]
        source: sqlx::Error,
    },
    /// The schema migrations failed.
    #[error("cannot migrate the database")]
    Migrate(#[from] MigrateError),
    /// A query failed.
    #[error("database query failed")]
    Query(#[from] sqlx::Error),
    /// A payload could not be converted to or from its stored JSON.
    #[error("cannot convert a stored payload")]
    Payload(#[from] serde_json::Error),
    /// The receive time could not be formatted.
    #[error("cannot format the receive time")]
    Time(#[from] time::error::Format),
    /// Other publishes of the same survey kept taking the next version number.
    #[error("survey {0} is being published by others at the same time")]
    PublishContended(String),
    /// An insert was refused by a uniqueness rule, yet no row explains it.
    #[error("response {0} conflicts with no stored row")]
    UnexplainedConflict(String),
    /// The store was closed ([`Store::close`]), or its writer stopped.
    #[error("the store is closed")]
    Closed,
    /// The database was unavailable for the whole batch this insert was part of: the error,
    /// shared by every insert of the batch.
    #[error(transparent)]
    Batch(std::sync::Arc<StoreError>),
}

impl StoreError {
    /// Whether the database could not be reached or is busy, rather than refusing what was
    /// asked: the same request may well succeed later (503, not 500).
    ///
    /// That is a connection that could not be made in time or broke (a PostgreSQL restart, a
    /// network failure), PostgreSQL's connection and shutdown errors (SQLSTATE class 08,
    /// 57P01–57P03, 53300 too many connections), and SQLite's "database is busy" (another
    /// process held the write lock for longer than the busy timeout).
    pub fn is_unavailable(&self) -> bool {
        if let StoreError::Batch(error) = self {
            return error.is_unavailable();
        }
        let StoreError::Query(error) = self else {
            return false;
        };
        match error {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => true,
            sqlx::Error::Database(database) => database.code().is_some_and(|code| {
                code.starts_with("08")
                    || matches!(&*code, "57P01" | "57P02" | "57P03" | "53300")
                    // SQLite's extended result codes keep the primary code in the low byte.
                    || code.parse::<i32>().is_ok_and(|code| code & 0xff == 5)
            }),
            _ => false,
        }
    }
}

/// What [`Store::insert_response`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inserted {
    /// The response was new and is now stored.
    New,
    /// This very response (same `response_id`, same payload) was already stored: a retry.
    /// Nothing changed.
    AlreadyStored,
    /// A different payload with this `response_id` was already stored. Nothing changed.
    ResponseIdReused,
    /// Another response for the same survey id and transaction id was already stored. Nothing
    /// changed.
    TransactionAlreadyRated,
}

/// A stored response as the demo view shows it: the payload as received, plus when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredResponse {
    /// When the collector received it: RFC 3339 in UTC.
    pub received_at: String,
    /// The payload, serialized with its own fields at the top level.
    #[serde(flatten)]
    pub response: ResponseV1,
}

/// Which database the store uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    /// The SQLite database in this file, created if missing.
    Sqlite(PathBuf),
    /// The PostgreSQL database at this URL, which must exist.
    Postgres(PostgresUrl),
}

impl std::fmt::Display for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) => write!(f, "{url}"),
        }
    }
}

/// A pool of connections to either backend. On SQLite the pool only reads: every write goes
/// through the writer.
#[derive(Clone, Debug)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the store's pool, whichever the backend: the same code,
/// and so the same SQL, is compiled once per backend.
macro_rules! with_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.pool {
            Pool::Sqlite($pool) => $body,
            Pool::Postgres($pool) => $body,
        }
    };
}

/// The response store: a pool of connections to one SQLite or PostgreSQL database, and the
/// writer task that inserts responses.
#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
    writer: writer::Writer,
}

impl Store {
    /// Opens `database` and brings its schema up to date with the migrations for its backend.
    /// A query waits up to [`DEFAULT_DATABASE_TIMEOUT`] for a connection.
    pub async fn open(database: &Database) -> Result<Store, StoreError> {
        Store::open_with_timeout(database, DEFAULT_DATABASE_TIMEOUT).await
    }

    /// Like [`Store::open`], but a query waits up to `timeout` for a connection (while the
    /// database is unreachable, the error comes after `timeout`, not at once: a PostgreSQL
    /// server that is restarting refuses connections for a moment).
    pub async fn open_with_timeout(
        database: &Database,
        timeout: Duration,
    ) -> Result<Store, StoreError> {
        let open_error = |source| StoreError::Open {
            database: database.to_string(),
            source,
        };
        // Migrated before the writer starts, so that it sees the final schema.
        let (pool, writer) = match database {
            Database::Sqlite(path) => {
                let options = sqlite_options(path);
                let pool = SqlitePoolOptions::new()
                    .acquire_timeout(timeout)
                    .connect_with(options.clone())
                    .await
                    .map_err(open_error)?;
                sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
                let backend = sqlite::Sqlite::connect(options).await.map_err(open_error)?;
                (Pool::Sqlite(pool), writer::Writer::start(vec![backend]))
            }
            Database::Postgres(url) => {
                let pool = PgPoolOptions::new()
                    .acquire_timeout(timeout)
                    .connect(url.as_str())
                    .await
                    .map_err(open_error)?;
                sqlx::migrate!("./migrations/postgres").run(&pool).await?;
                let backends = (0..postgres::WRITERS)
                    .map(|_| postgres::Postgres::new(pool.clone()))
                    .collect();
                (Pool::Postgres(pool), writer::Writer::start(backends))
            }
        };
        Ok(Store { pool, writer })
    }

    /// Stores `response`, received at `received_at`, unless it conflicts with a stored one: the
    /// same `response_id` (primary key) or the same survey id and transaction id (unique index).
    /// Then nothing changes, and the result says which stored row won.
    ///
    /// The database decides, not a prior SELECT, so concurrent inserts cannot both win. The
    /// answer comes once the response is committed, together with the others that arrived
    /// meanwhile (group commit, [`writer`]). It takes `response` by value: the row keeps it
    /// until the batch is answered, and a copy per request was a measurable cost.
    pub async fn insert_response(
        &self,
        response: ResponseV1,
        received_at: OffsetDateTime,
    ) -> Result<Inserted, StoreError> {
        self.writer
            .insert(NewRow::new(response, received_at)?)
            .await
    }

    /// Deletes every response received before `cutoff`, from `responses` and
    /// `superseded_responses`, and returns how many. It deletes [`DELETE_CHUNK`] rows per
    /// transaction, so that inserts are never held up for long.
    pub async fn delete_received_before(&self, cutoff: OffsetDateTime) -> Result<u64, StoreError> {
        let cutoff = format_received_at(cutoff)?;
        let mut deleted = 0;
        for delete in DELETE_OLD {
            loop {
                let chunk = self.writer.delete(delete, cutoff.clone()).await?;
                deleted += chunk;
                if chunk < DELETE_CHUNK {
                    break;
                }
            }
        }
        Ok(deleted)
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// The `limit` most recently received responses, newest first.
    pub async fn recent_responses(&self, limit: u32) -> Result<Vec<StoredResponse>, StoreError> {
        let rows: Vec<(String, String)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT received_at, payload FROM responses \
                 ORDER BY received_at DESC, response_id DESC LIMIT $1",
            )
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(received_at, payload)| {
                Ok(StoredResponse {
                    received_at,
                    response: serde_json::from_str(&payload)?,
                })
            })
            .collect()
    }

    /// Closes every connection (on SQLite, checkpointing the WAL). Call it once the server has
    /// stopped. Inserts already queued are written first; later ones fail with
    /// [`StoreError::Closed`].
    pub async fn close(&self) {
        self.writer.close().await;
        with_pool!(self, |pool| pool.close().await);
    }
}

/// How many rows one retention transaction deletes at most.
pub const DELETE_CHUNK: u64 = 1000;

/// Deletes up to [`DELETE_CHUNK`] of the oldest rows received before `$1`, one statement per
/// table. `received_at` is RFC 3339 text with fixed digits, so text order is time order.
const DELETE_OLD: [&str; 2] = [
    "DELETE FROM responses WHERE response_id IN (SELECT response_id FROM responses \
     WHERE received_at < $1 ORDER BY received_at LIMIT 1000)",
    "DELETE FROM superseded_responses WHERE response_id IN (SELECT response_id FROM \
     superseded_responses WHERE received_at < $1 ORDER BY received_at LIMIT 1000)",
];

/// Runs one of [`DELETE_OLD`] with `$cutoff` on `$executor` and evaluates to the number of
/// rows deleted; returns the error from the enclosing function. A macro, not a function, so
/// that one SQL text runs on a PostgreSQL pool and on the SQLite writer's transaction.
macro_rules! delete_chunk {
    ($executor:expr, $delete:expr, $cutoff:expr) => {
        sqlx::query($delete)
            .bind($cutoff)
            .execute($executor)
            .await?
            .rows_affected()
    };
}
use delete_chunk;

/// `at` as stored in `received_at`.
fn format_received_at(at: OffsetDateTime) -> Result<String, StoreError> {
    Ok(at
        .to_offset(time::UtcOffset::UTC)
        .format(RECEIVED_AT_FORMAT)?)
}

/// A response ready to insert: the payload and the column values derived from it.
#[derive(Debug)]
///
/// The `satisfaction`, `reasons` and `comment` columns hold the answers to the questions with
/// those ids (the built-in survey's); 0, `[]` and `""` when a survey has none. Every answer is
/// in `payload`.
struct NewRow {
    response: ResponseV1,
    received_at: String,
    satisfaction: i32,
    reasons: String,
    payload: String,
}

impl NewRow {
    fn new(response: ResponseV1, received_at: OffsetDateTime) -> Result<NewRow, StoreError> {
        Ok(NewRow {
            received_at: format_received_at(received_at)?,
            satisfaction: response
                .answers
                .satisfaction()
                .and_then(|score| i32::try_from(score).ok())
                .unwrap_or(0),
            reasons: serde_json::to_string(response.answers.reasons())?,
            payload: serde_json::to_string(&response)?,
            response,
        })
    }
}

/// How every connection to the SQLite database at `path` is opened, creating the file if it is
/// missing: the pool's and the writer's.
fn sqlite_options(path: &std::path::Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        // WAL lets the demo view read while a response is being written.
        .journal_mode(SqliteJournalMode::Wal)
        // A 2xx promises the response is stored: FULL syncs the WAL on every commit, so a
        // committed response survives a power cut (NORMAL may lose the last commits).
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(BUSY_TIMEOUT)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    use sqlx::ConnectOptions;
    use time::macros::datetime;

    use super::writer::Backend;

    /// A row of the built-in survey: response `id`, for `transaction`, with `comment`.
    pub(super) fn row(id: u32, transaction: &str, comment: &str) -> NewRow {
        let json = format!(
            r#"{{"response_id":"0f8fad5b-d9cb-469f-a165-{id:012x}","survey":{{"id":"default","version":1}},"transaction":{{"id":"{transaction}","type":"bill_payment","unit":"hall"}},"answers":{{"satisfaction":5,"reasons":[],"comment":"{comment}"}},"locale":"zh-CN","submitted_at":"2026-11-27T08:30:00.123Z","page":"https://95598.example.cn/hall/pay","widget_version":"0.1.0"}}"#
        );
        let response = serde_json::from_str(&json).expect("payload");
        NewRow::new(response, datetime!(2026-11-27 08:30:01 UTC)).expect("row")
    }

    /// Commits two rows, then a batch in which later rows meet earlier ones of the batch and
    /// the stored ones, with `backend`: each gets the answer it would get alone, in order,
    /// whatever the backend. Five rows are then stored.
    pub(super) async fn batch_answers_as_if_inserted_one_by_one(backend: &mut impl Backend) {
        let stored_before = [row(7, "PAY-7", ""), row(8, "PAY-8", "")];
        let refs: Vec<&NewRow> = stored_before.iter().collect();
        assert_eq!(
            backend.commit(&refs).await.expect("commit"),
            [Inserted::New, Inserted::New]
        );
        let rows = [
            row(1, "PAY-1", ""),
            row(1, "PAY-1", ""),
            row(1, "PAY-1", "changed"),
            row(2, "PAY-1", ""),
            row(3, "PAY-3", ""),
            row(7, "PAY-7", ""),
            row(7, "PAY-7", ""),
            row(8, "PAY-8", "changed"),
            row(9, "PAY-7", ""),
            row(10, "PAY-10", ""),
            row(10, "PAY-10", ""),
        ];
        let refs: Vec<&NewRow> = rows.iter().collect();
        assert_eq!(
            backend.commit(&refs).await.expect("commit"),
            [
                Inserted::New,
                Inserted::AlreadyStored,
                Inserted::ResponseIdReused,
                Inserted::TransactionAlreadyRated,
                Inserted::New,
                Inserted::AlreadyStored,
                Inserted::AlreadyStored,
                Inserted::ResponseIdReused,
                Inserted::TransactionAlreadyRated,
                Inserted::New,
                Inserted::AlreadyStored,
            ]
        );
    }

    /// A migrated SQLite database in `dir`, and how to connect to it.
    pub(super) async fn migrated_sqlite(dir: &tempfile::TempDir) -> SqliteConnectOptions {
        let options = sqlite_options(&dir.path().join("survey.sqlite"));
        let mut connection = options.connect().await.expect("connect");
        sqlx::migrate!("./migrations/sqlite")
            .run(&mut connection)
            .await
            .expect("migrate");
        options
    }

    /// A fresh database on the PostgreSQL server at `SURVEY_TEST_DATABASE_URL` (as for the
    /// integration tests: without it the test fails, never skips).
    pub(super) struct TestPostgres {
        server: PgPool,
        url: String,
        name: String,
    }

    impl TestPostgres {
        pub(super) async fn create() -> TestPostgres {
            let server_url = std::env::var("SURVEY_TEST_DATABASE_URL")
                .ok()
                .filter(|url| !url.is_empty())
                .expect("SURVEY_TEST_DATABASE_URL: see docs/collector.md, \"Tests\"");
            let server = PgPool::connect(&server_url).await.expect("connect");
            let name = format!(
                "survey_unit_{}_{}",
                std::process::id(),
                time::OffsetDateTime::now_utc().unix_timestamp_nanos()
            );
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&server)
                .await
                .expect("CREATE DATABASE");
            let (base, query) = match server_url.split_once('?') {
                Some((base, query)) => (base, format!("?{query}")),
                None => (server_url.as_str(), String::new()),
            };
            let base = base.rsplit_once('/').map_or(base, |(base, _)| base);
            TestPostgres {
                url: format!("{base}/{name}{query}"),
                server,
                name,
            }
        }

        /// A pool on the database, migrated.
        pub(super) async fn migrated_pool(&self) -> PgPool {
            let pool = PgPool::connect(&self.url).await.expect("connect");
            sqlx::migrate!("./migrations/postgres")
                .run(&pool)
                .await
                .expect("migrate");
            pool
        }

        pub(super) async fn drop(self) {
            sqlx::query(&format!("DROP DATABASE {} WITH (FORCE)", self.name))
                .execute(&self.server)
                .await
                .expect("DROP DATABASE");
            self.server.close().await;
        }
    }

    /// Every pooled connection, not only the first, must sync each commit: a 2xx promises the
    /// response survives a power cut, which WAL with `synchronous=NORMAL` does not.
    #[tokio::test]
    async fn every_connection_uses_wal_with_synchronous_full() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&Database::Sqlite(dir.path().join("survey.sqlite")))
            .await
            .expect("open store");
        let Pool::Sqlite(pool) = &store.pool else {
            panic!("a SQLite store");
        };
        let mut connections = Vec::new();
        for _ in 0..3 {
            connections.push(pool.acquire().await.expect("connection"));
        }
        // The writer's connection is opened with the same options.
        let mut writer_like = sqlite_options(&dir.path().join("survey.sqlite"))
            .connect()
            .await
            .expect("connect");
        for connection in connections
            .iter_mut()
            .map(|c| &mut **c)
            .chain(std::iter::once(&mut writer_like))
        {
            // 2 is FULL (0 OFF, 1 NORMAL, 3 EXTRA).
            let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
                .fetch_one(&mut *connection)
                .await
                .expect("PRAGMA synchronous");
            assert_eq!(synchronous, 2);
            let journal_mode: String = sqlx::query_scalar("PRAGMA journal_mode")
                .fetch_one(&mut *connection)
                .await
                .expect("PRAGMA journal_mode");
            assert_eq!(journal_mode, "wal");
        }
        drop(connections);
        store.close().await;
    }
}

mod surveys;
mod tokens;

pub use surveys::{PublishedVersion, StoredSurvey, SurveySummary};
pub use tokens::TokenRow;
