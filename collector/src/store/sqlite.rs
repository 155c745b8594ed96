//! The SQLite side of group commit ([`super::writer`]): one connection, the only one that
//! writes, opened again after a failure. Each insert of a batch is its own statement inside
//! one `BEGIN IMMEDIATE` transaction; SQLite runs in this process, so a statement costs no
//! round trip.

use sqlx::{ConnectOptions, Connection, SqliteConnection, sqlite::SqliteConnectOptions};

use super::{Inserted, NewRow, StoreError, delete_chunk, insert_row, writer::Backend};

/// The writer's connection to SQLite.
pub(super) struct Sqlite {
    options: SqliteConnectOptions,
    connection: Option<SqliteConnection>,
}

impl Sqlite {
    /// Connects with `options`.
    pub(super) async fn connect(options: SqliteConnectOptions) -> Result<Sqlite, sqlx::Error> {
        let connection = options.connect().await?;
        Ok(Sqlite {
            options,
            connection: Some(connection),
        })
    }

    /// The connection, opened again if an earlier failure dropped it.
    async fn open(&mut self) -> Result<&mut SqliteConnection, StoreError> {
        if self.connection.is_none() {
            self.connection = Some(self.options.connect().await?);
        }
        self.connection.as_mut().ok_or(StoreError::Closed)
    }

    /// After a failure the connection may be what failed: the next job opens a fresh one.
    async fn forget_if_failed<T>(&mut self, result: &Result<T, StoreError>) {
        if result.is_err()
            && let Some(broken) = self.connection.take()
        {
            let _ = broken.close().await;
        }
    }
}

impl Backend for Sqlite {
    async fn commit(&mut self, rows: &[&NewRow]) -> Result<Vec<Inserted>, StoreError> {
        let result = commit_on(self.open().await?, rows).await;
        self.forget_if_failed(&result).await;
        result
    }

    async fn delete(&mut self, delete: &'static str, cutoff: &str) -> Result<u64, StoreError> {
        let result = async {
            let mut transaction = self.open().await?.begin_with("BEGIN IMMEDIATE").await?;
            let deleted = delete_chunk!(&mut *transaction, delete, cutoff);
            transaction.commit().await?;
            Ok(deleted)
        }
        .await;
        self.forget_if_failed(&result).await;
        result
    }

    async fn close(mut self) {
        if let Some(connection) = self.connection.take()
            && let Err(err) = connection.close().await
        {
            tracing::warn!(error = %err, "closing the SQLite writer connection failed");
        }
    }
}

async fn commit_on(
    connection: &mut SqliteConnection,
    rows: &[&NewRow],
) -> Result<Vec<Inserted>, StoreError> {
    // IMMEDIATE takes the write lock now rather than at the first insert, so that another
    // writer (a migration, a backup tool) makes this wait (busy timeout), never deadlock.
    let mut transaction = connection.begin_with("BEGIN IMMEDIATE").await?;
    let mut results = Vec::with_capacity(rows.len());
    for row in rows {
        results.push(insert_row!(&mut *transaction, row)?);
    }
    transaction.commit().await?;
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::{batch_answers_as_if_inserted_one_by_one, migrated_sqlite};

    /// Inside one transaction, later inserts see earlier ones: a replay, a reused id and a
    /// second response for a transaction get the answers they get across batches.
    #[tokio::test]
    async fn a_batch_answers_as_if_committed_one_by_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = migrated_sqlite(&dir).await;
        let mut backend = Sqlite::connect(options.clone()).await.expect("connect");
        batch_answers_as_if_inserted_one_by_one(&mut backend).await;
        let mut check = options.connect().await.expect("connect");
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses")
            .fetch_one(&mut check)
            .await
            .expect("count");
        assert_eq!(count, 5);
    }
}
