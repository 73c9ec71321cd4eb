//! Crash safety and concurrency of the archive, end to end: `rasd ingest`
//! killed with SIGKILL at many points and re-run gives exactly a clean run's
//! archive; readers work while an ingest is writing.

mod common;
mod store_fixture;

use common::{json_lines, rasd};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use store_fixture::{assert_sound, count, export_sorted, write_articles};

const ARTICLES: usize = 1000;
const BATCH: &str = "25";

fn spawn_ingest(data: &Path, input: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_rasd"))
        .args(["ingest", "--no-progress", "--batch", BATCH, "--data"])
        .arg(data)
        .arg(input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn rasd ingest")
}

/// A fixed-seed xorshift, so the kill points are the same on every run.
struct KillPoints(u64);

impl KillPoints {
    fn next_fraction(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % 10_000) as f64 / 10_000.0
    }
}

#[test]
fn killed_ingests_resume_to_exactly_a_clean_runs_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write_articles(&tmp.path().join("wire.jsonl"), ARTICLES);
    let clean = tmp.path().join("clean");
    let started = Instant::now();
    let status = spawn_ingest(&clean, &input).wait().unwrap();
    assert!(status.success());
    let clean_run = started.elapsed();
    let expected = export_sorted(&clean);
    assert_eq!(expected.len(), ARTICLES);

    let crashed = tmp.path().join("crashed");
    let mut points = KillPoints(0x7261_7364);
    let (mut interrupted, mut progressed) = (0, Vec::new());
    for _ in 0..12 {
        let mut child = spawn_ingest(&crashed, &input);
        std::thread::sleep(clean_run.mul_f64(points.next_fraction()));
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        child.kill().ok(); // SIGKILL on unix
        child.wait().unwrap();
        if crashed.join("archive.db").exists() {
            progressed.push(count(&crashed, "SELECT count(*) FROM articles"));
        }
    }
    eprintln!(
        "{interrupted} of 12 ingests killed mid-run; stored counts after each: {progressed:?}"
    );
    assert!(interrupted > 0, "no kill landed while ingest ran");
    for stored in &progressed {
        assert!(
            *stored % 25 == 0 || *stored == ARTICLES as i64,
            "a partial batch was committed: {stored}"
        );
    }
    assert_sound(&crashed);
    let status = spawn_ingest(&crashed, &input).wait().unwrap();
    assert!(status.success());
    assert_sound(&crashed);
    assert_eq!(
        export_sorted(&crashed),
        expected,
        "resumed archive differs from a clean run"
    );
}

#[test]
fn readers_list_articles_while_an_ingest_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write_articles(&tmp.path().join("wire.jsonl"), ARTICLES);
    let data = tmp.path().join("data");
    // A first batch, so readers have an archive to open.
    let small = write_articles(&tmp.path().join("first.jsonl"), 5);
    rasd()
        .args(["ingest", "--data"])
        .arg(&data)
        .arg(&small)
        .assert()
        .success();
    let mut writer = spawn_ingest(&data, &input);
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut reads_during_ingest = 0;
    while writer.try_wait().unwrap().is_none() && Instant::now() < deadline {
        let out = rasd()
            .args(["articles", "--format", "json", "--limit", "5", "--data"])
            .arg(&data)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "reader failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(json_lines(&out.stdout).len(), 5);
        let stats = rasd()
            .args(["stats", "--format", "json", "--data"])
            .arg(&data)
            .output()
            .unwrap();
        assert!(
            stats.status.success(),
            "stats failed: {}",
            String::from_utf8_lossy(&stats.stderr)
        );
        reads_during_ingest += 1;
    }
    assert!(writer.wait().unwrap().success());
    eprintln!("{reads_during_ingest} reads while the ingest ran");
    assert!(reads_during_ingest > 0, "the ingest ended before any read");
    assert_eq!(
        count(&data, "SELECT count(*) FROM articles"),
        ARTICLES as i64
    );
}
