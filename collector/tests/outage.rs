//! The database goes away under load: PostgreSQL is stopped while clients keep posting to the
//! real collector, then started again. During the outage the collector answers 503
//! `unavailable` with `Retry-After` (never 500) and `/readyz` answers 503; afterwards it
//! recovers by itself, and re-sending everything that got no 2xx stores every response exactly
//! once. The cluster is the test's own (`common::pg_cluster`), so it can be stopped.

#![cfg(unix)]

mod common;

use std::{
    collections::HashSet,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use common::{
    pg_cluster::PgCluster,
    process::{Answer, Collector, distinct_payload, request, response_id},
};

/// How many clients post at once.
const CLIENTS: u64 = 4;

/// Clients post distinct responses back to back until `stop`; each answer, by response.
async fn load(addr: String, stop: Arc<AtomicBool>) -> Vec<(u64, Answer, Instant)> {
    let next = Arc::new(AtomicU64::new(0));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (addr, next, stop) = (addr.clone(), next.clone(), stop.clone());
            tokio::spawn(async move {
                let mut answers = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let answer = request(&addr, "POST", "/v1/responses", &distinct_payload(n))
                        .await
                        .unwrap_or_else(|| panic!("response {n}: the collector did not answer"));
                    answers.push((n, answer, Instant::now()));
                }
                answers
            })
        })
        .collect();
    let mut all = Vec::new();
    for client in clients {
        all.extend(client.await.expect("client"));
    }
    all
}

async fn blocking(f: impl FnOnce() + Send + 'static) {
    tokio::task::spawn_blocking(f).await.expect("blocking task");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_postgresql_restart_answers_503_then_recovers_and_stores_everything_once() {
    let cluster = Arc::new(PgCluster::start(&[]));
    let url = cluster.url();
    let collector = Collector::start_with(&[
        "--database-url",
        &url,
        "--rate-limit",
        "0",
        "--database-timeout",
        "1",
    ])
    .await;
    let stop = Arc::new(AtomicBool::new(false));
    let running = tokio::spawn(load(collector.addr.clone(), stop.clone()));

    tokio::time::sleep(Duration::from_millis(300)).await;
    let c = cluster.clone();
    blocking(move || c.stop()).await;
    let outage = Instant::now();
    let ready = collector.get("/readyz").await.expect("an answer");
    assert_eq!(ready.status, 503, "{ready:?}");
    assert!(ready.body.contains(r#""error":"not_ready""#), "{ready:?}");
    // Longer than --database-timeout, so that requests that started in the outage end in it.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let c = cluster.clone();
    blocking(move || c.start_again()).await;
    let restarted = Instant::now();

    // It recovers by itself: no restart of the collector.
    loop {
        let ready = collector.get("/readyz").await.expect("an answer");
        if ready.status == 200 {
            break;
        }
        assert!(
            restarted.elapsed() < Duration::from_secs(10),
            "not ready again: {ready:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    let answers = running.await.expect("load");

    let mut unavailable = 0;
    let mut stored_after_restart = 0;
    for (n, answer, at) in &answers {
        match answer.status {
            201 => stored_after_restart += usize::from(*at > restarted),
            503 => {
                unavailable += 1;
                assert!(
                    answer.body.contains(r#""error":"unavailable""#),
                    "{n}: {answer:?}"
                );
                assert!(
                    answer.headers.contains("content-type: application/json"),
                    "{answer:?}"
                );
                assert!(
                    answer
                        .headers
                        .lines()
                        .any(|line| line.trim() == "retry-after: 5"),
                    "{answer:?}"
                );
                assert!(
                    *at > outage - Duration::from_millis(500),
                    "503 long before the outage"
                );
            }
            _ => panic!("response {n}: only 201 or 503 during an outage: {answer:?}"),
        }
    }
    assert!(unavailable > 0, "no 503 during the outage");
    assert!(stored_after_restart > 0, "nothing stored after the restart");

    // Clients re-send what got no 2xx; some of it may have been committed just before the
    // server stopped (200), the rest is new (201).
    let mut sent = HashSet::new();
    for (n, answer, _) in &answers {
        sent.insert(response_id(*n));
        if answer.status != 201 {
            let again = collector
                .post(&distinct_payload(*n))
                .await
                .expect("an answer");
            assert!(
                matches!(again.status, 200 | 201),
                "re-send of {n}: {again:?}"
            );
        }
    }
    let pool = common::any_pool(&url).await;
    let ids: Vec<String> = sqlx::query_scalar("SELECT response_id FROM responses")
        .fetch_all(&pool)
        .await
        .expect("ids");
    pool.close().await;
    assert_eq!(ids.len(), answers.len(), "one row per response");
    assert_eq!(ids.into_iter().collect::<HashSet<_>>(), sent);
}
