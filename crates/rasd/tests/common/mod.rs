//! Helpers shared by the end-to-end tests: the `rasd` binary as a command,
//! and the `../shared` data folder beside the checkout.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::PathBuf;

/// `../shared` beside the checkout (or `$RASD_SHARED`), if present.
///
/// Tests that need it call [`shared_or_skip`] so a checkout without the
/// data still passes its other tests, with a message saying what was skipped.
pub fn shared_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("RASD_SHARED") {
        let dir = PathBuf::from(dir);
        return dir.is_dir().then_some(dir);
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    dir.is_dir().then(|| dir.canonicalize().unwrap_or(dir))
}

/// The shared folder, or `None` after printing why the caller skips.
pub fn shared_or_skip(test: &str) -> Option<PathBuf> {
    let dir = shared_dir();
    if dir.is_none() {
        eprintln!("skipping {test}: ../shared is not beside the checkout (set RASD_SHARED)");
    }
    dir
}

/// A command running the `rasd` binary under test.
pub fn rasd() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("rasd").expect("the rasd binary is built");
    cmd.env_remove("RUST_LOG").env("NO_COLOR", "1");
    cmd
}

/// Parses JSON Lines output.
pub fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}
