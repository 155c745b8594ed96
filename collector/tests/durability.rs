//! What a 2xx promises, tested on the real binary: a response that was answered 2xx is stored,
//! exactly once, even when the collector is killed with SIGKILL during steady ingest, on
//! SQLite and on PostgreSQL.

#![cfg(unix)]

mod common;

use std::{
    collections::HashSet,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use common::{
    TestDatabase,
    process::{Collector, distinct_payload, response_id},
};

/// How many clients post at once during the load.
const CLIENTS: usize = 6;

/// What the clients of [`steady_ingest`] sent and what was acknowledged.
#[derive(Default)]
struct Sent {
    /// Every `n` whose payload was sent.
    attempted: Vec<u64>,
    /// Every `n` answered 2xx.
    acknowledged: Vec<u64>,
}

/// `CLIENTS` clients post distinct responses (numbered from `next`) to `addr`, back to back,
/// until the collector goes away (a connection fails).
async fn steady_ingest(addr: String, next: Arc<AtomicU64>) -> Sent {
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (addr, next) = (addr.clone(), next.clone());
            tokio::spawn(async move {
                let mut sent = Sent::default();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    sent.attempted.push(n);
                    let answer = common::process::request(
                        &addr,
                        "POST",
                        "/v1/responses",
                        &distinct_payload(n),
                    )
                    .await;
                    match answer {
                        Some(answer) if (200..300).contains(&answer.status) => {
                            sent.acknowledged.push(n);
                        }
                        Some(answer) => panic!("unexpected answer during load: {answer:?}"),
                        None => break,
                    }
                }
                sent
            })
        })
        .collect();
    let mut all = Sent::default();
    for client in clients {
        let sent = client.await.expect("client");
        all.attempted.extend(sent.attempted);
        all.acknowledged.extend(sent.acknowledged);
    }
    all
}

/// The stored `response_id`s, and how many rows there are.
async fn stored(db: &TestDatabase) -> (HashSet<String>, usize) {
    let pool = db.pool().await;
    let ids: Vec<String> = sqlx::query_scalar("SELECT response_id FROM responses")
        .fetch_all(&pool)
        .await
        .expect("ids");
    pool.close().await;
    let rows = ids.len();
    (ids.into_iter().collect(), rows)
}

on_both! {
/// kill -9 during steady ingest: after a restart on the same database, every response that got
/// a 2xx is there once; re-sending all the others stores each of them exactly once too.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_kill_during_ingest_loses_no_acknowledged_response() {
    let db = TestDatabase::new().await;
    let mut collector = Collector::start(&db, &["--rate-limit", "0"]).await;
    let next = Arc::new(AtomicU64::new(0));
    let load = tokio::spawn(steady_ingest(collector.addr.clone(), next.clone()));
    // Let the load run, then kill the collector in the middle of it.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let before_kill = next.load(Ordering::Relaxed);
    collector.kill();
    let sent = load.await.expect("load");
    // The clients stop only when a connection fails, so the kill came during the load.
    assert!(before_kill > 50, "the load was steady: {before_kill} responses sent before the kill");

    collector.restart().await;
    let (ids, rows) = stored(&db).await;
    assert_eq!(ids.len(), rows, "no response is stored twice");
    let lost: Vec<u64> = sent
        .acknowledged
        .iter()
        .copied()
        .filter(|n| !ids.contains(&response_id(*n)))
        .collect();
    assert!(lost.is_empty(), "acknowledged but not stored after the kill: {lost:?}");
    let attempted: HashSet<String> = sent.attempted.iter().map(|n| response_id(*n)).collect();
    assert!(ids.is_subset(&attempted), "only sent responses are stored");

    // The clients retry everything that got no 2xx: each is stored once (201), or was stored
    // before the kill and is recognised (200). An acknowledged one is a replay (200).
    let acknowledged: Arc<HashSet<u64>> = Arc::new(sent.acknowledged.iter().copied().collect());
    let retries: Vec<_> = sent
        .attempted
        .chunks(sent.attempted.len().div_ceil(CLIENTS))
        .map(|chunk| {
            let (addr, chunk, acknowledged) =
                (collector.addr.clone(), chunk.to_vec(), acknowledged.clone());
            tokio::spawn(async move {
                for n in chunk {
                    let answer =
                        common::process::request(&addr, "POST", "/v1/responses", &distinct_payload(n))
                            .await
                            .expect("an answer");
                    if acknowledged.contains(&n) {
                        assert_eq!(answer.status, 200, "replay of acknowledged {n}: {answer:?}");
                    } else {
                        assert!(matches!(answer.status, 200 | 201), "retry of {n}: {answer:?}");
                    }
                }
            })
        })
        .collect();
    for retry in retries {
        retry.await.expect("retries");
    }
    let (ids, rows) = stored(&db).await;
    assert_eq!((ids.len(), rows), (sent.attempted.len(), sent.attempted.len()));
}
}
