//! `rasd eval dedup`: score dedup against exact 5-word-shingle Jaccard
//! (precision, recall). Glue: the ground truth is
//! `rasd_dedup::all_pairs::similar_pairs`, the scoring `rasd_dedup::score`.

use crate::commands::dedup::{open_input, read_articles, ConfigArgs};
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use anyhow::Context;
use rasd_dedup::all_pairs::similar_pairs;
use rasd_dedup::score::{score_groups, score_pairs, Bounds, PairScore};
use rasd_dedup::{group_signed, signature::shingle_set64, DedupConfig};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::time::Instant;

/// Score dedup against exact 5-word-shingle Jaccard (precision, recall).
///
/// Ground truth: every pair of articles whose 5-word shingle sets (of the
/// matching key) have Jaccard ≥ 0.8 is a duplicate, every pair below 0.5 is
/// not, pairs in between are left out (a body with fewer than 5 words is one
/// shingle of all its words, so its exact copies count as duplicates). It is computed exactly over all pairs
/// (prefix-filtering similarity join, no sampling). A predicted pair is two
/// articles `rasd dedup` puts in one group, or a line of `--pairs`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSONL articles (`.gz` read transparently), as for `rasd dedup`.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Score these pairs instead of `rasd dedup`'s groups: JSON Lines of
    /// `["id_a", "id_b"]` (e.g. from bench/dedup/datasketch_baseline.py).
    #[arg(long)]
    pub pairs: Option<PathBuf>,
    /// Output format (`json`: one object).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Serialize)]
struct Report {
    articles: usize,
    /// What was scored: `rasd dedup` or the `--pairs` file.
    scored: String,
    threshold: f64,
    bands: usize,
    rows: usize,
    #[serde(flatten)]
    score: PairScore,
    /// Seconds to read, sign and group (`rasd dedup` minus printing).
    dedup_seconds: f64,
    /// Seconds for the exact ground truth.
    truth_seconds: f64,
}

pub fn run(args: Args, globals: Globals) -> anyhow::Result<Outcome> {
    let cfg = args.config.build()?;
    let start = Instant::now();
    let read = read_articles(&args.paths, &cfg, globals.progress, true)?;
    let groups = group_signed(&read.signed, &cfg);
    let dedup_seconds = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let truth_cfg = DedupConfig::default();
    let sets: Vec<Vec<u64>> = read
        .articles
        .par_iter()
        .map(|a| shingle_set64(a.body.as_deref().unwrap_or(""), &truth_cfg))
        .collect();
    let bounds = Bounds::default();
    let truth = similar_pairs(&sets, bounds.distinct);
    drop(sets);
    let truth_seconds = start.elapsed().as_secs_f64();

    let (score, scored) = match &args.pairs {
        None => {
            let labels: Vec<usize> = groups.iter().map(|g| g.canonical).collect();
            (
                score_groups(&labels, &truth, bounds),
                "rasd dedup".to_string(),
            )
        }
        Some(path) => {
            let index: HashMap<&str, u32> = read
                .articles
                .iter()
                .enumerate()
                .map(|(i, a)| (a.id.as_str(), i as u32))
                .collect();
            let pairs = read_pairs(path, &index)?;
            (
                score_pairs(&pairs, &truth, bounds),
                path.display().to_string(),
            )
        }
    };
    let report = Report {
        articles: read.articles.len(),
        scored,
        threshold: cfg.threshold,
        bands: cfg.bands,
        rows: cfg.rows,
        score,
        dedup_seconds,
        truth_seconds,
    };
    let mut out = output::stdout();
    match args.format {
        Format::Json => output::write_json_line(&mut out, &report)?,
        Format::Text => {
            let s = &report.score;
            writeln!(out, "articles         {}", report.articles)?;
            writeln!(out, "scored           {}", report.scored)?;
            writeln!(
                out,
                "true pairs       {} (J ≥ 0.8), grey {} (0.5 ≤ J < 0.8)",
                s.true_pairs, s.grey_pairs
            )?;
            writeln!(
                out,
                "predicted pairs  {} (tp {}, fp {}, grey {}), fn {}",
                s.predicted_pairs,
                s.true_positives,
                s.false_positives,
                s.predicted_grey,
                s.false_negatives
            )?;
            writeln!(out, "precision        {:.4}", s.precision)?;
            writeln!(out, "recall           {:.4}", s.recall)?;
            writeln!(out, "dedup time       {:.2} s", report.dedup_seconds)?;
            writeln!(out, "truth time       {:.2} s", report.truth_seconds)?;
        }
    }
    out.flush()?;
    Ok(if read.failed > 0 {
        Outcome::PartialFailure
    } else {
        Outcome::Success
    })
}

/// Reads `["id_a", "id_b"]` lines; ids not among the articles are an error.
fn read_pairs(
    path: &std::path::Path,
    index: &HashMap<&str, u32>,
) -> anyhow::Result<Vec<(u32, u32)>> {
    let name = path.display().to_string();
    let reader = open_input(path).with_context(|| format!("cannot open {name}"))?;
    let mut pairs = Vec::new();
    for (no, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {name}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let (a, b): (String, String) = serde_json::from_str(&line)
            .with_context(|| format!("{name}:{}: expected [\"id_a\", \"id_b\"]", no + 1))?;
        let lookup = |id: &str| {
            index
                .get(id)
                .copied()
                .with_context(|| format!("{name}:{}: unknown article id {id:?}", no + 1))
        };
        pairs.push((lookup(&a)?, lookup(&b)?));
    }
    Ok(pairs)
}
