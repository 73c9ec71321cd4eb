//! End-to-end tests of `rasd ingest` and the archive's read commands:
//! idempotence, versions, duplicate groups, JSON output, and data
//! directories that cannot be used (newer schema, read-only, full, locked,
//! not a database).

mod common;
mod store_fixture;

use common::{json_lines, rasd};
use predicates::str::contains;
use std::path::Path;
use store_fixture::{assert_sound, count, database, export_sorted, write_articles};

fn ingest(data: &Path, input: &Path) -> assert_cmd::assert::Assert {
    rasd()
        .args(["ingest", "--format", "json", "--data"])
        .arg(data)
        .arg(input)
        .assert()
}

fn summary(assert: &assert_cmd::assert::Assert) -> serde_json::Value {
    json_lines(&assert.get_output().stdout).remove(0)
}

#[test]
fn ingest_is_idempotent_and_groups_copies() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write_articles(&tmp.path().join("أخبار.jsonl"), 200);
    let data = tmp.path().join("data");
    let first = ingest(&data, &input).success();
    let s = summary(&first);
    assert_eq!(s["articles_read"], 200);
    assert_eq!(s["new"], 200);
    assert_eq!(s["exact_duplicates"], 20, "{s}");
    assert_eq!(s["near_duplicates"], 20, "{s}");
    assert_eq!(s["errors"]["total"], 0);
    let before = export_sorted(&data);

    let second = ingest(&data, &input).success();
    let s = summary(&second);
    assert_eq!(
        (s["new"].as_u64(), s["unchanged"].as_u64()),
        (Some(0), Some(200))
    );
    assert_eq!(export_sorted(&data), before, "re-ingesting changed nothing");
    assert_sound(&data);

    let stats = rasd()
        .args(["stats", "--format", "json", "--data"])
        .arg(&data)
        .assert()
        .success();
    let stats = json_lines(&stats.get_output().stdout).remove(0);
    assert_eq!(stats["articles"], 200);
    assert_eq!(stats["duplicate_groups"], 160);
    assert_eq!(stats["ingest_runs"], 2);
    assert_eq!(stats["by_source"].as_array().unwrap().len(), 5);
}

#[test]
fn article_shows_its_group_and_listing_filters() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write_articles(&tmp.path().join("a.jsonl"), 20);
    let data = tmp.path().join("data");
    ingest(&data, &input).success();
    let listed = rasd()
        .args([
            "articles",
            "--format",
            "json",
            "--source",
            "سبق",
            "--since",
            "2015-07-01",
            "--until",
            "2015-07-28",
            "--data",
        ])
        .arg(&data)
        .assert()
        .success();
    let listed = json_lines(&listed.get_output().stdout);
    assert_eq!(listed.len(), 4);
    assert!(listed.iter().all(|a| a["source"] == "سبق"));

    // Article 9 is an exact copy of article 8, published a day later.
    let all = rasd()
        .args(["export", "--data"])
        .arg(&data)
        .assert()
        .success();
    let all = json_lines(&all.get_output().stdout);
    let copy = all
        .iter()
        .find(|a| a["url"].as_str().unwrap().ends_with("/article/9"))
        .unwrap();
    let original = all
        .iter()
        .find(|a| a["url"].as_str().unwrap().ends_with("/article/8"))
        .unwrap();
    assert_eq!(copy["duplicate_group"], original["id"]);
    let detail = rasd()
        .args(["article", "--format", "json", "--data"])
        .arg(&data)
        .arg(copy["id"].as_str().unwrap())
        .assert()
        .success();
    let detail = json_lines(&detail.get_output().stdout).remove(0);
    let members = detail["group"]["members"].as_array().unwrap();
    assert_eq!(members.len(), 2);
    assert_eq!(members[0]["id"], original["id"]);
    assert_eq!(members[0]["canonical"], true);
    assert_eq!(members[1]["kind"], "exact");

    rasd()
        .args(["article", "--data"])
        .arg(&data)
        .arg("0000000000000000")
        .assert()
        .code(1)
        .stderr(contains("not found"));
    rasd()
        .args(["articles", "--since", "21-07-2015", "--data"])
        .arg(&data)
        .assert()
        .code(2);
}

#[test]
fn a_changed_article_is_stored_as_a_new_version() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let input = tmp.path().join("a.jsonl");
    let line = |title: &str| {
        serde_json::json!({"url": "https://sabq.org/1", "title": title, "body": "نص الخبر عن افتتاح المعرض في الرياض.", "published": "2015-07-21"}).to_string()
    };
    std::fs::write(&input, line("افتتاح المعرض") + "\n").unwrap();
    ingest(&data, &input).success();
    std::fs::write(&input, line("افتتاح المعرض الدولي") + "\n").unwrap();
    let s = summary(&ingest(&data, &input).success());
    assert_eq!(s["new_versions"], 1);
    let listed = rasd()
        .args(["articles", "--format", "json", "--data"])
        .arg(&data)
        .assert()
        .success();
    let listed = json_lines(&listed.get_output().stdout);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["version"], 2);
    assert_eq!(export_sorted(&data).len(), 2, "the old version is kept");
}

#[test]
fn bad_records_are_reported_and_the_rest_is_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let input = tmp.path().join("mixed.jsonl");
    let good =
        serde_json::json!({"url": "https://a.sa/1", "title": "خبر", "body": "نص الخبر الأول."})
            .to_string();
    std::fs::write(&input, format!("{good}\n{{\"title\": \"مكسور\"\n")).unwrap();
    let out = rasd()
        .args(["ingest", "--format", "json", "--data"])
        .arg(&data)
        .arg(&input)
        .assert()
        .code(1);
    let s = summary(&out);
    assert_eq!(s["new"], 1);
    assert_eq!(s["errors"]["total"], 1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("mixed.jsonl"), "{stderr}");
}

#[test]
fn a_newer_schema_is_refused_without_damage() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write_articles(&tmp.path().join("a.jsonl"), 10);
    let data = tmp.path().join("data");
    ingest(&data, &input).success();
    database(&data)
        .execute_batch("PRAGMA user_version = 999")
        .unwrap();
    let before = std::fs::read(data.join("archive.db")).unwrap();
    rasd()
        .args(["ingest", "--data"])
        .arg(&data)
        .arg(&input)
        .assert()
        .code(2)
        .stderr(contains("newer"));
    rasd()
        .args(["articles", "--data"])
        .arg(&data)
        .assert()
        .code(2)
        .stderr(contains("newer"));
    assert_eq!(std::fs::read(data.join("archive.db")).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn a_read_only_data_dir_is_refused_for_writing_but_readable() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let input = write_articles(&tmp.path().join("a.jsonl"), 10);
    let data = tmp.path().join("data");
    ingest(&data, &input).success();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();
    let write = rasd()
        .args(["ingest", "--data"])
        .arg(&data)
        .arg(&input)
        .assert();
    let read = rasd()
        .args(["articles", "--format", "json", "--data"])
        .arg(&data)
        .assert();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    write.code(2).stderr(contains("read-only"));
    assert_eq!(json_lines(&read.success().get_output().stdout).len(), 10);
}

#[test]
fn a_full_archive_stops_cleanly_and_resumes() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write_articles(&tmp.path().join("a.jsonl"), 1200);
    let data = tmp.path().join("data");
    rasd()
        .args(["ingest", "--batch", "100", "--max-size-mib", "1", "--data"])
        .arg(&data)
        .arg(&input)
        .assert()
        .code(2)
        .stderr(contains("full"));
    assert_sound(&data);
    let stored = count(&data, "SELECT count(*) FROM articles");
    assert!(
        stored > 0 && stored < 1200 && stored % 100 == 0,
        "whole batches only: {stored}"
    );
    ingest(&data, &input).success();
    let clean = tmp.path().join("clean");
    ingest(&clean, &input).success();
    assert_eq!(export_sorted(&data), export_sorted(&clean));
}

#[test]
fn a_held_write_lock_fails_writers_clearly_and_readers_go_on() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write_articles(&tmp.path().join("a.jsonl"), 10);
    let data = tmp.path().join("data");
    ingest(&data, &input).success();
    let db = database(&data);
    db.execute_batch("BEGIN IMMEDIATE; UPDATE articles SET title = title;")
        .unwrap();
    rasd()
        .args(["ingest", "--lock-timeout", "0.3", "--data"])
        .arg(&data)
        .arg(&input)
        .assert()
        .code(2)
        .stderr(contains("locked by another process"));
    let read = rasd()
        .args(["articles", "--format", "json", "--data"])
        .arg(&data)
        .assert()
        .success();
    assert_eq!(json_lines(&read.get_output().stdout).len(), 10);
    db.execute_batch("COMMIT").unwrap();
}

#[test]
fn unusable_data_dirs_get_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    rasd()
        .args(["stats", "--data"])
        .arg(tmp.path().join("nowhere"))
        .assert()
        .code(2)
        .stderr(contains("no archive"));
    let junk = tmp.path().join("junk");
    std::fs::create_dir(&junk).unwrap();
    std::fs::write(junk.join("archive.db"), "هذا ليس أرشيفا ".repeat(500)).unwrap();
    rasd()
        .args(["stats", "--data"])
        .arg(&junk)
        .assert()
        .code(2)
        .stderr(contains("not a rasd archive"));
}

#[test]
fn reindex_keeps_the_groups() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write_articles(&tmp.path().join("a.jsonl"), 100);
    let data = tmp.path().join("data");
    ingest(&data, &input).success();
    let before = export_sorted(&data);
    database(&data)
        .execute_batch("DELETE FROM lsh_bands")
        .unwrap();
    rasd()
        .args(["reindex", "--format", "json", "--data"])
        .arg(&data)
        .assert()
        .success();
    assert_eq!(export_sorted(&data), before);
    assert!(count(&data, "SELECT count(*) FROM lsh_bands") > 0);
}

#[test]
fn every_store_command_has_help() {
    for command in [
        "ingest", "articles", "article", "stats", "export", "reindex",
    ] {
        rasd()
            .args([command, "--help"])
            .assert()
            .success()
            .stdout(contains("--data"));
    }
}
