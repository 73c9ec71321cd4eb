//! End-to-end tests of the PostgreSQL store (`--store postgres://…`) on a
//! throwaway server (crates/rasd-store/tests/pg; skipped without PostgreSQL
//! unless `RASD_REQUIRE_POSTGRES=1`): the archive commands read the same as
//! on SQLite, concurrent ingest workers share one clusterer, a server
//! restart during ingest loses and doubles nothing, and a second API server
//! keeps serving when the first is killed.

mod common;
#[path = "../../rasd-store/tests/pg/mod.rs"]
mod pg;

use pg::TempPostgres;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TOKEN: &str = "pg-token-5e1a";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/serve_fixture/articles.jsonl")
}

/// The first `n` SaudiNewsNet lines as a JSONL file, or `None` without ../shared.
fn saudinewsnet(dir: &Path, n: usize, test: &str) -> Option<PathBuf> {
    let shared = common::shared_or_skip(test)?;
    let gz = std::fs::File::open(shared.join("data/saudinewsnet.jsonl.gz")).ok()?;
    let reader = BufReader::new(flate2::read::MultiGzDecoder::new(gz));
    let path = dir.join(format!("saudinewsnet-{n}.jsonl"));
    let mut out = std::fs::File::create(&path).unwrap();
    for line in reader.lines().take(n) {
        writeln!(out, "{}", line.unwrap()).unwrap();
    }
    Some(path)
}

/// `rasd ingest --format json` into `data` (and `store` when given); the summary.
fn ingest(data: &Path, store: Option<&str>, inputs: &[&Path], batch: usize) -> Value {
    let mut cmd = common::rasd();
    cmd.args(["--no-progress", "ingest", "--format", "json", "--batch"])
        .arg(batch.to_string())
        .arg("--data")
        .arg(data);
    if let Some(url) = store {
        cmd.args(["--store", url]);
    }
    let out = cmd.args(inputs).assert().success();
    common::json_lines(&out.get_output().stdout).pop().unwrap()
}

/// A read command's JSON output.
fn read(data: &Path, store: Option<&str>, args: &[&str]) -> Vec<Value> {
    let mut cmd = common::rasd();
    cmd.arg("--no-progress")
        .arg(args[0])
        .arg("--data")
        .arg(data);
    if let Some(url) = store {
        cmd.env("RASD_STORE", url);
    }
    let out = cmd
        .args(&args[1..])
        .args(["--format", "json"])
        .assert()
        .success();
    common::json_lines(&out.get_output().stdout)
}

/// Every article id with its duplicate group (the archive's content).
fn articles_and_groups(data: &Path, store: Option<&str>) -> BTreeMap<String, String> {
    read(data, store, &["articles", "--limit", "100000"])
        .into_iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_string(),
                a["duplicate_group"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn unclustered(server: &TempPostgres, url: &str) -> i64 {
    server
        .client(url)
        .query_one(
            "SELECT count(*) FROM articles a WHERE superseded = 0
             AND NOT EXISTS (SELECT 1 FROM story_members m WHERE m.article = a.seq)",
            &[],
        )
        .unwrap()
        .get(0)
}

#[test]
fn archive_commands_read_the_same_from_postgresql_as_from_sqlite() {
    let Some(server) = TempPostgres::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = server.create_database();
    let mut inputs = vec![fixture()];
    let seeds = common::shared_dir().map(|shared| shared.join("seeds"));
    inputs.extend(seeds.clone());
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let (sqlite, local) = (dir.path().join("sqlite"), dir.path().join("local"));
    let a = ingest(&sqlite, None, &inputs, 3);
    let b = ingest(&local, Some(&url), &inputs, 3);
    assert_eq!(b["clusterer"], true);
    for field in ["new", "exact_duplicates", "near_duplicates"] {
        assert_eq!(a[field], b[field], "{field}: {a} vs {b}");
    }
    assert!(b["new"].as_u64().unwrap() >= 8, "{b}");
    assert!(
        !local.join("archive.db").exists(),
        "nothing in the local SQLite file"
    );
    for args in [
        vec!["articles"],
        vec!["stories"],
        vec!["topics"],
        vec!["entities"],
        vec!["quotes"],
        vec!["search", "جدة"],
        vec!["search", "أمطار"],
    ] {
        let (on_sqlite, on_postgres) =
            (read(&sqlite, None, &args), read(&local, Some(&url), &args));
        // The fixture's articles quote no one; the seeds do.
        if args != ["quotes"] || seeds.is_some() {
            assert!(!on_sqlite.is_empty(), "{args:?} lists something");
        }
        assert_eq!(on_postgres, on_sqlite, "rasd {args:?}");
    }
    // Re-ingesting into PostgreSQL adds nothing.
    let again = ingest(&local, Some(&url), &inputs, 3);
    assert_eq!(again["new"], 0, "{again}");
    assert_eq!(unclustered(&server, &url), 0);
}

#[test]
fn concurrent_workers_share_one_clusterer_and_store_each_article_once() {
    let Some(server) = TempPostgres::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let Some(corpus) = saudinewsnet(dir.path(), 100, "concurrent_workers") else {
        return;
    };
    let url = server.create_database();
    // Two workers, each on the whole corpus (every article offered twice).
    let workers: Vec<Child> = (0..2)
        .map(|i| {
            Command::new(env!("CARGO_BIN_EXE_rasd"))
                .args([
                    "--no-progress",
                    "ingest",
                    "--format",
                    "json",
                    "--batch",
                    "25",
                ])
                .arg("--data")
                .arg(dir.path().join(format!("worker{i}")))
                .args(["--store", &url])
                .arg(&corpus)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut summaries = Vec::new();
    let mut stderrs = String::new();
    for worker in workers {
        let out = worker.wait_with_output().unwrap();
        stderrs += &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderrs}");
        summaries.push(common::json_lines(&out.stdout).pop().unwrap());
    }
    let stored: u64 = summaries.iter().map(|s| s["new"].as_u64().unwrap()).sum();
    let baseline_dir = dir.path().join("sqlite");
    let baseline = ingest(&baseline_dir, None, &[&corpus], 20);
    assert_eq!(
        stored,
        baseline["new"].as_u64().unwrap(),
        "each article stored once: {summaries:?}"
    );
    assert!(
        summaries.iter().any(|s| s["clusterer"] == true),
        "{summaries:?}"
    );
    assert_eq!(unclustered(&server, &url), 0, "every article is in a story");
    let shared = articles_and_groups(&dir.path().join("worker0"), Some(&url));
    let alone = articles_and_groups(&baseline_dir, None);
    assert_eq!(
        shared.keys().collect::<Vec<_>>(),
        alone.keys().collect::<Vec<_>>()
    );
    assert_eq!(
        partition(&shared),
        partition(&alone),
        "the same duplicate groups"
    );
}

/// Duplicate groups as sets of member ids (independent of which id names them).
fn partition(groups: &BTreeMap<String, String>) -> BTreeSet<BTreeSet<String>> {
    let mut by_group: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (id, group) in groups {
        by_group.entry(group).or_default().insert(id.clone());
    }
    by_group.into_values().collect()
}

#[test]
fn a_postgresql_restart_during_ingest_loses_and_doubles_nothing() {
    let Some(server) = TempPostgres::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let Some(corpus) = saudinewsnet(dir.path(), 160, "postgresql_restart") else {
        return;
    };
    let url = server.create_database();
    let local = dir.path().join("local");
    let worker = Command::new(env!("CARGO_BIN_EXE_rasd"))
        .args([
            "--no-progress",
            "ingest",
            "--format",
            "json",
            "--batch",
            "10",
        ])
        .arg("--data")
        .arg(&local)
        .args(["--store", &url])
        .arg(&corpus)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Restart once some batches are in, while the rest are still coming.
    let started = Instant::now();
    let mut client = server.client(&url);
    loop {
        let stored: i64 = client
            .query_one("SELECT count(*) FROM articles", &[])
            .map(|r| r.get(0))
            .unwrap_or(0);
        if stored >= 40 || started.elapsed() > Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(client);
    server.restart();
    let out = worker.wait_with_output().unwrap();
    if !out.status.success() {
        // Could not reconnect in time: a re-run resumes (ingest is idempotent).
        eprintln!("first run failed: {}", String::from_utf8_lossy(&out.stderr));
        ingest(&local, Some(&url), &[&corpus], 5);
    }
    let sqlite = dir.path().join("sqlite");
    ingest(&sqlite, None, &[&corpus], 5);
    let restarted = articles_and_groups(&local, Some(&url));
    let uninterrupted = articles_and_groups(&sqlite, None);
    assert_eq!(
        restarted.len(),
        uninterrupted.len(),
        "nothing lost or doubled"
    );
    assert_eq!(
        restarted.keys().collect::<Vec<_>>(),
        uninterrupted.keys().collect::<Vec<_>>()
    );
    assert_eq!(partition(&restarted), partition(&uninterrupted));
    let total: i64 = server
        .client(&url)
        .query_one("SELECT count(*) FROM articles", &[])
        .unwrap()
        .get(0);
    assert_eq!(total as usize, uninterrupted.len(), "no row stored twice");
    assert_eq!(unclustered(&server, &url), 0);
}

/// `rasd serve --store URL --data DATA` on a free port.
struct ApiServer {
    child: Child,
    addr: String,
    /// What the server wrote on stderr so far (it is also echoed).
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ApiServer {
    fn start(data: &Path, url: &str) -> ApiServer {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rasd"))
            .args([
                "--no-progress",
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--reload-every",
                "0.2",
            ])
            .arg("--data")
            .arg(data)
            .args(["--store", url])
            .env("RASD_TOKEN", TOKEN)
            .env_remove("RUST_LOG")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let collected = std::sync::Arc::clone(&stderr);
        let errors = BufReader::new(child.stderr.take().unwrap());
        std::thread::spawn(move || {
            for line in errors.lines().map_while(Result::ok) {
                eprintln!("{line}");
                let mut all = collected.lock().unwrap();
                all.push_str(&line);
                all.push('\n');
            }
        });
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("rasd serve prints its URL").unwrap();
            if let Some(at) = line.find("http://") {
                break line[at + 7..].trim_end_matches('/').to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        ApiServer {
            child,
            addr,
            stderr,
        }
    }

    /// Stops the server with SIGTERM, as a service manager does; returns
    /// whether it exited cleanly and what it wrote on stderr.
    fn terminate(mut self) -> (bool, String) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = self.child.wait().unwrap();
        // The stderr reader ends with the process; give it a moment to drain.
        std::thread::sleep(Duration::from_millis(200));
        let stderr = self.stderr.lock().unwrap().clone();
        (status.success(), stderr)
    }

    /// (status, body) of one request.
    fn request(&self, method: &str, target: &str, body: &[u8]) -> (u16, String) {
        let mut stream = std::net::TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let head = format!(
            "{method} {target} HTTP/1.0\r\nHost: {}\r\nAuthorization: Bearer {TOKEN}\r\n\
             Content-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut raw = String::new();
        let _ = stream.read_to_string(&mut raw);
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, body.to_string())
    }

    fn get_json(&self, target: &str) -> Value {
        let (status, body) = self.request("GET", target, b"");
        assert_eq!(status, 200, "{target}: {body}");
        serde_json::from_str(&body).unwrap()
    }
}

#[test]
fn a_killed_api_server_leaves_the_other_serving_the_same_data() {
    let Some(server) = TempPostgres::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = server.create_database();
    ingest(&dir.path().join("ingest"), Some(&url), &[&fixture()], 4);
    let first = ApiServer::start(&dir.path().join("api1"), &url);
    let second = ApiServer::start(&dir.path().join("api2"), &url);
    let search = "/api/search?q=%D8%AC%D8%AF%D8%A9"; // جدة
    let stories = first.get_json("/api/stories");
    let found = first.get_json(search);
    assert_eq!(second.get_json("/api/stories"), stories);
    assert_eq!(second.get_json(search), found);

    // Load on the first, then kill -9 it mid-load.
    let target = first.addr.clone();
    let load = std::thread::spawn(move || {
        for _ in 0..200 {
            let Ok(mut s) = std::net::TcpStream::connect(&target) else {
                break;
            };
            let _ = s.write_all(b"GET /api/stories HTTP/1.0\r\n\r\n");
            let _ = s.read_to_end(&mut Vec::new());
        }
    });
    std::thread::sleep(Duration::from_millis(100));
    let mut first = first;
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    load.join().unwrap();
    assert_eq!(second.get_json("/api/stories"), stories);
    assert_eq!(second.get_json(search), found);

    // A page POSTed to the survivor is stored in the shared archive.
    let page = r#"{"id": "pg-post-1", "url": "https://okaz.example/pg-1", "source": "عكاظ", "published": "2015-11-18", "title": "افتتاح مستشفى جديد في تبوك", "body": "افتتح أمير منطقة تبوك اليوم مستشفى جديدا بسعة ثلاثمئة سرير لخدمة سكان المنطقة والمحافظات التابعة لها."}"#;
    let (status, body) = second.request("POST", "/api/pages", format!("{page}\n").as_bytes());
    assert_eq!(status, 200, "{body}");
    let listed = read(&dir.path().join("ingest"), Some(&url), &["articles"]);
    assert!(
        listed
            .iter()
            .any(|a| a["url"] == "https://okaz.example/pg-1"),
        "the POSTed page is in the shared archive"
    );

    // A clean stop closes the pooled PostgreSQL connections without a panic
    // (they used to be dropped on a runtime worker, where the synchronous
    // client may not block).
    let (clean, stderr) = second.terminate();
    assert!(clean, "rasd serve exits 0 on SIGTERM:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
