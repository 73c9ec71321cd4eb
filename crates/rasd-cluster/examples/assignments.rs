//! Prints the assignments of a JSONL corpus as `rasd cluster --format json`
//! does (same reading, order and output), from this crate alone, to check
//! that a speed change leaves every assignment as it was without building
//! the whole binary:
//!
//!   cargo run --release -p rasd-cluster --example assignments -- ../shared/data/saudinewsnet.jsonl.gz 2025-01-01 > new.json
//!   rasd cluster --format json --now 2025-01-01 ../shared/data/saudinewsnet.jsonl.gz | cmp - new.json

use flate2::read::MultiGzDecoder;
use rasd_cluster::input::{parse_article, ArticleIn};
use rasd_cluster::time::parse_days;
use rasd_cluster::StoryClusterer;
use std::io::{BufRead, BufReader, Write};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(now)) = (args.get(1), args.get(2)) else {
        return Err("usage: assignments CORPUS.jsonl.gz YYYY-MM-DD".into());
    };
    let now = parse_days(now).ok_or("the date is not YYYY-MM-DD")?;
    let reader = BufReader::new(MultiGzDecoder::new(std::fs::File::open(path)?));
    let mut articles: Vec<(String, ArticleIn)> = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let a = parse_article(&line, i + 1)?;
        let id =
            a.id.clone()
                .or_else(|| a.url.clone())
                .unwrap_or_else(|| format!("{path}:{}", i + 1));
        articles.push((id, a));
    }
    let mut order: Vec<(Option<f64>, usize)> = articles
        .iter()
        .enumerate()
        .map(|(i, (_, a))| (a.published.as_deref().and_then(parse_days), i))
        .collect();
    order.sort_by(|a, b| match (a.0, b.0) {
        (Some(x), Some(y)) => x.total_cmp(&y).then(a.1.cmp(&b.1)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    });
    let start = Instant::now();
    let mut clusterer = StoryClusterer::default();
    let mut placed = vec![None; articles.len()];
    for (_, i) in order {
        placed[i] = Some(clusterer.add(&articles[i].1, Some(now)));
    }
    eprintln!(
        "{} articles clustered in {:.2}s",
        articles.len(),
        start.elapsed().as_secs_f64()
    );
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for ((id, _), assignment) in articles.iter().zip(placed) {
        let Some(a) = assignment else { continue };
        let story = clusterer.resolve(a.story);
        let mut row = serde_json::json!({
            "id": id,
            "story": story,
            "topic": clusterer.topic(story).unwrap_or(a.topic),
        });
        if a.dateless {
            row["dateless"] = true.into();
        }
        if a.future_date {
            row["future_date"] = true.into();
        }
        writeln!(out, "{row}")?;
    }
    out.flush()?;
    Ok(())
}
