//! Group commit, on either backend: one task takes the inserts that arrive while it is busy
//! and commits them as one transaction.
//!
//! A durable commit waits for the disk: SQLite with `synchronous=FULL` syncs its WAL, and
//! PostgreSQL with `synchronous_commit=on` flushes its WAL. That caps
//! one-insert-per-transaction at the disk's sync rate. Here a request queues its insert and
//! waits; the writer takes everything queued (up to [`MAX_BATCH`]), hands it to its
//! [`Backend`], which stores the rows in order inside one transaction and commits once, and
//! only then answers each request. So a 2xx still means the response is on disk, and the
//! inserts of a batch are answered exactly as if they had been committed one by one: a replay
//! or a second response for a transaction inside one batch gets the same answer (200, 422,
//! 409) as across batches.
//!
//! A writer may have several backends, each with its own connection, that take batches in
//! turn (PostgreSQL: while one batch waits for its WAL flush, the next is already being
//! inserted). SQLite has one: it allows one writer at a time.
//!
//! If a batch fails because of what it holds, it is rolled back and each of its inserts is
//! retried alone, so that one failing insert never fails the others. If it fails because the
//! database is unavailable, every insert of the batch gets that error at once (503), rather
//! than waiting for the database once per insert.

use std::{future::Future, sync::Arc};

use tokio::{
    sync::{Mutex, mpsc, oneshot},
    task::JoinSet,
};

use super::{Inserted, NewRow, StoreError};

/// The most inserts committed in one transaction.
pub(super) const MAX_BATCH: usize = 256;
/// How many inserts may wait for the writer before a request waits to queue its own.
const QUEUE: usize = 4 * MAX_BATCH;

/// What a backend does for the writer. The writer calls one method at a time.
pub(super) trait Backend: Send + 'static {
    /// Stores `rows` in one transaction, each unless it conflicts with a stored row or an
    /// earlier row of `rows`, commits, and says what happened to each, in order.
    fn commit(
        &mut self,
        rows: &[&NewRow],
    ) -> impl Future<Output = Result<Vec<Inserted>, StoreError>> + Send;

    /// Runs `delete` (one of `DELETE_OLD`) with `cutoff` in a transaction of its own and
    /// returns the rows deleted.
    fn delete(
        &mut self,
        delete: &'static str,
        cutoff: &str,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Closes the backend's connections.
    fn close(self) -> impl Future<Output = ()> + Send;
}

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
    /// Starts the writer: one task per backend, taking batches from one queue in turn.
    pub(super) fn start<B: Backend>(backends: Vec<B>) -> Writer {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let queue = Arc::new(Mutex::new(queue));
        tokio::spawn(async move {
            let mut tasks = JoinSet::new();
            for backend in backends {
                tasks.spawn(run(backend, queue.clone()));
            }
            // Each task stops when the queue is closed and empty; `Close` is answered once all
            // have written their last batch and closed their backend.
            let mut closed = Vec::new();
            while let Some(stopped) = tasks.join_next().await {
                if let Ok((backend, reply)) = stopped {
                    backend.close().await;
                    closed.extend(reply);
                }
            }
            for reply in closed {
                let _ = reply.send(());
            }
        });
        Writer { jobs }
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

    /// Writes what is queued, closes the backend and stops the task.
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

/// One writer task: takes a batch from `queue` (holding it only while taking), writes it, and
/// again, until the queue is closed and empty or every handle is dropped. Returns its backend
/// and, if this task took the `Close`, its reply.
async fn run<B: Backend>(
    mut backend: B,
    queue: Arc<Mutex<mpsc::Receiver<Job>>>,
) -> (B, Option<oneshot::Sender<()>>) {
    let mut batch = Vec::new();
    loop {
        let mut jobs = queue.lock().await;
        let Some(job) = jobs.recv().await else {
            return (backend, None);
        };
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
                next = jobs.try_recv().ok();
            }
        }
        if matches!(after, Some(Job::Close(_))) {
            jobs.close();
            while let Ok(job) = jobs.try_recv() {
                if let Job::Insert(_, reply) = job {
                    let _ = reply.send(Err(StoreError::Closed));
                }
            }
        }
        drop(jobs);
        if !batch.is_empty() {
            write(&mut backend, &mut batch).await;
        }
        match after {
            Some(Job::Delete(delete, cutoff, reply)) => {
                let _ = reply.send(backend.delete(delete, &cutoff).await);
            }
            Some(Job::Close(reply)) => return (backend, Some(reply)),
            _ => {}
        }
    }
}

/// Commits `batch` and answers each of its requests; empties `batch`.
async fn write(backend: &mut impl Backend, batch: &mut Vec<(Box<NewRow>, Reply)>) {
    let rows: Vec<&NewRow> = batch.iter().map(|(row, _)| &**row).collect();
    let result = backend.commit(&rows).await;
    drop(rows);
    match result {
        Ok(results) => {
            for ((_, reply), result) in batch.drain(..).zip(results) {
                // The request may have gone (client disconnected): its response is stored
                // anyway, and a retry gets 200.
                let _ = reply.send(Ok(result));
            }
        }
        Err(err) if batch.len() == 1 || err.is_unavailable() => {
            let shared = std::sync::Arc::new(err);
            for (_, reply) in batch.drain(..) {
                let _ = reply.send(Err(StoreError::Batch(shared.clone())));
            }
        }
        Err(err) => {
            tracing::debug!(error = %err, size = batch.len(), "batch failed; retrying one by one");
            for (row, reply) in batch.drain(..) {
                let result = backend
                    .commit(&[&row])
                    .await
                    .and_then(|results| results.into_iter().next().ok_or(StoreError::Closed));
                let _ = reply.send(result);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use sqlx::ConnectOptions;

    use super::*;
    use crate::store::{sqlite::Sqlite, tests::migrated_sqlite, tests::row};

    /// One insert that fails must not fail the others of its batch: the batch is rolled back
    /// and each insert is retried alone.
    #[tokio::test]
    async fn a_failing_insert_fails_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = migrated_sqlite(&dir).await;
        let mut setup = options.connect().await.expect("connect");
        // A real failure from the database itself: a trigger that aborts one insert.
        sqlx::raw_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON responses WHEN NEW.comment = 'boom' \
             BEGIN SELECT RAISE(ABORT, 'refused'); END",
        )
        .execute(&mut setup)
        .await
        .expect("trigger");
        let mut backend = Sqlite::connect(options).await.expect("connect");
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
        write(&mut backend, &mut batch).await;
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
