//! TLS to PostgreSQL: `sslmode` in `--database-url` works with the collector's rustls build.
//! A cluster of the test's own has a certificate from a CA made here with `openssl`, and its
//! `pg_hba.conf` accepts TLS connections only, so a connection that works is encrypted.

#![cfg(unix)]

mod common;

use std::{
    path::Path,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use common::{
    Backend, TestDatabase,
    pg_cluster::{PgCluster, run},
    process::{Collector, distinct_payload},
};

/// Makes `ca.pem` and a server certificate for 127.0.0.1 signed by it (`server.pem`,
/// `server.key`) in `dir`, readable by the server.
fn certificates(dir: &Path, for_postgres: bool) {
    let openssl = |args: &[&str]| run(Command::new("openssl").current_dir(dir).args(args));
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]);
    std::fs::write(dir.join("san.ext"), "subjectAltName=IP:127.0.0.1\n").expect("ext file");
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "san.ext",
        "-out",
        "server.pem",
    ]);
    std::fs::write(
        dir.join("pg_hba.conf"),
        "hostssl all all 127.0.0.1/32 trust\n",
    )
    .expect("hba file");
    // The server reads them; it refuses a key others can read.
    run(Command::new("chmod").arg("755").arg(dir));
    run(Command::new("chmod").arg("600").arg(dir.join("server.key")));
    if for_postgres {
        run(Command::new("chown")
            .arg("postgres:")
            .arg(dir.join("server.key")));
    }
}

/// A cluster that accepts TLS connections only, and the dir holding `ca.pem`.
fn tls_only_cluster() -> (PgCluster, tempfile::TempDir) {
    let certs = tempfile::tempdir().expect("temp dir");
    let as_root = std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false);
    certificates(certs.path(), as_root);
    let path = |name: &str| certs.path().join(name).display().to_string();
    let cluster = PgCluster::start(&[
        "ssl=on",
        &format!("ssl_cert_file={}", path("server.pem")),
        &format!("ssl_key_file={}", path("server.key")),
        &format!("hba_file={}", path("pg_hba.conf")),
    ]);
    (cluster, certs)
}

/// Runs the collector with `url`; it must exit (fail) within 20 s. Returns its stderr.
fn fails_to_start(url: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_survey-collector"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            url,
            "--database-timeout",
            "1",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("the collector started with {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(!status.success());
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr)
        .expect("stderr");
    stderr
}

#[tokio::test]
async fn sslmode_require_and_verify_full_connect_over_tls_and_disable_is_refused() {
    let (cluster, certs) = tls_only_cluster();
    let base = cluster.url();
    let ca = certs.path().join("ca.pem").display().to_string();
    for url in [
        format!("{base}?sslmode=require"),
        format!("{base}?sslmode=verify-full&sslrootcert={ca}"),
    ] {
        let collector = Collector::start_with(&["--database-url", &url]).await;
        let answer = collector
            .post(&distinct_payload(1))
            .await
            .expect("an answer");
        assert!(matches!(answer.status, 200 | 201), "{url}: {answer:?}");
        let ready = collector.get("/readyz").await.expect("an answer");
        assert_eq!(ready.status, 200, "{url}: {ready:?}");
    }
    // The server takes TLS only, so without TLS the collector cannot start…
    let stderr = fails_to_start(&format!("{base}?sslmode=disable"));
    assert!(stderr.contains("cannot open the database"), "{stderr}");
    // …and verify-full checks the certificate: without the CA it is not trusted.
    fails_to_start(&format!("{base}?sslmode=verify-full"));
}

/// `sslmode=disable` reaches a server without TLS (the tests' shared server).
#[tokio::test]
async fn sslmode_disable_connects_without_tls() {
    let db = TestDatabase::of(Backend::Postgres).await;
    let url = format!("{}?sslmode=disable", db.url());
    let collector = Collector::start_with(&["--database-url", &url]).await;
    let answer = collector
        .post(&distinct_payload(2))
        .await
        .expect("an answer");
    assert_eq!(answer.status, 201, "{answer:?}");
}
