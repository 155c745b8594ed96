//! `ingest-load`: the ingest benchmark's load generator. For each target it finds the maximum
//! rate (closed loop: `--connections` clients posting back to back), then offers 50 % and 90 %
//! of that rate open loop and reports the rate achieved and the p50/p99 latency. Open loop as
//! wrk2 does it: each request is due at a fixed time whether or not earlier ones have
//! answered; it waits for one of the `--connections` connections if all are busy, and its
//! latency counts from when it was due, so a stalled server cannot hide its queue (no
//! coordinated omission). Every body is a distinct valid payload v1:
//! a fresh `response_id` and transaction id per request.
//!
//! ```text
//! ingest-load --seconds 5 --connections 64 hello=http://127.0.0.1:P1/ sqlite=http://127.0.0.1:P2/v1/responses …
//! ```
//!
//! The first target is the baseline: the others' maximum rates are printed as a share of it.
//! `bench/ingest/run` starts the servers and calls this; see docs/performance.md.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode, Uri};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// The command line: `[--seconds N] [--connections N] name=url…`.
struct Args {
    seconds: u64,
    connections: usize,
    targets: Vec<(String, Uri)>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        seconds: 5,
        connections: 64,
        targets: Vec::new(),
    };
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        let mut number = |name: &str| {
            words
                .next()
                .and_then(|value| value.parse::<u64>().ok())
                .ok_or(format!("{name} needs a number"))
        };
        match word.as_str() {
            "--seconds" => args.seconds = number("--seconds")?,
            "--connections" => {
                args.connections =
                    usize::try_from(number("--connections")?).map_err(|e| e.to_string())?;
            }
            target => {
                let (name, url) = target
                    .split_once('=')
                    .ok_or(format!("`{target}` is not name=url"))?;
                let uri = url.parse().map_err(|e| format!("{url}: {e}"))?;
                args.targets.push((name.to_owned(), uri));
            }
        }
    }
    if args.targets.is_empty() {
        return Err("usage: ingest-load [--seconds N] [--connections N] name=url…".to_owned());
    }
    Ok(args)
}

/// Distinct payloads: this run's prefix, then a counter shared by every phase and target.
struct Bodies {
    run: u32,
    next: AtomicU64,
}

impl Bodies {
    fn next(&self) -> (String, Bytes) {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        // A lowercase UUID v4: version nibble 4, variant nibble 8.
        let id = format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            self.run,
            (n >> 48) & 0xffff,
            (n >> 36) & 0xfff,
            (n >> 24) & 0xfff,
            n & 0xff_ffff_ffff
        );
        let body = format!(
            r#"{{"response_id":"{id}","survey":{{"id":"default","version":1}},"transaction":{{"id":"BENCH-{run:08x}-{n}","type":"bill_payment","unit":"城东供电营业厅"}},"answers":{{"satisfaction":2,"reasons":["long_wait"],"comment":"排队太久，等了四十分钟"}},"locale":"zh-CN","submitted_at":"2026-11-27T08:30:00.123Z","page":"https://95598.example.cn/hall/pay","widget_version":"0.1.0"}}"#,
            run = self.run
        );
        (id, Bytes::from(body))
    }
}

/// One request's outcome: its status (None if it failed before one) and its latency.
type Outcome = (Option<StatusCode>, Duration);

async fn send(client: &HttpClient, uri: &Uri, bodies: &Bodies, scheduled: Instant) -> Outcome {
    let (id, body) = bodies.next();
    let request = Request::builder()
        .method(Method::POST)
        .uri(uri.clone())
        .header("content-type", "application/json")
        .header("idempotency-key", id)
        .body(Full::new(body));
    let status = match request {
        Ok(request) => match client.request(request).await {
            Ok(response) => {
                let status = response.status();
                match response.into_body().collect().await {
                    Ok(_) => Some(status),
                    Err(_) => None,
                }
            }
            Err(_) => None,
        },
        Err(_) => None,
    };
    (status, scheduled.elapsed())
}

/// What one phase measured.
struct Phase {
    offered: Option<f64>,
    achieved: f64,
    p50: Duration,
    p99: Duration,
    failed: usize,
}

fn summarize(offered: Option<f64>, mut outcomes: Vec<Outcome>, elapsed: Duration) -> Phase {
    let ok = outcomes
        .iter()
        .filter(|(status, _)| status.is_some_and(|s| s.is_success()))
        .count();
    let failed = outcomes.len() - ok;
    outcomes.sort_by_key(|(_, latency)| *latency);
    let at = |q: f64| {
        let last = outcomes.len().saturating_sub(1);
        // Rounded down to an index: precision loss is irrelevant at these counts.
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let index = (q * last as f64) as usize;
        outcomes.get(index).map_or(Duration::ZERO, |(_, l)| *l)
    };
    #[allow(clippy::cast_precision_loss)]
    let achieved = ok as f64 / elapsed.as_secs_f64();
    Phase {
        offered,
        achieved,
        p50: at(0.50),
        p99: at(0.99),
        failed,
    }
}

/// Closed loop: `connections` clients, each posting as soon as its last answer arrived.
async fn saturate(
    client: &HttpClient,
    uri: &Uri,
    bodies: &Arc<Bodies>,
    connections: usize,
    length: Duration,
) -> Phase {
    let started = Instant::now();
    let deadline = started + length;
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (client, uri, bodies) = (client.clone(), uri.clone(), Arc::clone(bodies));
            tokio::spawn(async move {
                let mut outcomes = Vec::new();
                while Instant::now() < deadline {
                    outcomes.push(send(&client, &uri, &bodies, Instant::now()).await);
                }
                outcomes
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for worker in workers {
        outcomes.extend(worker.await.unwrap_or_default());
    }
    summarize(None, outcomes, started.elapsed())
}

/// Open loop: one request every 1/`rate` s for `length`, each on its own task, at most
/// `connections` at a time.
async fn offer(
    client: &HttpClient,
    uri: &Uri,
    bodies: &Arc<Bodies>,
    (rate, connections): (f64, usize),
    length: Duration,
) -> Phase {
    let slots = Arc::new(tokio::sync::Semaphore::new(connections));
    let interval = Duration::from_secs_f64(1.0 / rate);
    let started = Instant::now();
    let mut tasks = Vec::new();
    let mut scheduled = started;
    while scheduled < started + length {
        tokio::time::sleep_until(scheduled.into()).await;
        // Start every request that is due, even if the timer woke late.
        let now = Instant::now();
        while scheduled <= now && scheduled < started + length {
            let (client, uri, bodies) = (client.clone(), uri.clone(), Arc::clone(bodies));
            let slots = Arc::clone(&slots);
            let at = scheduled;
            tasks.push(tokio::spawn(async move {
                let _slot = slots.acquire_owned().await;
                send(&client, &uri, &bodies, at).await
            }));
            scheduled += interval;
        }
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        if let Ok(outcome) = task.await {
            outcomes.push(outcome);
        }
    }
    summarize(Some(rate), outcomes, started.elapsed())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn print_row(target: &str, phase: &str, p: &Phase) {
    let offered = p.offered.map_or("-".to_owned(), |r| format!("{r:.0}"));
    println!(
        "{target:<10} {phase:<14} {offered:>10} {:>11.0} {:>8.2} {:>8.2} {:>8}",
        p.achieved,
        ms(p.p50),
        ms(p.p99),
        p.failed
    );
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("ingest-load: {message}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() ^ (d.as_secs() as u32))
        .unwrap_or_default();
    let bodies = Arc::new(Bodies {
        run,
        next: AtomicU64::new(0),
    });
    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(usize::MAX)
        .build_http();
    let length = Duration::from_secs(args.seconds);
    println!(
        "{:<10} {:<14} {:>10} {:>11} {:>8} {:>8} {:>8}",
        "target", "phase", "offered/s", "achieved/s", "p50 ms", "p99 ms", "non-2xx"
    );
    let mut results = Vec::new();
    for (name, uri) in &args.targets {
        // A short warm-up: connections, caches, the database's first pages.
        let _ = saturate(
            &client,
            uri,
            &bodies,
            args.connections,
            Duration::from_secs(1),
        )
        .await;
        let max = saturate(&client, uri, &bodies, args.connections, length).await;
        print_row(name, &format!("max ({} conns)", args.connections), &max);
        let mut at_half = None;
        for share in [0.5, 0.9] {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let load = (max.achieved * share, args.connections);
            let phase = offer(&client, uri, &bodies, load, length).await;
            print_row(name, &format!("open {:.0} %", share * 100.0), &phase);
            at_half.get_or_insert(phase.p99);
        }
        results.push((name.clone(), max.achieved, at_half.unwrap_or_default()));
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    if let Some((baseline, base_rate, _)) = results.first() {
        println!();
        for (name, rate, p99_half) in &results[1..] {
            println!(
                "{name}: {:.0} % of {baseline}'s maximum rate (goal >= 25 %); p99 at 50 %: {:.1} ms (goal <= 50 ms)",
                rate / base_rate * 100.0,
                ms(*p99_half)
            );
        }
    }
    std::process::ExitCode::SUCCESS
}
