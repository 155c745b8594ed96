//! Group commit on SQLite: one task owns the only connection that writes, and commits the
//! inserts that arrive while it is busy as one transaction.
//!
//! With `synchronous=FULL` each commit waits for the disk (an fsync of the WAL), which caps
//! one-insert-per-transaction at the disk's sync rate. Here a request queues its insert and
//! waits; the writer takes everything queued (up to [`MAX_BATCH`]), runs the inserts in order
//! inside one `BEGIN IMMEDIATE` transaction, commits once, and only then answers each request.
//! So a 2xx still means the response is on disk, and the inserts of a batch see each other in
//! order, exactly as if they had been committed one by one: a replay or a second response for
//! a transaction inside one batch gets the same answer (200, 422, 409) as across batches.
//!
//! If a batch fails, it is rolled back and each of its inserts is retried alone, so that one
//! failing insert never fails the others.

use sqlx::{ConnectOptions, Connection, SqliteConnection, sqlite::SqliteConnectOptions};
use tokio::sync::{mpsc, oneshot};

use super::{Inserted, NewRow, StoreError, delete_chunk, insert_row};

/// The most inserts committed in one transaction.
pub(super) const MAX_BATCH: usize = 256;
/// How many inserts may wait for the writer before a request waits to queue its own.
const QUEUE: usize = 4 * MAX_BATCH;

type Reply = oneshot::Sender<Result<Inserted, StoreError>>;

enum Job {
    Insert(Box<NewRow>, Reply),
    /// One chunk of the retention job: a `DELETE_OLD` statement and its cutoff, in a
    /// transaction of its own between batches.
    Delete(
        &'static str,
        String,
        oneshot::Sender<Result<u64, StoreError>>,
    ),
    Close(oneshot::Sender<()>),
}

/// The handle to the writer task; cloned into every [`super::Store`].
#[derive(Clone, Debug)]
pub(super) struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Connects with `options` and starts the writer task.
    pub(super) async fn start(options: SqliteConnectOptions) -> Result<Writer, sqlx::Error> {
        let connection = options.connect().await?;
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(run(options, Some(connection), queue));
        Ok(Writer { jobs })
    }

    /// Queues `row` and waits until the batch that holds it is committed (or failed).
    pub(super) async fn insert(&self, row: NewRow) -> Result<Inserted, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job::Insert(Box::new(row), reply))
            .await
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Runs `delete` (one of `DELETE_OLD`) with `cutoff` and returns the rows deleted.
    pub(super) async fn delete(
        &self,
        delete: &'static str,
        cutoff: String,
    ) -> Result<u64, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job::Delete(delete, cutoff, reply))
            .await
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Writes what is queued, closes the connection and stops the task.
    pub(super) async fn close(&self) {
        let (reply, done) = oneshot::channel();
        if self.jobs.send(Job::Close(reply)).await.is_ok() {
            let _ = done.await;
        }
    }
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Job::Insert(..) => "Insert",
            Job::Delete(..) => "Delete",
            Job::Close(_) => "Close",
        })
    }
}

/// The writer task: batches jobs until a `Close` arrives or every handle is dropped.
async fn run(
    options: SqliteConnectOptions,
    mut connection: Option<SqliteConnection>,
    mut queue: mpsc::Receiver<Job>,
) {
    let mut batch = Vec::new();
    while let Some(job) = queue.recv().await {
        // The job after the batch, if it is not an insert.
        let mut after = None;
        let mut next = Some(job);
        while let Some(job) = next.take() {
            match job {
                Job::Insert(row, reply) => batch.push((row, reply)),
                other => {
                    after = Some(other);
                    break;
                }
            }
            if batch.len() < MAX_BATCH {
                next = queue.try_recv().ok();
            }
        }
        if !batch.is_empty() {
            write(&options, &mut connection, &mut batch).await;
        }
        if let Some(Job::Delete(delete, cutoff, reply)) = after {
            let _ = reply.send(delete_old(&options, &mut connection, delete, &cutoff).await);
        } else if let Some(Job::Close(reply)) = after {
            queue.close();
            while let Ok(job) = queue.try_recv() {
                if let Job::Insert(_, reply) = job {
                    let _ = reply.send(Err(StoreError::Closed));
                }
            }
            if let Some(connection) = connection.take()
                && let Err(err) = connection.close().await
            {
                tracing::warn!(error = %err, "closing the SQLite writer connection failed");
            }
            let _ = reply.send(());
            return;
        }
    }
}

/// Commits `batch` and answers each of its requests; empties `batch`.
async fn write(
    options: &SqliteConnectOptions,
    connection: &mut Option<SqliteConnection>,
    batch: &mut Vec<(Box<NewRow>, Reply)>,
) {
    let rows: Vec<&NewRow> = batch.iter().map(|(row, _)| &**row).collect();
    let result = commit(options, connection, &rows).await;
    drop(rows);
    match result {
        Ok(results) => {
            for ((_, reply), result) in batch.drain(..).zip(results) {
                // The request may have gone (client disconnected): its response is stored
                // anyway, and a retry gets 200.
                let _ = reply.send(Ok(result));
            }
        }
        Err(err) if batch.len() == 1 => {
            if let Some((_, reply)) = batch.pop() {
                let _ = reply.send(Err(err));
            }
        }
        Err(err) => {
            tracing::debug!(error = %err, size = batch.len(), "batch failed; retrying one by one");
            for (row, reply) in batch.drain(..) {
                let result = commit(options, connection, &[&row])
                    .await
                    .and_then(|results| results.into_iter().next().ok_or(StoreError::Closed));
                let _ = reply.send(result);
            }
        }
    }
}

/// Inserts `rows` in one transaction and commits it.
async fn commit(
    options: &SqliteConnectOptions,
    connection: &mut Option<SqliteConnection>,
    rows: &[&NewRow],
) -> Result<Vec<Inserted>, StoreError> {
    let result = commit_on(open(options, connection).await?, rows).await;
    forget_if_failed(connection, &result).await;
    result
}

/// One retention chunk, in its own transaction.
async fn delete_old(
    options: &SqliteConnectOptions,
    connection: &mut Option<SqliteConnection>,
    delete: &'static str,
    cutoff: &str,
) -> Result<u64, StoreError> {
    let result = async {
        let mut transaction = open(options, connection)
            .await?
            .begin_with("BEGIN IMMEDIATE")
            .await?;
        let deleted = delete_chunk!(&mut *transaction, delete, cutoff);
        transaction.commit().await?;
        Ok(deleted)
    }
    .await;
    forget_if_failed(connection, &result).await;
    result
}

/// The writer's connection, opened again if an earlier failure dropped it.
async fn open<'c>(
    options: &SqliteConnectOptions,
    connection: &'c mut Option<SqliteConnection>,
) -> Result<&'c mut SqliteConnection, StoreError> {
    if connection.is_none() {
        *connection = Some(options.connect().await?);
    }
    connection.as_mut().ok_or(StoreError::Closed)
}

/// After a failure the connection may be what failed: the next job opens a fresh one.
async fn forget_if_failed<T>(
    connection: &mut Option<SqliteConnection>,
    result: &Result<T, StoreError>,
) {
    if result.is_err()
        && let Some(broken) = connection.take()
    {
        let _ = broken.close().await;
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
    use crate::store::sqlite_options;
    use time::macros::datetime;

    fn row(id: u32, transaction: &str, comment: &str) -> NewRow {
        let json = format!(
            r#"{{"response_id":"0f8fad5b-d9cb-469f-a165-{id:012x}","survey":{{"id":"default","version":1}},"transaction":{{"id":"{transaction}","type":"bill_payment","unit":"hall"}},"answers":{{"satisfaction":5,"reasons":[],"comment":"{comment}"}},"locale":"zh-CN","submitted_at":"2026-11-27T08:30:00.123Z","page":"https://95598.example.cn/hall/pay","widget_version":"0.1.0"}}"#
        );
        let response = serde_json::from_str(&json).expect("payload");
        NewRow::new(&response, datetime!(2026-11-27 08:30:01 UTC)).expect("row")
    }

    async fn migrated(dir: &tempfile::TempDir) -> SqliteConnectOptions {
        let options = sqlite_options(&dir.path().join("survey.sqlite"));
        let mut connection = options.connect().await.expect("connect");
        sqlx::migrate!("./migrations/sqlite")
            .run(&mut connection)
            .await
            .expect("migrate");
        options
    }

    /// Inside one transaction, later inserts see earlier ones: a replay, a reused id and a
    /// second response for a transaction get the answers they get across batches.
    #[tokio::test]
    async fn a_batch_answers_as_if_committed_one_by_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = migrated(&dir).await;
        let mut connection = Some(options.connect().await.expect("connect"));
        let rows = [
            row(1, "PAY-1", ""),
            row(1, "PAY-1", ""),
            row(1, "PAY-1", "changed"),
            row(2, "PAY-1", ""),
            row(3, "PAY-3", ""),
        ];
        let refs: Vec<&NewRow> = rows.iter().collect();
        let results = commit(&options, &mut connection, &refs)
            .await
            .expect("commit");
        assert_eq!(
            results,
            [
                Inserted::New,
                Inserted::AlreadyStored,
                Inserted::ResponseIdReused,
                Inserted::TransactionAlreadyRated,
                Inserted::New,
            ]
        );
        let mut check = options.connect().await.expect("connect");
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses")
            .fetch_one(&mut check)
            .await
            .expect("count");
        assert_eq!(count, 2);
    }

    /// One insert that fails must not fail the others of its batch: the batch is rolled back
    /// and each insert is retried alone.
    #[tokio::test]
    async fn a_failing_insert_fails_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = migrated(&dir).await;
        let mut setup = options.connect().await.expect("connect");
        // A real failure from the database itself: a trigger that aborts one insert.
        sqlx::raw_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON responses WHEN NEW.comment = 'boom' \
             BEGIN SELECT RAISE(ABORT, 'refused'); END",
        )
        .execute(&mut setup)
        .await
        .expect("trigger");
        let mut connection = Some(options.connect().await.expect("connect"));
        let mut batch = Vec::new();
        let mut answers = Vec::new();
        for row in [
            row(1, "PAY-1", ""),
            row(2, "PAY-2", "boom"),
            row(3, "PAY-3", ""),
        ] {
            let (reply, answer) = oneshot::channel();
            batch.push((Box::new(row), reply));
            answers.push(answer);
        }
        write(&options, &mut connection, &mut batch).await;
        assert!(batch.is_empty());
        let mut outcomes = Vec::new();
        for answer in answers {
            outcomes.push(answer.await.expect("answered").ok());
        }
        assert_eq!(outcomes, [Some(Inserted::New), None, Some(Inserted::New)]);
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses")
            .fetch_one(&mut setup)
            .await
            .expect("count");
        assert_eq!(count, 2);
    }
}
