//! The SQLite side of group commit ([`super::writer`]): one connection, the only one that
//! writes, opened again after a failure. A batch is one `BEGIN IMMEDIATE` transaction. Its
//! rows go in with one multi-row `INSERT … VALUES (…), (…) … ON CONFLICT DO NOTHING RETURNING
//! response_id` per [`CHUNK`] rows when no two of them share a key (the usual case), else one
//! row per statement, in order, so that later rows see earlier ones. Each row not inserted is
//! explained by the stored row that won.
//!
//! SQLite runs in this process, but sqlx runs each statement on its own worker thread and
//! hands the result back: a statement costs two thread wake-ups, which at thousands of rows a
//! second was the writer's main cost, not SQLite's work.

use std::collections::HashSet;

use sqlx::{ConnectOptions, Connection, SqliteConnection, sqlite::SqliteConnectOptions};

use super::{Inserted, NewRow, StoreError, delete_chunk, writer::Backend};

/// The most rows one `INSERT` takes. Each row count is its own statement text, which sqlx
/// prepares once and caches (100 statements by default), and 15 parameters a row stay far under
/// SQLite's 32 766.
const CHUNK: usize = 64;

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
    // Rows sharing a key go in one by one, in order, so that each sees the ones before it.
    let chunk = if share_no_key(rows) { CHUNK } else { 1 };
    for chunk in rows.chunks(chunk) {
        let inserted = insert_many(&mut transaction, chunk).await?;
        for row in chunk {
            results.push(if inserted.contains(row.response.response_id.as_str()) {
                Inserted::New
            } else {
                explain(&mut transaction, row).await?
            });
        }
    }
    transaction.commit().await?;
    Ok(results)
}

/// Why `row`, which was not inserted, conflicts: the stored row that won has its
/// `response_id` (the same payload or another) or its transaction. It may be a row inserted
/// earlier in the same batch, which the transaction sees.
async fn explain(connection: &mut SqliteConnection, row: &NewRow) -> Result<Inserted, StoreError> {
    let response = &row.response;
    let same_id: Option<String> =
        sqlx::query_scalar("SELECT payload FROM responses WHERE response_id = $1")
            .bind(&response.response_id)
            .fetch_optional(&mut *connection)
            .await?;
    if let Some(payload) = same_id {
        // Compared as the model reads them, so key order and whitespace cannot matter.
        let stored: model::ResponseV1 = serde_json::from_str(&payload)?;
        return Ok(if stored == *response {
            Inserted::AlreadyStored
        } else {
            Inserted::ResponseIdReused
        });
    }
    let same_transaction: Option<String> = sqlx::query_scalar(
        "SELECT response_id FROM responses WHERE survey_id = $1 AND transaction_id = $2",
    )
    .bind(&response.survey.id)
    .bind(&response.transaction.id)
    .fetch_optional(&mut *connection)
    .await?;
    match same_transaction {
        Some(_) => Ok(Inserted::TransactionAlreadyRated),
        None => Err(StoreError::UnexplainedConflict(
            response.response_id.clone(),
        )),
    }
}

/// Whether no two of `rows` have the same `response_id` or the same survey and transaction:
/// then none can conflict with another, and the order they go in cannot change an answer.
fn share_no_key(rows: &[&NewRow]) -> bool {
    let mut ids = HashSet::with_capacity(rows.len());
    let mut transactions = HashSet::with_capacity(rows.len());
    rows.iter().all(|row| {
        let response = &row.response;
        ids.insert(response.response_id.as_str())
            && transactions.insert((
                response.survey.id.as_str(),
                response.transaction.id.as_str(),
            ))
    })
}

/// Inserts `rows` (no two sharing a key) with one statement, each unless it conflicts with a
/// stored row, and returns the `response_id`s inserted. The database decides, not a prior
/// SELECT, so concurrent inserts cannot both win; `ON CONFLICT DO NOTHING` without a target
/// covers every unique constraint.
async fn insert_many(
    connection: &mut SqliteConnection,
    rows: &[&NewRow],
) -> Result<HashSet<String>, StoreError> {
    let mut sql = String::with_capacity(300 + rows.len() * 34);
    sql.push_str(
        "INSERT INTO responses (response_id, received_at, survey_id, survey_version, \
         transaction_id, transaction_type, transaction_unit, satisfaction, reasons, comment, \
         locale, submitted_at, page, widget_version, payload) VALUES ",
    );
    for i in 0..rows.len() {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }
    sql.push_str(" ON CONFLICT DO NOTHING RETURNING response_id");
    let mut query = sqlx::query_scalar(&sql);
    for row in rows {
        let response = &row.response;
        query = query
            .bind(&response.response_id)
            .bind(&row.received_at)
            .bind(&response.survey.id)
            .bind(i64::from(response.survey.version))
            .bind(&response.transaction.id)
            .bind(&response.transaction.kind)
            .bind(&response.transaction.unit)
            .bind(row.satisfaction)
            .bind(&row.reasons)
            .bind(response.answers.comment())
            .bind(response.locale.tag())
            .bind(&response.submitted_at)
            .bind(&response.page)
            .bind(&response.widget_version)
            .bind(&row.payload);
    }
    let inserted: Vec<String> = query.fetch_all(&mut *connection).await?;
    Ok(inserted.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::{batch_answers_as_if_inserted_one_by_one, migrated_sqlite, row};

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

    /// A batch whose rows share no key goes in with one statement per [`CHUNK`] rows; the rows
    /// that meet stored ones get the answers they would get alone, in their places.
    #[tokio::test]
    async fn a_batch_without_common_keys_answers_as_if_committed_one_by_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = migrated_sqlite(&dir).await;
        let mut backend = Sqlite::connect(options.clone()).await.expect("connect");
        let stored = [row(7, "PAY-7", ""), row(8, "PAY-8", "")];
        let refs: Vec<&NewRow> = stored.iter().collect();
        assert!(share_no_key(&refs));
        assert_eq!(
            backend.commit(&refs).await.expect("commit"),
            [Inserted::New, Inserted::New]
        );
        // Stored rows met in the middle of a batch longer than a chunk, and in its last chunk.
        let mut rows: Vec<NewRow> = (100..180)
            .map(|n| row(n, &format!("PAY-{n}"), ""))
            .collect();
        assert!(rows.len() > CHUNK + 3);
        rows.insert(3, row(7, "PAY-7", ""));
        rows.insert(CHUNK + 2, row(8, "PAY-88", "changed"));
        rows.push(row(9, "PAY-8", ""));
        let refs: Vec<&NewRow> = rows.iter().collect();
        assert!(share_no_key(&refs));
        let mut expected = vec![Inserted::New; rows.len()];
        expected[3] = Inserted::AlreadyStored;
        expected[CHUNK + 2] = Inserted::ResponseIdReused;
        expected[rows.len() - 1] = Inserted::TransactionAlreadyRated;
        assert_eq!(backend.commit(&refs).await.expect("commit"), expected);
        let mut check = options.connect().await.expect("connect");
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses")
            .fetch_one(&mut check)
            .await
            .expect("count");
        assert_eq!(count, 2 + 80);
    }

    #[test]
    fn rows_with_a_common_id_or_transaction_share_a_key() {
        let a = row(1, "PAY-1", "");
        let same_id = row(1, "PAY-2", "");
        let same_transaction = row(2, "PAY-1", "");
        let other = row(3, "PAY-3", "");
        assert!(share_no_key(&[&a, &other]));
        assert!(!share_no_key(&[&a, &other, &same_id]));
        assert!(!share_no_key(&[&a, &same_transaction]));
        assert!(!share_no_key(&[&a, &a]));
    }
}
