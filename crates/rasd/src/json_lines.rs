//! Line-by-line reading of JSON Lines inputs (files, `.gz`, `-` for stdin)
//! for the commands that take articles or pairs without a store.

use anyhow::Context;
use std::fmt::Display;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Opens a JSONL input: a file, a gzipped file, or stdin for `-`.
pub fn open_lines(path: &Path) -> anyhow::Result<Box<dyn BufRead>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(std::io::BufReader::new(std::io::stdin())));
    }
    let file =
        std::fs::File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(std::io::BufReader::new(
            flate2::read::MultiGzDecoder::new(file),
        )))
    } else {
        Ok(Box::new(std::io::BufReader::new(file)))
    }
}

/// Hands every non-blank line of `paths` to `each` with its path and 1-based
/// line number, and returns whether any input failed.
///
/// `each` answers `Ok(Err(reason))` for a bad line, which is reported as
/// `rasd: <path>: <reason>` and skipped, and `Err` to stop the whole command
/// (stdout closed, say). An unreadable file or line is reported and the
/// next file goes on.
pub fn for_each_line<E: Display>(
    paths: &[PathBuf],
    mut each: impl FnMut(&Path, usize, &str) -> anyhow::Result<Result<(), E>>,
) -> anyhow::Result<bool> {
    let mut failed = false;
    for path in paths {
        let reader = match open_lines(path) {
            Ok(r) => r,
            Err(err) => {
                eprintln!("rasd: {err:#}");
                failed = true;
                continue;
            }
        };
        for (i, line) in reader.lines().enumerate() {
            let line = match line {
                Ok(l) => l,
                Err(err) => {
                    eprintln!("rasd: {}: line {}: {err}", path.display(), i + 1);
                    failed = true;
                    break;
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            if let Err(reason) = each(path, i + 1, &line)? {
                eprintln!("rasd: {}: {reason}", path.display());
                failed = true;
            }
        }
    }
    Ok(failed)
}
