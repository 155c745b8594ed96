//! The tested several-instance topology of docs/operations.md: two collector processes on one
//! PostgreSQL database, on this machine. Both migrate at once at startup; the same response
//! sent through both is stored once (201 from one, 200 from the other); different responses
//! through both are all stored; two responses for one transaction through both give one 201
//! and one 409; and the per-IP rate limit is per instance.

#![cfg(unix)]

mod common;

use std::collections::HashSet;

use common::{
    Backend, TestDatabase,
    process::{Collector, distinct_payload},
};

/// Two collectors on one fresh PostgreSQL database, started at the same time (so both run
/// the migrations at once).
async fn two_instances(db: &TestDatabase, extra: &[&str]) -> (Collector, Collector) {
    tokio::join!(Collector::start(db, extra), Collector::start(db, extra))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_collectors_on_one_database_store_each_response_once() {
    let db = TestDatabase::of(Backend::Postgres).await;
    let (a, b) = two_instances(&db, &["--rate-limit", "0"]).await;
    assert_ne!(a.addr, b.addr);

    // The same response through both at once, 30 times: one 201 and one 200 each time.
    for n in 0..30 {
        let body = distinct_payload(n);
        let (first, second) = tokio::join!(a.post(&body), b.post(&body));
        let mut statuses = [
            first.expect("an answer from a").status,
            second.expect("an answer from b").status,
        ];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 201], "response {n}");
    }
    // Different responses, some through each: all stored.
    for n in 30..60 {
        let via = if n % 2 == 0 { &a } else { &b };
        let answer = via.post(&distinct_payload(n)).await.expect("an answer");
        assert_eq!(answer.status, 201, "response {n}: {answer:?}");
    }
    // Two different responses for one transaction, one through each: one wins, one is 409.
    for n in 60..70 {
        let other =
            distinct_payload(n + 1000).replace(&format!("T-{}", n + 1000), &format!("T-{n}"));
        let one = distinct_payload(n);
        let (first, second) = tokio::join!(a.post(&one), b.post(&other));
        let mut statuses = [first.expect("a").status, second.expect("b").status];
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 409], "transaction T-{n}");
    }

    let pool = db.pool().await;
    let ids: Vec<String> = sqlx::query_scalar("SELECT response_id FROM responses")
        .fetch_all(&pool)
        .await
        .expect("ids");
    let transactions: Vec<String> = sqlx::query_scalar("SELECT transaction_id FROM responses")
        .fetch_all(&pool)
        .await
        .expect("transactions");
    pool.close().await;
    assert_eq!(ids.len(), 70);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 70);
    assert_eq!(transactions.iter().collect::<HashSet<_>>().len(), 70);
}

/// Each instance counts the POSTs it receives: behind a load balancer that spreads a client
/// over two instances, the client gets up to twice `--rate-limit`.
#[tokio::test]
async fn the_rate_limit_is_per_instance() {
    let db = TestDatabase::of(Backend::Postgres).await;
    let (a, b) = two_instances(&db, &["--rate-limit", "3"]).await;
    let mut n = 0;
    for instance in [&a, &b] {
        for _ in 0..3 {
            let answer = instance
                .post(&distinct_payload(n))
                .await
                .expect("an answer");
            assert_eq!(answer.status, 201, "{answer:?}");
            n += 1;
        }
        let answer = instance
            .post(&distinct_payload(n))
            .await
            .expect("an answer");
        assert_eq!(answer.status, 429, "{answer:?}");
        n += 1;
    }
    assert_eq!(db.row_count().await, 6);
}
