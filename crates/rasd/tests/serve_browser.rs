//! Browser test of the web page: `rasd serve` on the fixture archive, then
//! `node tests/browser/web.mjs` drives headless Chromium (playwright-core)
//! through the home page, a story, a search, a topic timeline, an entity and
//! the hostile article, checking the right-to-left layout and that markup in
//! titles renders as text. Screenshots go to `target/screenshots/`.
//!
//! Skips with a message when `node_modules` or `/usr/bin/chromium` is
//! missing, unless `RASD_REQUIRE_BROWSER=1` (CI), where that is a failure.

#[path = "common/server.rs"]
mod server;

use server::{fixture, Server};
use std::path::{Path, PathBuf};
use std::process::Command;

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

fn chromium() -> PathBuf {
    std::env::var_os("RASD_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Whether the browser tools are installed; `None` after saying why not.
fn tools_or_skip() -> Option<()> {
    let required = std::env::var("RASD_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let mut missing = Vec::new();
    if !browser_dir().join("node_modules/playwright-core").is_dir() {
        missing.push("node_modules (run `npm ci` in crates/rasd/tests/browser)".to_string());
    }
    if !chromium().exists() {
        missing.push(format!(
            "{} (apt-get install chromium)",
            chromium().display()
        ));
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node".to_string());
    }
    if missing.is_empty() {
        return Some(());
    }
    assert!(
        !required,
        "RASD_REQUIRE_BROWSER=1 but missing: {}",
        missing.join(", ")
    );
    eprintln!("skipping the browser test: missing {}", missing.join(", "));
    None
}

#[test]
fn the_web_page_works_in_headless_chromium() {
    if tools_or_skip().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(
        &dir.path().join("data"),
        &[&fixture("articles.jsonl"), &fixture("injection.jsonl")],
        None,
    );
    // The workspace's target dir: CARGO_TARGET_DIR, else <workspace>/target.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let shots = target.join("screenshots");
    let output = Command::new("node")
        .current_dir(browser_dir())
        .arg("web.mjs")
        .arg(format!("http://{}", server.addr))
        .arg(&shots)
        .arg(chromium())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "browser checks failed:\n{stdout}");
    assert!(stdout.contains("browser checks passed"));
    for page in ["home", "story", "search", "injection", "topic"] {
        let png = shots.join(format!("desktop-{page}.png"));
        assert!(png.is_file(), "no screenshot {}", png.display());
    }
}
