//! The collector binary as a process the tests control: started on a free port with a given
//! database, killed with SIGKILL and started again on the same database, with a small raw
//! HTTP/1.1 client that reports a failed connection instead of panicking (a killed server is
//! the point of these tests).

use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

use super::TestDatabase;

/// A running collector, killed when dropped.
pub struct Collector {
    child: Child,
    /// `127.0.0.1:PORT`, from its startup line.
    pub addr: String,
    args: Vec<String>,
}

impl Collector {
    /// Starts the collector on `db` with `extra` flags, on a free port, serving no files.
    pub async fn start(db: &TestDatabase, extra: &[&str]) -> Collector {
        let mut args = db.flags();
        args.extend(extra.iter().map(|arg| (*arg).to_owned()));
        args.push("--static-dir".to_owned());
        args.push(db.dir.path().join("no-such-dir").display().to_string());
        Collector::spawn(args).await
    }

    /// Starts the collector with exactly these flags (plus a free port), serving no files.
    pub async fn start_with(args: &[&str]) -> Collector {
        let mut args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
        args.extend([
            "--static-dir".to_owned(),
            "/nonexistent/survey-static".to_owned(),
        ]);
        Collector::spawn(args).await
    }

    async fn spawn(args: Vec<String>) -> Collector {
        let mut command = Command::new(env!("CARGO_BIN_EXE_survey-collector"));
        // Only the flags given here count, not the developer's environment.
        for (name, _) in std::env::vars() {
            if name.starts_with("SURVEY_") {
                command.env_remove(name);
            }
        }
        let mut child = command
            .args(["--listen", "127.0.0.1:0"])
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn collector");
        let stdout = child.stdout.take().expect("stdout");
        let stdout = tokio::process::ChildStdout::from_std(stdout).expect("async stdout");
        let mut line = String::new();
        let read = tokio::time::timeout(
            Duration::from_secs(30),
            BufReader::new(stdout).read_line(&mut line),
        )
        .await;
        assert!(matches!(read, Ok(Ok(_))), "no startup line: {read:?}");
        let addr = line
            .strip_prefix("collector listening on http://")
            .and_then(|rest| rest.strip_suffix("/\n"))
            .unwrap_or_else(|| panic!("unexpected startup line {line:?}"))
            .to_owned();
        Collector { child, addr, args }
    }

    /// `kill -9`: the process gets no chance to finish anything.
    pub fn kill(&mut self) {
        // `Child::kill` sends SIGKILL on Unix.
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("wait");
    }

    /// Kills the collector with SIGKILL if it still runs, then starts it again with the same
    /// flags (on a new port).
    pub async fn restart(&mut self) {
        if self.child.try_wait().expect("wait").is_none() {
            self.kill();
        }
        let args = std::mem::take(&mut self.args);
        *self = Collector::spawn(args).await;
    }

    /// POSTs `body` to `/v1/responses`; see [`request`].
    pub async fn post(&self, body: &str) -> Option<Answer> {
        request(&self.addr, "POST", "/v1/responses", body).await
    }

    /// GETs `path`; see [`request`].
    pub async fn get(&self, path: &str) -> Option<Answer> {
        request(&self.addr, "GET", path, "").await
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A whole HTTP answer.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The header block, lowercased, one `name: value` per line.
    pub headers: String,
    /// The body.
    pub body: String,
}

/// Sends one request over a fresh connection (`Connection: close`) and reads the whole
/// answer; `None` if the connection failed or closed without a complete answer, as when the
/// server is killed. Gives up after 20 s.
pub async fn request(addr: &str, method: &str, path: &str, body: &str) -> Option<Answer> {
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
        let content_type = if body.is_empty() {
            String::new()
        } else {
            format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            )
        };
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{content_type}Connection: close\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await.ok()?;
        stream.write_all(body.as_bytes()).await.ok()?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.ok()?;
        let raw = String::from_utf8(raw).ok()?;
        let (head, body) = raw.split_once("\r\n\r\n")?;
        let (status_line, headers) = head.split_once("\r\n").unwrap_or((head, ""));
        let status = status_line.split(' ').nth(1)?.parse().ok()?;
        // Connection: close and a Content-Length: the body is complete only if it is all here.
        let length = headers
            .to_ascii_lowercase()
            .lines()
            .find_map(|line| line.strip_prefix("content-length: ")?.trim().parse().ok());
        if length.is_some_and(|length: usize| body.len() != length) {
            return None;
        }
        Some(Answer {
            status,
            headers: headers.to_ascii_lowercase(),
            body: body.to_owned(),
        })
    };
    tokio::time::timeout(Duration::from_secs(20), exchange)
        .await
        .ok()
        .flatten()
}

/// A valid payload v1 whose `response_id` and transaction id are derived from `n`: distinct
/// `n`, distinct responses.
pub fn distinct_payload(n: u64) -> String {
    format!(
        r#"{{"response_id":"{}","survey":{{"id":"default","version":1}},"transaction":{{"id":"T-{n}","type":"bill_payment","unit":"城东供电营业厅"}},"answers":{{"satisfaction":4,"reasons":[],"comment":"办得很快"}},"locale":"zh-CN","submitted_at":"2026-11-27T08:30:00.123Z","page":"https://95598.example.cn/hall/pay","widget_version":"0.1.0"}}"#,
        response_id(n)
    )
}

/// The `response_id` of [`distinct_payload`]`(n)`.
pub fn response_id(n: u64) -> String {
    format!("7d444840-9dc0-41d2-a1b4-{n:012x}")
}
