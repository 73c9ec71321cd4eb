//! Scores the shipped model on the hand-made labels without refitting:
//! B-cubed F1 of `StoryClusterer::default()` on the labeled SaudiNewsNet
//! slice (date order), with full text and with titles only.
//!
//!   cargo run --release -p rasd-cluster --example score_labels -- \
//!       ../shared/data/saudinewsnet.jsonl.gz crates/rasd-cluster/model/labels.tsv

use flate2::read::GzDecoder;
use rasd_cluster::input::{parse_article, ArticleIn};
use rasd_cluster::metrics::bcubed;
use rasd_cluster::StoryClusterer;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: score_labels CORPUS.jsonl.gz LABELS.tsv";
    let corpus = args.get(1).ok_or(usage)?;
    let labels: HashMap<String, String> = std::fs::read_to_string(args.get(2).ok_or(usage)?)?
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(u, s)| (u.to_string(), s.to_string()))
        .collect();
    let reader = BufReader::new(GzDecoder::new(std::fs::File::open(corpus)?));
    let mut slice: Vec<(ArticleIn, String)> = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let a = parse_article(&line?, i + 1)?;
        if let Some(gold) = a.url.as_deref().and_then(|u| labels.get(u)) {
            let gold = gold.clone();
            slice.push((a, gold));
        }
    }
    slice.sort_by(|a, b| a.0.published.cmp(&b.0.published));
    for (name, titles_only) in [("full text", false), ("titles only", true)] {
        let mut c = StoryClusterer::default();
        let stories: Vec<u64> = slice
            .iter()
            .map(|(a, _)| {
                let mut a = a.clone();
                if titles_only {
                    a.body = None;
                }
                c.add(&a, None).story
            })
            .collect();
        let pairs: Vec<(u64, &str)> = stories
            .iter()
            .zip(&slice)
            .map(|(s, (_, g))| (c.resolve(*s), g.as_str()))
            .collect();
        let b = bcubed(&pairs);
        println!(
            "{name}: B-cubed F1 {:.3} (P {:.3}, R {:.3}) on {} articles",
            b.f1,
            b.precision,
            b.recall,
            slice.len()
        );
    }
    Ok(())
}
