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

const ARTICLES: usize = 600;
const BATCH: &str = "20";
const KILLS: usize = 12;

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

/// Articles stored so far, or `None` while the archive is being created.
fn try_count(data: &Path) -> Option<i64> {
    let db = rusqlite::Connection::open_with_flags(
        data.join("archive.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .ok()?;
    db.busy_timeout(Duration::from_secs(5)).ok()?;
    db.query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
        .ok()
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
    let status = spawn_ingest(&clean, &input).wait().unwrap();
    assert!(status.success());
    let expected = export_sorted(&clean);
    assert_eq!(expected.len(), ARTICLES);

    let crashed = tmp.path().join("crashed");
    let mut points = KillPoints(0x7261_7364);
    let (mut interrupted, mut progressed) = (0, Vec::new());
    for k in 0..KILLS {
        // Kill points follow the archive's progress, not the clock: the
        // k-th run is killed soon after the archive passes a k-th share of
        // the input, plus a random few milliseconds, mid-batch or mid-commit.
        let target = (ARTICLES * (k + 1) / (KILLS + 1)) as i64;
        let mut child = spawn_ingest(&crashed, &input);
        let give_up = Instant::now() + Duration::from_secs(60);
        while child.try_wait().unwrap().is_none() && Instant::now() < give_up {
            if crashed.join("archive.db").exists()
                && try_count(&crashed).is_some_and(|n| n >= target)
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_micros(
            (points.next_fraction() * 30_000.0) as u64,
        ));
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        child.kill().ok(); // SIGKILL on unix
        child.wait().unwrap();
        progressed.push(try_count(&crashed).unwrap_or(0));
    }
    eprintln!("{interrupted} of {KILLS} ingests killed mid-run; articles stored after each: {progressed:?}");
    assert!(
        interrupted >= KILLS / 2,
        "too few kills landed while ingest ran: {interrupted}"
    );
    assert!(
        progressed.last() < Some(&(ARTICLES as i64)),
        "the crashes left nothing to resume"
    );
    for stored in &progressed {
        assert!(*stored % 20 == 0, "a partial batch was committed: {stored}");
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
