//! The PostgreSQL side of group commit ([`super::writer`]): each batch runs in one
//! transaction on a pooled connection, and its rows go in with one multi-row `INSERT … SELECT
//! FROM UNNEST(arrays) … ON CONFLICT DO NOTHING RETURNING response_id`, not one statement per
//! row: PostgreSQL is a round trip away, and on a small machine it shares the cores with the
//! collector, so per-statement work is what limits the rate.
//!
//! One statement cannot say in which order rows that conflict with each other were inserted,
//! so a batch runs in rounds. A round takes, in order, every row that shares neither its
//! `response_id` nor its survey and transaction with an earlier row still waiting, inserts
//! them together, and explains each row that was not inserted with one query for the
//! `response_id`s and one for the transactions. An exact copy of a row taken in the round (the
//! same `response_id` and the same payload: a client's retry, or the 100 parallel duplicates
//! of a test) gets that row's answer without a query of its own. Every other row waits for a
//! later round. The answers are those of inserting the rows one by one, in order.
//!
//! A batch whose rows share no key, the usual case, is one round: one statement, which
//! PostgreSQL commits by itself, so no `BEGIN` and `COMMIT` round trips. A batch of several
//! rounds runs in a transaction, so that it commits whole or not at all. The writer keeps one
//! pooled connection between batches (no acquire, no liveness ping per batch) and gives it
//! back after a failure, when it may be what failed.
//!
//! The batch insert is written for PostgreSQL (arrays): SQLite has none, and inserts a batch
//! with a multi-row `VALUES` list instead ([`super::sqlite`]).

use std::collections::{HashMap, HashSet};

use sqlx::{Connection, PgConnection, PgPool, pool::PoolConnection};

use super::{Inserted, NewRow, StoreError, delete_chunk, writer::Backend};

/// How many batches are written at once, each on its own connection: while one waits for its
/// WAL flush, the next is being inserted.
pub(super) const WRITERS: usize = 2;

/// How often a batch is tried in all when PostgreSQL aborts it to break a deadlock (another
/// transaction, say another collector's batch, inserting the same keys in another order).
const ATTEMPTS: usize = 3;

/// The writer's access to PostgreSQL: the store's pool, and the connection it holds.
pub(super) struct Postgres {
    pool: PgPool,
    connection: Option<PoolConnection<sqlx::Postgres>>,
}

impl Postgres {
    /// Writes through a connection of `pool`.
    pub(super) fn new(pool: PgPool) -> Postgres {
        Postgres {
            pool,
            connection: None,
        }
    }

    /// Stores `rows` once, in a transaction when they take several rounds.
    async fn try_commit(&mut self, rows: &[&NewRow]) -> Result<Vec<Inserted>, StoreError> {
        if self.connection.is_none() {
            self.connection = Some(self.pool.acquire().await?);
        }
        let connection: &mut PgConnection = self.connection.as_mut().ok_or(StoreError::Closed)?;
        let all: Vec<usize> = (0..rows.len()).collect();
        if Round::plan(rows, &all).deferred.is_empty() {
            return insert_batch(connection, rows).await;
        }
        let mut transaction = connection.begin().await?;
        let results = insert_batch(&mut transaction, rows).await?;
        transaction.commit().await?;
        Ok(results)
    }
}

impl Backend for Postgres {
    async fn commit(&mut self, rows: &[&NewRow]) -> Result<Vec<Inserted>, StoreError> {
        let mut attempt = 1;
        loop {
            let result = self.try_commit(rows).await;
            if result.is_err()
                && let Some(connection) = self.connection.take()
            {
                // It may be broken (a PostgreSQL restart): the pool opens a new one.
                let _ = connection.close().await;
            }
            match result {
                Err(err) if attempt < ATTEMPTS && is_deadlock(&err) => attempt += 1,
                result => return result,
            }
        }
    }

    async fn delete(&mut self, delete: &'static str, cutoff: &str) -> Result<u64, StoreError> {
        Ok(delete_chunk!(&self.pool, delete, cutoff))
    }

    async fn close(mut self) {
        // Back to the pool, which `Store::close` closes.
        self.connection.take();
    }
}

/// Whether PostgreSQL aborted the transaction to break a deadlock (40P01) or a
/// serialization failure (40001): trying again is the remedy it asks for.
fn is_deadlock(error: &StoreError) -> bool {
    matches!(error, StoreError::Query(sqlx::Error::Database(database))
        if database.code().is_some_and(|code| matches!(&*code, "40P01" | "40001")))
}

/// Stores `rows` on `connection` (inside the caller's transaction) as if inserted one by one
/// in order, and says what happened to each.
async fn insert_batch(
    connection: &mut PgConnection,
    rows: &[&NewRow],
) -> Result<Vec<Inserted>, StoreError> {
    let mut results: Vec<Option<Inserted>> = vec![None; rows.len()];
    let mut pending: Vec<usize> = (0..rows.len()).collect();
    // Rows not inserted whose conflict no stored row explained: the row that won was deleted
    // in between (retention). The next round inserts them; a second time is an error.
    let mut unexplained = HashSet::new();
    while !pending.is_empty() {
        let round = Round::plan(rows, &pending);
        let inserted = insert_many(connection, rows, &round.leaders).await?;
        let missed: Vec<usize> = round
            .leaders
            .iter()
            .copied()
            .filter(|&i| !inserted.contains(&rows[i].response.response_id))
            .collect();
        let mut explained = explain(connection, rows, &missed).await?;
        let mut next = round.deferred;
        for &leader in &round.leaders {
            let outcome = if inserted.contains(&rows[leader].response.response_id) {
                Some(Inserted::New)
            } else {
                explained.remove(&leader)
            };
            match outcome {
                Some(outcome) => results[leader] = Some(outcome),
                None if unexplained.insert(leader) => next.push(leader),
                None => {
                    return Err(StoreError::UnexplainedConflict(
                        rows[leader].response.response_id.clone(),
                    ));
                }
            }
        }
        for (copy, leader) in round.copies {
            match results[leader] {
                Some(Inserted::New | Inserted::AlreadyStored) => {
                    results[copy] = Some(Inserted::AlreadyStored);
                }
                Some(outcome) => results[copy] = Some(outcome),
                None => next.push(copy),
            }
        }
        next.sort_unstable();
        pending = next;
    }
    results
        .into_iter()
        .zip(rows)
        .map(|(result, row)| {
            result.ok_or_else(|| StoreError::UnexplainedConflict(row.response.response_id.clone()))
        })
        .collect()
}

/// One round of a batch: indexes into its rows.
#[derive(Debug, Default, PartialEq, Eq)]
struct Round {
    /// Rows inserted together: no two share a key.
    leaders: Vec<usize>,
    /// Exact copies of a leader, with it: `(copy, leader)`.
    copies: Vec<(usize, usize)>,
    /// Rows for a later round, in order.
    deferred: Vec<usize>,
}

impl Round {
    /// Splits `pending` (indexes into `rows`, in order). A row whose keys an earlier waiting
    /// row has waits too, so that rows with a key in common are answered in their order.
    fn plan(rows: &[&NewRow], pending: &[usize]) -> Round {
        let mut round = Round::default();
        let mut taken_ids: HashMap<&str, usize> = HashMap::new();
        let mut taken_transactions = HashSet::new();
        let mut waiting_ids = HashSet::new();
        let mut waiting_transactions = HashSet::new();
        for &i in pending {
            let response = &rows[i].response;
            let id = response.response_id.as_str();
            let transaction = (
                response.survey.id.as_str(),
                response.transaction.id.as_str(),
            );
            if !waiting_ids.contains(id) && !waiting_transactions.contains(&transaction) {
                match taken_ids.get(id) {
                    None if !taken_transactions.contains(&transaction) => {
                        taken_ids.insert(id, i);
                        taken_transactions.insert(transaction);
                        round.leaders.push(i);
                        continue;
                    }
                    Some(&leader) if rows[leader].payload == rows[i].payload => {
                        round.copies.push((i, leader));
                        continue;
                    }
                    _ => {}
                }
            }
            waiting_ids.insert(id);
            waiting_transactions.insert(transaction);
            round.deferred.push(i);
        }
        round
    }
}

/// Inserts the rows at `indexes` (no two sharing a key) with one statement, each unless it
/// conflicts with a stored row, and returns the `response_id`s inserted.
async fn insert_many(
    connection: &mut PgConnection,
    rows: &[&NewRow],
    indexes: &[usize],
) -> Result<HashSet<String>, StoreError> {
    let mut chosen: Vec<&NewRow> = indexes.iter().map(|&i| rows[i]).collect();
    // In key order, so that two batches inserting the same ids wait for each other in the
    // same order rather than deadlock.
    chosen.sort_unstable_by(|a, b| a.response.response_id.cmp(&b.response.response_id));
    let column =
        |value: fn(&NewRow) -> &str| -> Vec<&str> { chosen.iter().map(|row| value(row)).collect() };
    let inserted: Vec<String> = sqlx::query_scalar(
        "INSERT INTO responses (response_id, received_at, survey_id, survey_version, \
         transaction_id, transaction_type, transaction_unit, satisfaction, reasons, comment, \
         locale, submitted_at, page, widget_version, payload) \
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::int8[], $5::text[], \
         $6::text[], $7::text[], $8::int4[], $9::text[], $10::text[], $11::text[], $12::text[], \
         $13::text[], $14::text[], $15::text[]) \
         ON CONFLICT DO NOTHING RETURNING response_id",
    )
    .bind(column(|row| &row.response.response_id))
    .bind(column(|row| &row.received_at))
    .bind(column(|row| &row.response.survey.id))
    .bind(
        chosen
            .iter()
            .map(|row| i64::from(row.response.survey.version))
            .collect::<Vec<_>>(),
    )
    .bind(column(|row| &row.response.transaction.id))
    .bind(column(|row| &row.response.transaction.kind))
    .bind(column(|row| &row.response.transaction.unit))
    .bind(
        chosen
            .iter()
            .map(|row| row.satisfaction)
            .collect::<Vec<_>>(),
    )
    .bind(column(|row| &row.reasons))
    .bind(column(|row| row.response.answers.comment()))
    .bind(column(|row| row.response.locale.tag()))
    .bind(column(|row| &row.response.submitted_at))
    .bind(column(|row| &row.response.page))
    .bind(column(|row| &row.response.widget_version))
    .bind(column(|row| &row.payload))
    .fetch_all(&mut *connection)
    .await?;
    Ok(inserted.into_iter().collect())
}

/// Why each row at `missed` (no two sharing a key) was not inserted, by index: the stored row
/// with its `response_id` (the same payload or another), or the one with its transaction. A
/// row that no stored row explains is left out.
async fn explain(
    connection: &mut PgConnection,
    rows: &[&NewRow],
    missed: &[usize],
) -> Result<HashMap<usize, Inserted>, StoreError> {
    let mut explained = HashMap::new();
    if missed.is_empty() {
        return Ok(explained);
    }
    let ids: Vec<&str> = missed
        .iter()
        .map(|&i| rows[i].response.response_id.as_str())
        .collect();
    let stored: HashMap<String, String> =
        sqlx::query_as("SELECT response_id, payload FROM responses WHERE response_id = ANY($1)")
            .bind(ids)
            .fetch_all(&mut *connection)
            .await?
            .into_iter()
            .collect();
    let mut by_transaction = Vec::new();
    for &i in missed {
        let response = &rows[i].response;
        match stored.get(&response.response_id) {
            Some(payload) => {
                // Compared as the model reads them, so key order and whitespace cannot matter.
                let stored: model::ResponseV1 = serde_json::from_str(payload)?;
                let outcome = if stored == *response {
                    Inserted::AlreadyStored
                } else {
                    Inserted::ResponseIdReused
                };
                explained.insert(i, outcome);
            }
            None => by_transaction.push(i),
        }
    }
    if by_transaction.is_empty() {
        return Ok(explained);
    }
    let (surveys, transactions): (Vec<&str>, Vec<&str>) = by_transaction
        .iter()
        .map(|&i| {
            let response = &rows[i].response;
            (
                response.survey.id.as_str(),
                response.transaction.id.as_str(),
            )
        })
        .unzip();
    let rated: HashSet<(String, String)> = sqlx::query_as(
        "SELECT r.survey_id, r.transaction_id FROM responses r \
         JOIN UNNEST($1::text[], $2::text[]) AS k(survey_id, transaction_id) \
         ON r.survey_id = k.survey_id AND r.transaction_id = k.transaction_id",
    )
    .bind(surveys)
    .bind(transactions)
    .fetch_all(&mut *connection)
    .await?
    .into_iter()
    .collect();
    for i in by_transaction {
        let response = &rows[i].response;
        if rated.contains(&(response.survey.id.clone(), response.transaction.id.clone())) {
            explained.insert(i, Inserted::TransactionAlreadyRated);
        }
    }
    Ok(explained)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::{batch_answers_as_if_inserted_one_by_one, row};

    #[test]
    fn a_round_takes_rows_without_common_keys_and_copies_of_them() {
        let rows = [
            row(1, "PAY-1", ""),
            row(1, "PAY-1", ""),        // a copy of 0
            row(1, "PAY-1", "changed"), // the same id, another payload: waits
            row(1, "PAY-1", ""),        // a copy of 0, but after 2, which waits: waits
            row(2, "PAY-1", ""),        // the transaction of 0: waits
            row(3, "PAY-3", ""),
            row(4, "PAY-4", ""),
            row(4, "PAY-9", ""), // the id of 6 with another transaction: waits
            row(5, "PAY-9", ""), // the transaction of 7, which waits: waits
        ];
        let refs: Vec<&NewRow> = rows.iter().collect();
        let pending: Vec<usize> = (0..rows.len()).collect();
        assert_eq!(
            Round::plan(&refs, &pending),
            Round {
                leaders: vec![0, 5, 6],
                copies: vec![(1, 0)],
                deferred: vec![2, 3, 4, 7, 8],
            }
        );
    }

    /// On a real PostgreSQL server (`SURVEY_TEST_DATABASE_URL`): inside one batch, later rows
    /// see earlier ones, as on SQLite, whatever the rounds.
    #[tokio::test]
    async fn a_batch_answers_as_if_inserted_one_by_one() {
        let database = crate::store::tests::TestPostgres::create().await;
        let pool = database.migrated_pool().await;
        let mut backend = Postgres::new(pool.clone());
        batch_answers_as_if_inserted_one_by_one(&mut backend).await;
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses")
            .fetch_one(&pool)
            .await
            .expect("count");
        assert_eq!(count, 5);
        // The backend holds a connection, which the pool waits for when it closes.
        backend.close().await;
        pool.close().await;
        database.drop().await;
    }
}
