//! A PostgreSQL cluster of a test's own, from Debian's `postgresql` package (which
//! `scripts/setup` installs): `initdb` into a temp dir, and `pg_ctl` to start it on a free
//! loopback port, stop it and start it again on the same port, as a test needs to take the
//! database away from a running collector. Removed when dropped.
//!
//! Like `scripts/test-postgres`: trust authentication, no fsync (the data is thrown away), the
//! socket in the temp dir, and, as root, `initdb` and the server run as the `postgres` user
//! (they refuse root).

use std::{
    os::unix::fs::MetadataExt,
    path::{Path, PathBuf},
    process::Command,
};

use tempfile::TempDir;

/// A throwaway PostgreSQL cluster.
pub struct PgCluster {
    dir: TempDir,
    bin: PathBuf,
    port: u16,
    settings: Vec<String>,
    as_postgres: bool,
}

impl PgCluster {
    /// Creates a cluster and starts it; `settings` are extra `name=value` server settings.
    pub fn start(settings: &[&str]) -> PgCluster {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()
            .and_then(|versions| {
                versions
                    .filter_map(|entry| Some(entry.ok()?.path().join("bin")))
                    .filter(|bin| bin.join("initdb").exists())
                    .max()
            })
            .unwrap_or_else(|| {
                panic!("no /usr/lib/postgresql/*/bin/initdb: run scripts/setup (it installs postgresql)")
            });
        let dir = tempfile::tempdir().expect("temp dir");
        let as_postgres = std::fs::metadata("/proc/self").map(|m| m.uid()).ok() == Some(0);
        if as_postgres {
            run(Command::new("chown").arg("postgres:").arg(dir.path()));
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let cluster = PgCluster {
            bin,
            port,
            settings: settings.iter().map(|s| (*s).to_owned()).collect(),
            as_postgres,
            dir,
        };
        // -N: no fsync of the new files; this cluster is thrown away.
        run(cluster
            .command("initdb")
            .arg("-N")
            .arg("-D")
            .arg(cluster.data())
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]));
        cluster.start_again();
        cluster
    }

    /// The directory the cluster lives in (owned by `postgres` when run as root).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The URL of its `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Stops the server (`pg_ctl stop -m fast`: open connections are ended), and waits.
    pub fn stop(&self) {
        run(self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "fast", "-w", "stop"]));
    }

    /// Starts the server (again), on the same port, and waits until it accepts connections.
    pub fn start_again(&self) {
        let mut options = format!(
            "-c listen_addresses=127.0.0.1 -c port={} -c unix_socket_directories={} \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            self.port,
            self.dir().display()
        );
        for setting in &self.settings {
            options.push_str(" -c ");
            options.push_str(setting);
        }
        run(self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.dir().join("server.log"))
            .args(["-w", "-t", "30", "-o", &options, "start"]));
    }

    /// A command running `program` of the cluster's PostgreSQL, as `postgres` when root.
    pub fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        }
    }

    /// Whether commands run as the `postgres` user (the tests run as root).
    pub fn as_postgres(&self) -> bool {
        self.as_postgres
    }

    fn data(&self) -> PathBuf {
        self.dir().join("data")
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        if self.data().join("postmaster.pid").exists() {
            let _ = self
                .command("pg_ctl")
                .arg("-D")
                .arg(self.data())
                .args(["-m", "immediate", "-w", "stop"])
                .output();
        }
    }
}

/// Runs `command`, panicking with its output if it fails.
pub fn run(command: &mut Command) {
    let output = command.output().expect("run a PostgreSQL command");
    assert!(
        output.status.success(),
        "{command:?} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
