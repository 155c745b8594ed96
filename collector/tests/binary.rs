//! The `survey-collector` binary as a real process: its startup line, a request over TCP, a graceful
//! stop on SIGTERM, and what only a real server shows: concurrent requests, a body streamed
//! over a socket, and the TCP peer address.

#![cfg(unix)]

mod common;

use common::TestDatabase;
use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// Kills the process if the test fails before stopping it.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn prints_the_bound_address_serves_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut running, addr, mut stdout) = start(dir.path(), &[]);
    assert!(!addr.ends_with(":0"), "the real port is printed: {addr}");
    assert!(
        dir.path().join("survey.sqlite").exists(),
        "the database file is created"
    );

    let mut stream = connect_blocking(&addr);
    write!(
        stream,
        "POST /v1/responses HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: 2\r\nConnection: close\r\n\r\n{{}}"
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains(r#""error":"invalid_json""#), "{answer}");

    let pid = running.0.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(killed.is_ok_and(|s| s.success()), "kill -TERM");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = running.0.try_wait().expect("wait") {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");

    let mut rest = String::new();
    stdout.read_to_string(&mut rest).expect("rest of stdout");
    assert_eq!(rest, "", "stdout holds exactly one line");
}

#[test]
fn mint_token_prints_the_documented_token() {
    // The first test vector of docs/signed-transactions.md.
    let output = Command::new(env!("CARGO_BIN_EXE_survey-collector"))
        .env(
            "SURVEY_MINT_KEY",
            "2026-01=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        )
        .args([
            "mint-token",
            "--transaction-id",
            "PAY-2026-0001",
            "--type",
            "bill_payment",
            "--unit",
            "east-district-hall",
            "--expires-at",
            "1798761600",
        ])
        .output()
        .expect("run mint-token");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "v1.2026-01.1798761600.kc9SZDECyN-C1z07GoY1-Gt2UIbyArFNkrvShh_EoEw\n"
    );
}

/// A collector started on a free port with a fresh database and `extra` flags; its address.
/// Also returns the rest of its stdout, after the startup line.
fn start(
    dir: &std::path::Path,
    extra: &[&str],
) -> (Running, String, BufReader<std::process::ChildStdout>) {
    start_logging(dir, extra, None)
}

/// A collector started on a free port with `db` (SQLite or PostgreSQL) and `extra` flags.
fn start_on(
    db: &TestDatabase,
    extra: &[&str],
) -> (Running, String, BufReader<std::process::ChildStdout>) {
    let mut args = db.flags();
    args.extend(extra.iter().map(|arg| (*arg).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    start_logging(db.dir.path(), &args, None)
}

/// Like [`start`]; with `rust_log`, the collector logs at that level to `dir/stderr.log`.
/// A `--database` or `--database-url` in `extra` wins over the default database.
fn start_logging(
    dir: &std::path::Path,
    extra: &[&str],
    rust_log: Option<&str>,
) -> (Running, String, BufReader<std::process::ChildStdout>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_survey-collector"));
    for var in [
        "SURVEY_LISTEN",
        "SURVEY_DATABASE",
        "SURVEY_DATABASE_URL",
        "SURVEY_STATIC_DIR",
        "SURVEY_DEMO",
        "SURVEY_ALLOWED_ORIGINS",
        "SURVEY_RATE_LIMIT",
        "SURVEY_MASK_PERSONAL_DATA",
        "SURVEY_TRANSACTION_KEYS",
        "SURVEY_HEADER_READ_TIMEOUT",
        "SURVEY_REQUEST_TIMEOUT",
    ] {
        command.env_remove(var);
    }
    if let Some(level) = rust_log {
        command.env("RUST_LOG", level);
    }
    command.args(["--listen", "127.0.0.1:0"]);
    if !extra.contains(&"--database") {
        command.arg("--database").arg(dir.join("survey.sqlite"));
    }
    let child = command
        .arg("--static-dir")
        .arg(dir.join("no-such-dir"))
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(match rust_log {
            Some(_) => {
                Stdio::from(std::fs::File::create(dir.join("stderr.log")).expect("log file"))
            }
            None => Stdio::null(),
        })
        .spawn()
        .expect("spawn collector");
    let mut running = Running(child);
    let mut stdout = BufReader::new(running.0.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("startup line");
    let addr = line
        .strip_prefix("collector listening on http://")
        .and_then(|rest| rest.strip_suffix("/\n"))
        .unwrap_or_else(|| panic!("unexpected startup line {line:?}"))
        .to_owned();
    (running, addr, stdout)
}

/// One valid payload v1 as JSON, for transaction `n`.
fn payload(n: u32) -> String {
    format!(
        r#"{{"response_id":"0f8fad5b-d9cb-469f-a165-{n:012x}","survey":{{"id":"default","version":1}},"transaction":{{"id":"PAY-{n}","type":"bill_payment","unit":"hall"}},"answers":{{"satisfaction":5,"reasons":[],"comment":""}},"locale":"zh-CN","submitted_at":"2026-11-27T08:30:00.123Z","page":"https://95598.example.cn/hall/pay","widget_version":"0.1.0"}}"#
    )
}

/// POSTs `body` over a fresh connection with raw HTTP/1.1 and returns the whole answer.
async fn post(addr: &str, body: &str, extra_headers: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "POST /v1/responses HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n{extra_headers}Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    answer
}

fn status_of(answer: &str) -> u16 {
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status in {answer:?}"))
}

/// GETs `path` over a fresh connection with raw HTTP/1.1 and returns the whole answer.
async fn get(addr: &str, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    answer
}

on_both! {
/// The real binary on each backend: `--database` or `--database-url`, migrated at startup,
/// a POST stored and read back through the demo view and from the table.
#[tokio::test]
async fn a_post_is_stored_and_read_back() {
    let db = TestDatabase::new().await;
    let (_running, addr, _) = start_on(&db, &["--demo"]);
    let ready = get(&addr, "/readyz").await;
    assert_eq!(status_of(&ready), 200, "{ready}");
    let body = payload(7).replace(r#""comment":"""#, r#""comment":"排队太久 😡 13812345678""#);
    assert_eq!(status_of(&post(&addr, &body, "").await), 201);
    assert_eq!(status_of(&post(&addr, &body, "").await), 200);

    let listed = get(&addr, "/demo/responses").await;
    assert_eq!(status_of(&listed), 200, "{listed}");
    let json = listed.split("\r\n\r\n").nth(1).expect("a body");
    let items: serde_json::Value = serde_json::from_str(json).expect("JSON");
    assert_eq!(items.as_array().map(Vec::len), Some(1), "{items}");
    assert_eq!(items[0]["response_id"], "0f8fad5b-d9cb-469f-a165-000000000007");
    assert_eq!(items[0]["answers"]["comment"], "排队太久 😡 138****5678");

    let pool = db.pool().await;
    let (transaction_id, comment): (String, String) =
        sqlx::query_as("SELECT transaction_id, comment FROM responses")
            .fetch_one(&pool)
            .await
            .expect("one row");
    pool.close().await;
    assert_eq!((transaction_id.as_str(), comment.as_str()), ("PAY-7", "排队太久 😡 138****5678"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn a_hundred_identical_posts_in_parallel_store_one_row_and_never_fail() {
    let db = TestDatabase::new().await;
    let (_running, addr, _) = start_on(&db, &["--rate-limit", "1000"]);
    let body = payload(1);
    let statuses = post_all_at_once(&addr, vec![body; 100]).await;
    let created = statuses.iter().filter(|s| **s == 201).count();
    let replayed = statuses.iter().filter(|s| **s == 200).count();
    assert_eq!((created, replayed), (1, 99), "{statuses:?}");

    // And 20 different responses for one transaction: one wins, the rest are 409.
    let bodies = (100..120u32)
        .map(|n| payload(n).replace(&format!("PAY-{n}"), "PAY-RACE"))
        .collect();
    let statuses = post_all_at_once(&addr, bodies).await;
    let created = statuses.iter().filter(|s| **s == 201).count();
    let conflicts = statuses.iter().filter(|s| **s == 409).count();
    assert_eq!((created, conflicts), (1, 19), "{statuses:?}");

    assert_eq!(db.row_count().await, 2);
}
}

#[test]
fn a_chunked_body_over_the_limit_is_refused_before_it_ends() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_running, addr, _) = start(dir.path(), &[]);
    let mut stream = connect_blocking(&addr);
    write!(
        stream,
        "POST /v1/responses HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\n\r\n"
    )
    .expect("headers");
    // 17 chunks of 1 KiB: just over 16 KiB, and then the body never ends (no last chunk).
    let chunk = format!("400\r\n{}\r\n", "a".repeat(1024));
    for _ in 0..17 {
        stream.write_all(chunk.as_bytes()).expect("chunk");
    }
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    // Read until the end of the JSON body; the server answers without waiting for the rest.
    while !String::from_utf8_lossy(&answer).contains("\"fields\":[]}") {
        let read = stream
            .read(&mut buffer)
            .expect("an answer before the body ends");
        assert!(read > 0, "closed without an answer");
        answer.extend_from_slice(&buffer[..read]);
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer.contains(r#""error":"payload_too_large""#),
        "{answer}"
    );
}

#[tokio::test]
async fn the_rate_limit_counts_the_tcp_peer_not_x_forwarded_for() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_running, addr, _) = start(dir.path(), &["--rate-limit", "2"]);
    for n in 0..2 {
        let answer = post(&addr, &payload(n), "X-Forwarded-For: 198.51.100.1\r\n").await;
        assert_eq!(status_of(&answer), 201, "{answer}");
    }
    let answer = post(&addr, &payload(2), "X-Forwarded-For: 198.51.100.2\r\n").await;
    assert_eq!(status_of(&answer), 429, "{answer}");
    assert!(answer.contains("retry-after: 30\r\n"), "{answer}");
    assert!(answer.contains(r#""error":"rate_limited""#), "{answer}");
}

/// POSTs every body concurrently and returns the statuses, in the order of `bodies`.
async fn post_all_at_once(addr: &str, bodies: Vec<String>) -> Vec<u16> {
    let tasks: Vec<_> = bodies
        .into_iter()
        .map(|body| {
            let addr = addr.to_owned();
            tokio::spawn(async move { post(&addr, &body, "").await })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(status_of(&task.await.expect("task")));
    }
    statuses
}

/// The comment is the customer's own text and may hold personal data (masked only in storage):
/// even at trace level, no log line may show it.
#[tokio::test]
async fn logs_never_contain_comment_text() {
    const SECRET: &str = "zq-secret-7391 13812345678";
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut running, addr, _) = start_logging(dir.path(), &[], Some("trace"));
    let body = payload(1).replace(r#""comment":"""#, &format!(r#""comment":"{SECRET}""#));
    assert!(body.contains(SECRET));
    assert_eq!(status_of(&post(&addr, &body, "").await), 201);
    assert_eq!(status_of(&post(&addr, &body, "").await), 200);
    let reused = body.replace(SECRET, &format!("{SECRET} again"));
    assert_eq!(status_of(&post(&addr, &reused, "").await), 422);
    let wrong_type = body.replace(
        r#""satisfaction":5"#,
        &format!(r#""satisfaction":"{SECRET}""#),
    );
    assert_eq!(status_of(&post(&addr, &wrong_type, "").await), 422);
    let wrong_shape = body.replace(
        &format!(r#""comment":"{SECRET}""#),
        &format!(r#""comment":["{SECRET}", 1]"#),
    );
    assert_eq!(status_of(&post(&addr, &wrong_shape, "").await), 400);

    let pid = running.0.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(killed.is_ok_and(|s| s.success()), "kill -TERM");
    let started = Instant::now();
    while running.0.try_wait().expect("wait").is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let log = std::fs::read_to_string(dir.path().join("stderr.log")).expect("log");
    assert!(log.contains("/v1/responses"), "requests are logged: {log}");
    // The access log: one line per request with its status, and no colour codes in a file.
    for status in ["status=201", "status=200", "status=422", "status=400"] {
        assert!(
            log.lines().any(|line| line.contains("collector::access")
                && line.contains("method=POST path=\"/v1/responses\"")
                && line.contains(status)),
            "an access line with {status}:\n{log}"
        );
    }
    assert!(
        !log.contains('\u{1b}'),
        "no ANSI escapes in a log file:\n{log}"
    );
    for part in SECRET.split(' ') {
        assert!(
            !log.contains(part),
            "the log shows comment text {part:?}:\n{log}"
        );
    }
}

/// A blocking connection to the collector that gives up reading after 10 s.
fn connect_blocking(addr: &str) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream
}

/// Runs `survey-collector token …` on the SQLite file in `dir`; its exit success and stdout.
fn token_command(dir: &std::path::Path, args: &[&str]) -> (bool, String) {
    let database = dir.join("survey.sqlite");
    let output = Command::new(env!("CARGO_BIN_EXE_survey-collector"))
        .arg("token")
        .args(args)
        .arg("--database")
        .arg(&database)
        .env_remove("SURVEY_DATABASE_URL")
        .output()
        .expect("run collector token");
    (
        output.status.success(),
        String::from_utf8(output.stdout).expect("UTF-8"),
    )
}

/// `token create` prints the token once and stores only its hash; `list` never shows it;
/// `revoke` ends it.
#[tokio::test]
async fn token_subcommands_create_list_and_revoke() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (ok, created) = token_command(
        dir.path(),
        &["create", "--role", "marketer", "--name", "alice"],
    );
    assert!(ok);
    let token = created.trim().to_owned();
    assert!(token.starts_with("sv_") && token.len() == 67, "{token}");
    let (ok, second) = token_command(
        dir.path(),
        &["create", "--role", "manager", "--name", "bob"],
    );
    assert!(ok && second.trim() != token);
    assert!(!token_command(dir.path(), &["create", "--role", "root", "--name", "x"]).0);

    let database = collector::Database::Sqlite(dir.path().join("survey.sqlite"));
    let store = collector::Store::open(&database).await.expect("open");
    let caller = store
        .caller(&collector::auth::token_hash(&token))
        .await
        .expect("query");
    assert_eq!(
        caller.map(|c| (c.name, c.role)),
        Some(("alice".to_owned(), collector::auth::Role::Marketer))
    );
    let pool = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        dir.path().join("survey.sqlite").display()
    ))
    .await
    .expect("connect");
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_sha256 FROM api_tokens")
        .fetch_all(&pool)
        .await
        .expect("select");
    assert!(!stored.contains(&token), "only the hash is stored");

    let (ok, list) = token_command(dir.path(), &["list"]);
    assert!(ok);
    assert!(!list.contains(&token), "{list}");
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert!(
        lines[0].starts_with("alice\tmarketer\t") && lines[0].ends_with("\t-"),
        "{list}"
    );

    let (ok, revoked) = token_command(dir.path(), &["revoke", "--name", "alice"]);
    assert!(ok);
    assert_eq!(revoked.trim(), "revoked 1");
    assert!(
        !token_command(dir.path(), &["revoke", "--name", "alice"]).0,
        "nothing left to revoke"
    );
    let caller = store
        .caller(&collector::auth::token_hash(&token))
        .await
        .expect("query");
    assert_eq!(caller, None);
    pool.close().await;
    store.close().await;
}

/// How many idle, half-sent connections the slowloris test holds open.
const SLOWLORIS_CONNECTIONS: usize = 500;

/// Slow clients cannot hold the collector: 500 connections that send part of a request line or
/// of the headers and then stall do not slow down normal clients, and each is closed once the
/// header-read timeout passes (`axum::serve` sets no hyper timer, so without `server::serve`
/// they would stay open for ever). A body sent too slowly gets 408.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_cut_off_while_normal_clients_are_served() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // Test process and collector each hold one socket per slow connection.
    assert!(
        open_files_limit() >= SLOWLORIS_CONNECTIONS as u64 + 200,
        "raise the open files limit (ulimit -n) to run this test"
    );
    const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(3);
    let dir = tempfile::tempdir().expect("temp dir");
    let (_running, addr, _) = start(
        dir.path(),
        &[
            "--header-read-timeout",
            "3",
            "--request-timeout",
            "1.5",
            "--rate-limit",
            "0",
        ],
    );

    let opened = Instant::now();
    let mut slow = Vec::new();
    for n in 0..SLOWLORIS_CONNECTIONS {
        let mut stream = tokio::net::TcpStream::connect(&addr)
            .await
            .expect("connect");
        let partial = if n % 2 == 0 {
            "POST /v1/respo".to_owned()
        } else {
            format!("POST /v1/responses HTTP/1.1\r\nHost: {addr}\r\nContent-Ty")
        };
        stream.write_all(partial.as_bytes()).await.expect("send");
        slow.push(stream);
    }
    // Each stalled connection waits for the collector to close it, and says when it did.
    let closed: Vec<_> = slow
        .into_iter()
        .map(|mut stream| {
            tokio::spawn(async move {
                let mut sink = Vec::new();
                let ended =
                    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut sink))
                        .await;
                ended.is_ok().then(|| opened.elapsed())
            })
        })
        .collect();

    // Meanwhile normal clients are served, quickly.
    let mut slowest = Duration::ZERO;
    for n in 0..20 {
        let started = Instant::now();
        let answer = post(&addr, &payload(n), "").await;
        slowest = slowest.max(started.elapsed());
        assert_eq!(status_of(&answer), 201, "{answer}");
    }
    let served_by = opened.elapsed();
    assert!(
        served_by < HEADER_READ_TIMEOUT,
        "the normal clients were served while the slow connections were open ({served_by:?})"
    );
    assert!(
        slowest < Duration::from_millis(500),
        "a normal request took {slowest:?} during the attack"
    );

    // A body sent too slowly is cut with 408.
    let mut stream = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let started = Instant::now();
    let request = format!(
        "POST /v1/responses HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: 500\r\n\r\n{{\"response_id\":"
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the slow body was not cut");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#""error":"timeout""#), "{answer}");
    let waited = started.elapsed();
    assert!(
        (Duration::from_millis(1400)..Duration::from_secs(5)).contains(&waited),
        "cut after {waited:?}, not after the request timeout of 1.5 s"
    );

    for task in closed {
        let closed_after = task.await.expect("task");
        let Some(closed_after) = closed_after else {
            panic!("a slow connection was still open 10 s after it stalled");
        };
        assert!(
            closed_after >= served_by,
            "a slow connection was closed after {closed_after:?}, before the normal clients were done"
        );
    }
}

/// The soft limit on open files of this process, from `/proc/self/limits`.
fn open_files_limit() -> u64 {
    let limits = std::fs::read_to_string("/proc/self/limits").expect("/proc/self/limits");
    limits
        .lines()
        .find(|line| line.starts_with("Max open files"))
        .and_then(|line| line.split_whitespace().nth(3))
        .and_then(|soft| soft.parse().ok())
        .unwrap_or(u64::MAX)
}

on_both! {
/// `survey-collector serve`, stopped with SIGTERM while requests are still arriving: every request
/// already in flight is read to its end, answered 201 and stored; none is cut off.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_drains_requests_in_flight_and_loses_none() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    const IN_FLIGHT: u32 = 10;
    let db = TestDatabase::new().await;
    let (mut running, addr, _) = start_on(&db, &["serve"]);
    let mut streams = Vec::new();
    for n in 0..IN_FLIGHT {
        let body = payload(100 + n);
        let (head, rest) = body.split_at(body.len() / 2);
        let mut stream = tokio::net::TcpStream::connect(&addr).await.expect("connect");
        let request = format!(
            "POST /v1/responses HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{head}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await.expect("send the first half");
        streams.push((stream, rest.to_owned()));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let pid = running.0.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(killed.is_ok_and(|s| s.success()), "kill -TERM");
    tokio::time::sleep(Duration::from_millis(300)).await;
    for (stream, rest) in &mut streams {
        stream.write_all(rest.as_bytes()).await.expect("send the second half");
    }
    for (mut stream, _) in streams {
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.expect("read");
        assert_eq!(status_of(&answer), 201, "{answer}");
    }
    let started = Instant::now();
    while running.0.try_wait().expect("wait").is_none() {
        assert!(started.elapsed() < Duration::from_secs(10), "no exit after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
    let pool = db.pool().await;
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM responses")
        .fetch_one(&pool)
        .await
        .expect("count");
    pool.close().await;
    assert_eq!(rows, i64::from(IN_FLIGHT));
}
}
