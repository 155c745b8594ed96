//! What the collector's integration tests share: the database backend a test runs on, and a
//! fresh database of that backend per test.
//!
//! Every storage test runs twice, on SQLite and on PostgreSQL ([`on_both`]). PostgreSQL comes
//! from `SURVEY_TEST_DATABASE_URL`, the URL of a server where the user may `CREATE DATABASE`
//! (`scripts/test` starts a throwaway one). Each test gets its own database, dropped at the end.
//! Without the variable the PostgreSQL tests fail, never skip: a green run means both
//! backends were tested.

// Each test crate uses part of this module.
#![allow(dead_code)]

#[cfg(unix)]
pub mod pg_cluster;
#[cfg(unix)]
pub mod process;

use std::{
    path::PathBuf,
    sync::atomic::{AtomicU32, Ordering},
};

use collector::{Database, config::PostgresUrl};
use sqlx::AnyPool;
use tempfile::TempDir;

/// The environment variable naming the PostgreSQL server the tests use.
pub const TEST_DATABASE_URL: &str = "SURVEY_TEST_DATABASE_URL";

/// A database backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file in a temp dir.
    Sqlite,
    /// A fresh database on the server at `SURVEY_TEST_DATABASE_URL`.
    Postgres,
}

tokio::task_local! {
    /// The backend of the running test, set by [`on_both`].
    static BACKEND: Backend;
}

/// The backend of the running test: SQLite outside [`on_both`].
pub fn backend() -> Backend {
    BACKEND
        .try_with(|backend| *backend)
        .unwrap_or(Backend::Sqlite)
}

/// Runs `test` with [`backend`] answering `backend`.
pub async fn with_backend<F: std::future::Future>(backend: Backend, test: F) -> F::Output {
    BACKEND.scope(backend, test).await
}

/// Declares each `#[tokio::test] async fn name() { … }` as two tests, `name::sqlite` and
/// `name::postgres`, whose body sees [`backend`] answer that backend.
#[macro_export]
macro_rules! on_both {
    ($(
        $(#[doc = $doc:literal])*
        #[tokio::test $(($($args:tt)*))?]
        async fn $name:ident() $body:block
    )*) => {$(
        $(#[doc = $doc])*
        async fn $name() $body

        mod $name {
            #[tokio::test $(($($args)*))?]
            async fn sqlite() {
                $crate::common::with_backend($crate::common::Backend::Sqlite, super::$name()).await;
            }

            #[tokio::test $(($($args)*))?]
            async fn postgres() {
                $crate::common::with_backend($crate::common::Backend::Postgres, super::$name())
                    .await;
            }
        }
    )*};
}

/// The PostgreSQL server for tests. Panics, with what to do, when it is not configured.
pub fn postgres_server_url() -> String {
    match std::env::var(TEST_DATABASE_URL) {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "\n\nThe PostgreSQL tests need {TEST_DATABASE_URL}, the URL of a PostgreSQL server \
             where the user may CREATE DATABASE.\nRun scripts/test (it starts a throwaway \
             server), or set it yourself, for example:\n    \
             {TEST_DATABASE_URL}=postgres://postgres@127.0.0.1:5432/postgres cargo test -p \
             collector\nSee docs/collector.md, \"Tests\".\n\n"
        ),
    }
}

/// `url` with its database name replaced by `database`.
fn with_database_name(url: &str, database: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let (authority, query) = match rest.split_once('/') {
        Some((authority, path)) => (authority, path.split_once('?').map(|(_, q)| q)),
        None => match rest.split_once('?') {
            Some((authority, query)) => (authority, Some(query)),
            None => (rest, None),
        },
    };
    match query {
        Some(query) => format!("{scheme}://{authority}/{database}?{query}"),
        None => format!("{scheme}://{authority}/{database}"),
    }
}

/// A fresh, empty database for one test, removed when dropped.
pub struct TestDatabase {
    /// The temp dir that holds the SQLite file (empty on PostgreSQL).
    pub dir: TempDir,
    /// The database, as the collector is given it.
    pub database: Database,
    /// On PostgreSQL, the server URL and the database name, to drop it.
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    /// A fresh database of the running test's [`backend`].
    pub async fn new() -> TestDatabase {
        TestDatabase::of(backend()).await
    }

    /// A fresh database of `backend`.
    pub async fn of(backend: Backend) -> TestDatabase {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => TestDatabase {
                database: Database::Sqlite(dir.path().join("survey.sqlite")),
                dir,
                postgres: None,
            },
            Backend::Postgres => {
                let server = postgres_server_url();
                let name = unique_name();
                let admin = any_pool(&server).await;
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&admin)
                    .await
                    .unwrap_or_else(|e| panic!("CREATE DATABASE {name} on {server}: {e}"));
                admin.close().await;
                let url: PostgresUrl = with_database_name(&server, &name)
                    .parse()
                    .expect("a PostgreSQL URL");
                TestDatabase {
                    dir,
                    database: Database::Postgres(url),
                    postgres: Some((server, name)),
                }
            }
        }
    }

    /// The SQLite file, on SQLite.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        match &self.database {
            Database::Sqlite(path) => Some(path.clone()),
            Database::Postgres(_) => None,
        }
    }

    /// The URL that `sqlx::any` opens this database with.
    pub fn url(&self) -> String {
        match &self.database {
            Database::Sqlite(path) => format!("sqlite://{}?mode=rwc", path.display()),
            Database::Postgres(url) => url.as_str().to_owned(),
        }
    }

    /// The collector's flags that select this database.
    pub fn flags(&self) -> Vec<String> {
        match &self.database {
            Database::Sqlite(path) => vec!["--database".to_owned(), path.display().to_string()],
            Database::Postgres(url) => vec!["--database-url".to_owned(), url.as_str().to_owned()],
        }
    }

    /// A new pool on this database, for reading what the collector stored.
    pub async fn pool(&self) -> AnyPool {
        any_pool(&self.url()).await
    }

    /// The number of stored responses.
    pub async fn row_count(&self) -> i64 {
        let pool = self.pool().await;
        let count = sqlx::query_scalar("SELECT COUNT(*) FROM responses")
            .fetch_one(&pool)
            .await
            .expect("count");
        pool.close().await;
        count
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot be blocked on: drop the database
        // from a thread with its own runtime. FORCE ends the collector's open connections.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                let admin = any_pool(&server).await;
                let result = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&admin)
                    .await;
                admin.close().await;
                result.map(|_| ())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) && !std::thread::panicking() {
            panic!("could not drop a test database: {dropped:?}");
        }
    }
}

/// A pool for `url`, over `sqlx::any`.
pub async fn any_pool(url: &str) -> AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::pool::PoolOptions::new()
        .max_connections(2)
        .connect(url)
        .await
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"))
}

/// A database name no other test, process or run uses.
fn unique_name() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "survey_test_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The body of `response`, parsed as JSON.
pub async fn json_body(response: axum::response::Response) -> serde_json::Value {
    use http_body_util::BodyExt;
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    serde_json::from_slice(&bytes).expect("JSON body")
}
