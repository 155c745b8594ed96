//! The `collector` binary as a real process: its startup line, a request over TCP, and a
//! graceful stop on SIGTERM.

#![cfg(unix)]

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
    let database = dir.path().join("survey.sqlite");
    let mut command = Command::new(env!("CARGO_BIN_EXE_collector"));
    for var in [
        "SURVEY_LISTEN",
        "SURVEY_DATABASE",
        "SURVEY_STATIC_DIR",
        "SURVEY_DEMO",
        "SURVEY_ALLOWED_ORIGINS",
    ] {
        command.env_remove(var);
    }
    let child = command
        .args(["--listen", "127.0.0.1:0", "--database"])
        .arg(&database)
        .arg("--static-dir")
        .arg(dir.path().join("no-such-dir"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn collector");
    let mut running = Running(child);
    let mut stdout = BufReader::new(running.0.stdout.take().expect("stdout"));

    let mut line = String::new();
    stdout.read_line(&mut line).expect("startup line");
    let addr = line
        .strip_prefix("collector listening on http://")
        .and_then(|rest| rest.strip_suffix("/\n"))
        .unwrap_or_else(|| panic!("unexpected startup line {line:?}"));
    assert!(!addr.ends_with(":0"), "the real port is printed: {addr}");
    assert!(database.exists(), "the database file is created");

    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
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
