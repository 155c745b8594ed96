//! The retention job (`--retention-days`) on both databases: what is older than the period is
//! deleted from `responses` and `superseded_responses`, in chunks, and nothing newer; and the
//! real binary runs the job at startup.

#![cfg(unix)]

mod common;

use std::time::{Duration, Instant};

use collector::{Store, retention, store::Inserted};
use common::{
    TestDatabase,
    process::{Collector, distinct_payload, response_id},
};
use model::ResponseV1;
use time::{OffsetDateTime, macros::datetime};

fn response(n: u64) -> ResponseV1 {
    serde_json::from_str(&distinct_payload(n)).expect("payload")
}

async fn ids(db: &TestDatabase, table: &str) -> Vec<String> {
    let pool = db.pool().await;
    let ids = sqlx::query_scalar(&format!(
        "SELECT response_id FROM {table} ORDER BY response_id"
    ))
    .fetch_all(&pool)
    .await
    .expect("ids");
    pool.close().await;
    ids
}

on_both! {
/// 30 days at 2026-11-27 12:00 UTC keeps what was received from 2026-10-28 12:00 on.
#[tokio::test]
async fn what_is_older_than_the_period_is_deleted_and_nothing_else() {
    let db = TestDatabase::new().await;
    let store = Store::open(&db.database).await.expect("open");
    let now = datetime!(2026-11-27 12:00 UTC);
    let received = [
        (1, datetime!(2025-01-01 00:00 UTC)),
        (2, datetime!(2026-10-28 11:59:59.999999 UTC)),
        (3, datetime!(2026-10-28 12:00 UTC)),
        (4, datetime!(2026-11-27 11:00 UTC)),
    ];
    for (n, at) in received {
        assert_eq!(store.insert_response(response(n), at).await.ok(), Some(Inserted::New));
    }
    // 2 500 more old rows, over two chunks, and an old and a new superseded row.
    let pool = db.pool().await;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) \
         INSERT INTO responses SELECT 'bulk-' || i, '2026-01-01T00:00:00.000000Z', 'default', 1, \
         'BULK-' || i, 'bill_payment', 'hall', 5, '[]', '', 'zh-CN', 'x', 'https://a.cn/', \
         '0.1.0', '{}' FROM n",
    )
    .execute(&pool)
    .await
    .expect("bulk rows");
    for (id, at) in [("superseded-old", "2026-01-01T00:00:00.000000Z"), ("superseded-new", "2026-11-27T00:00:00.000000Z")] {
        sqlx::query(
            "INSERT INTO superseded_responses VALUES ($1, $2, 'default', 1, 'PAY-1', \
             'bill_payment', 'hall', 5, '[]', '', 'zh-CN', 'x', 'https://a.cn/', '0.1.0', '{}')",
        )
        .bind(id)
        .bind(at)
        .execute(&pool)
        .await
        .expect("superseded row");
    }
    pool.close().await;

    let deleted = retention::run_once(&store, 30, now).await.expect("retention");
    assert_eq!(deleted, 2 + 2500 + 1);
    assert_eq!(ids(&db, "responses").await, [response_id(3), response_id(4)]);
    assert_eq!(ids(&db, "superseded_responses").await, ["superseded-new"]);
    assert_eq!(retention::run_once(&store, 30, now).await.ok(), Some(0));

    // A deleted response sent again is a new response.
    assert_eq!(store.insert_response(response(1), now).await.ok(), Some(Inserted::New));
    store.close().await;
}

/// The binary runs the job at startup: an old response is gone within seconds, a recent one
/// stays, and ingest goes on.
#[tokio::test]
async fn the_collector_deletes_old_responses_at_startup() {
    let db = TestDatabase::new().await;
    let store = Store::open(&db.database).await.expect("open");
    let now = OffsetDateTime::now_utc();
    let old = store.insert_response(response(1), now - time::Duration::days(31)).await;
    let recent = store.insert_response(response(2), now - time::Duration::days(29)).await;
    assert_eq!((old.ok(), recent.ok()), (Some(Inserted::New), Some(Inserted::New)));
    store.close().await;

    let collector = Collector::start(&db, &["--retention-days", "30"]).await;
    let started = Instant::now();
    while ids(&db, "responses").await.len() > 1 {
        assert!(started.elapsed() < Duration::from_secs(10), "the old response is still there");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(ids(&db, "responses").await, [response_id(2)]);
    let answer = collector.post(&distinct_payload(3)).await.expect("an answer");
    assert_eq!(answer.status, 201, "{answer:?}");
}
}
