//! A throwaway PostgreSQL server for tests: `initdb` in a temporary
//! directory, `pg_ctl start` on a free loopback port, one database per
//! test, `pg_ctl stop -m immediate` on drop. The Debian packages' binaries
//! are found in /usr/lib/postgresql/*/bin or on PATH; when they are missing
//! the tests skip with a message, unless `RASD_REQUIRE_POSTGRES=1`, when they
//! fail. Running as root (CI), the server runs as the `postgres` user the
//! Debian package creates, since `initdb` refuses root.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub struct TempPostgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    pub port: u16,
    run_as: Option<String>,
    databases: AtomicUsize,
}

fn find_bin() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path().join("bin"))
                .filter(|p| p.join("initdb").is_file() && p.join("pg_ctl").is_file())
                .collect()
        })
        .unwrap_or_default();
    versions.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    if let Some(bin) = versions.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .find(|p| p.join("initdb").is_file() && p.join("pg_ctl").is_file())
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

impl TempPostgres {
    /// Starts a server, or `None` (after saying why) when PostgreSQL is not installed.
    pub fn start() -> Option<TempPostgres> {
        let required = std::env::var("RASD_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
        let Some(bin) = find_bin() else {
            assert!(
                !required,
                "RASD_REQUIRE_POSTGRES=1 but no initdb/pg_ctl found (run .ci/postgres.sh)"
            );
            eprintln!("skipped: PostgreSQL (initdb, pg_ctl) is not installed; see .ci/postgres.sh");
            return None;
        };
        let run_as = is_root().then(|| "postgres".to_string());
        let dir = tempfile::Builder::new()
            .prefix("rasd-pg-")
            .tempdir()
            .expect("a temporary directory");
        if let Some(user) = &run_as {
            let status = Command::new("chown")
                .args(["-R", user])
                .arg(dir.path())
                .status()
                .expect("chown");
            assert!(status.success(), "chown {} to {user}", dir.path().display());
        }
        let port = free_port();
        let server = TempPostgres {
            bin,
            dir,
            port,
            run_as,
            databases: AtomicUsize::new(0),
        };
        let data = server.data_dir();
        let out = server.pg(
            "initdb",
            &[
                "-D",
                path_str(&data),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-locale",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        assert!(
            out.status.success(),
            "initdb failed: {}\n{}",
            stderr(&out),
            std::fs::read_to_string(server.dir.path().join("commands.log")).unwrap_or_default()
        );
        server.ctl_start();
        Some(server)
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn pg(&self, program: &str, args: &[&str]) -> Output {
        let exe = self.bin.join(program);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        // Never pipes: a server pg_ctl forks must not hold them open.
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("commands.log"))
            .expect("a command log");
        cmd.args(args)
            .current_dir(self.dir.path())
            .stdin(std::process::Stdio::null())
            .stdout(log.try_clone().expect("a command log"))
            .stderr(log)
            .output()
            .unwrap_or_else(|e| panic!("running {}: {e}", exe.display()))
    }

    fn server_options(&self) -> String {
        format!(
            "-k {} -p {} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off",
            self.dir.path().display(),
            self.port
        )
    }

    fn ctl_start(&self) {
        let data = self.data_dir();
        let log = self.dir.path().join("server.log");
        let out = self.pg(
            "pg_ctl",
            &[
                "start",
                "-w",
                "-D",
                path_str(&data),
                "-l",
                path_str(&log),
                "-o",
                &self.server_options(),
            ],
        );
        assert!(
            out.status.success(),
            "pg_ctl start failed: {}\n{}",
            stderr(&out),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        self.wait_ready();
    }

    fn wait_ready(&self) {
        let started = Instant::now();
        loop {
            if postgres::Client::connect(&self.url("postgres"), postgres::NoTls).is_ok() {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "PostgreSQL did not accept connections on port {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// `pg_ctl restart -m fast`: every connection is dropped.
    pub fn restart(&self) {
        let data = self.data_dir();
        let out = self.pg(
            "pg_ctl",
            &[
                "restart",
                "-w",
                "-m",
                "fast",
                "-D",
                path_str(&data),
                "-l",
                path_str(&self.dir.path().join("server.log")),
                "-o",
                &self.server_options(),
            ],
        );
        assert!(
            out.status.success(),
            "pg_ctl restart failed: {}",
            stderr(&out)
        );
        self.wait_ready();
    }

    /// The URL of database `db` on this server.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Creates a fresh database; returns its URL.
    pub fn create_database(&self) -> String {
        let n = self.databases.fetch_add(1, Ordering::SeqCst);
        let name = format!("rasd_test_{n}");
        let mut admin =
            postgres::Client::connect(&self.url("postgres"), postgres::NoTls).expect("connect");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("CREATE DATABASE");
        self.url(&name)
    }

    /// A client on `url` for checks the store's API does not offer.
    pub fn client(&self, url: &str) -> postgres::Client {
        postgres::Client::connect(url, postgres::NoTls).expect("connect")
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        let data = self.data_dir();
        let _ = self.pg(
            "pg_ctl",
            &["stop", "-m", "immediate", "-D", path_str(&data)],
        );
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temporary path")
}

fn stderr(out: &Output) -> String {
    format!(
        "exit {}; see the commands.log and server.log of the test server",
        out.status
    )
}
