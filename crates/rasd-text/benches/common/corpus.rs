//! The bodies the text-level benches run over: the first articles of
//! SaudiNewsNet (`../shared/data/saudinewsnet.jsonl.gz` beside the
//! checkout). Shared by path (`#[path]`) with the dedup bench, so both
//! measure the same slice.

use std::io::BufRead;

/// Where the corpus is expected, for the skip message.
pub const CORPUS: &str = "../shared/data/saudinewsnet.jsonl.gz";

/// The `content` of the first `articles` records, `None` when the corpus is absent.
pub fn bodies(articles: usize) -> Option<Vec<String>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(CORPUS);
    let file = std::fs::File::open(&path).ok()?;
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
    let bodies = reader
        .lines()
        .take(articles)
        .filter_map(|line| {
            let value: serde_json::Value = serde_json::from_str(&line.ok()?).ok()?;
            Some(value.get("content")?.as_str()?.to_owned())
        })
        .collect();
    Some(bodies)
}
