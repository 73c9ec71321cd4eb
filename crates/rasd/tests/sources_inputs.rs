//! Inputs as a user gives them to the binary: stdin, folders with bad
//! files, gzip'd pages. Each bad input is one `rasd: <origin>: <error>`
//! line on stderr with exit status 1, and the rest of the batch goes on.

mod common;

const PAGE: &str = "ترامب يلتقي نتنياهو في البيت الأبيض\n\nالتقى الرئيس الأمريكي رئيس الوزراء الإسرائيلي في البيت الأبيض يوم الاثنين لبحث الملفات الإقليمية.\n\nوقال البيت الأبيض في بيان إن اللقاء تناول الأوضاع في المنطقة.";

#[test]
fn stdin_reads_like_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.txt");
    std::fs::write(&path, PAGE).unwrap();
    let from_file = common::rasd()
        .args(["extract", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let from_stdin = common::rasd()
        .args(["extract", "--format", "json", "-"])
        .write_stdin(PAGE)
        .output()
        .unwrap();
    assert!(from_file.status.success() && from_stdin.status.success());
    let (a, b) = (
        &common::json_lines(&from_file.stdout)[0],
        &common::json_lines(&from_stdin.stdout)[0],
    );
    assert_eq!(a["title"], b["title"]);
    assert_eq!(a["body"], b["body"]);
    assert_eq!(b["path"], "-");
}

#[test]
fn bad_files_are_reported_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.bin"), [0u8, 1, 2, 3, 0, 255]).unwrap();
    std::fs::write(dir.path().join("b.txt"), "").unwrap();
    std::fs::write(
        dir.path().join("c.txt.gz"),
        rasd_sources::testkit::gzip(PAGE.as_bytes()),
    )
    .unwrap();
    let out = common::rasd()
        .args(["extract", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let a = dir.path().join("a.bin").display().to_string();
    let b = dir.path().join("b.txt").display().to_string();
    assert!(stderr.contains(&format!("rasd: {a}: not text")), "{stderr}");
    assert!(stderr.contains(&format!("rasd: {b}: empty")), "{stderr}");
    let articles = common::json_lines(&out.stdout);
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0]["title"], "ترامب يلتقي نتنياهو في البيت الأبيض");
}
