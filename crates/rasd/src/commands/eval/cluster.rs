//! `rasd eval cluster`: story clustering against hand labels, B-cubed.
//!
//! Every input article is placed exactly as `rasd cluster` places it (the
//! whole stream, publication order); B-cubed precision, recall and F1 are
//! then taken over the articles that have a label. So a labeled slice is
//! judged among all the unlabeled articles around it, the distractors a
//! real stream has, not clustered on its own.

use crate::commands::cluster::{now_days, place_in_order, read_articles};
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use anyhow::Context;
use rasd_cluster::metrics::bcubed;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::PathBuf;

/// Score story clustering against labels (B-cubed precision, recall, F1).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSONL files of articles, as `rasd cluster` reads them (`.gz` allowed).
    #[arg(long = "input", required = true, num_args = 1..)]
    pub inputs: Vec<PathBuf>,
    /// The labels: `ID<TAB>STORY` per line, ID an article's `id` or `url`;
    /// lines starting with `#` are comments.
    #[arg(long, value_name = "FILE")]
    pub labels: PathBuf,
    /// Drop every body first: score clustering on titles alone.
    #[arg(long)]
    pub titles_only: bool,
    /// Drop every publication date first: score clustering by content
    /// alone, as for articles whose date is unknown.
    #[arg(long)]
    pub without_dates: bool,
    /// The current date (YYYY-MM-DD) for spotting future dates; default: today.
    #[arg(long)]
    pub now: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Most labels read: a label file is written by hand.
const MAX_LABELS: usize = 10_000_000;

/// Reads `ID<TAB>STORY` lines.
fn read_labels(path: &PathBuf) -> anyhow::Result<HashMap<String, String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let mut labels = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((id, story)) = line.split_once('\t') else {
            anyhow::bail!("{}: line {}: expected ID<TAB>STORY", path.display(), i + 1);
        };
        if labels.len() >= MAX_LABELS {
            anyhow::bail!("{}: more than {MAX_LABELS} labels", path.display());
        }
        if let Some(previous) = labels.insert(id.to_owned(), story.to_owned()) {
            if previous != story {
                anyhow::bail!(
                    "{}: line {}: {id} labeled both {previous:?} and {story:?}",
                    path.display(),
                    i + 1
                );
            }
        }
    }
    Ok(labels)
}

pub fn run(args: Args, globals: Globals) -> anyhow::Result<Outcome> {
    let labels = read_labels(&args.labels)?;
    let now = now_days(args.now.as_deref())?;
    let (mut articles, failed) = read_articles(&args.inputs)?;
    for (_, a) in &mut articles {
        if args.titles_only {
            a.body = None;
        }
        if args.without_dates {
            a.published = None;
        }
    }
    let (clusterer, placed) = place_in_order(&articles, now, globals.progress, "eval cluster");
    let mut scored: Vec<(u64, &str)> = Vec::new();
    let mut found: HashSet<&str> = HashSet::new();
    for ((id, article), assignment) in articles.iter().zip(&placed) {
        let Some(assignment) = assignment else {
            continue;
        };
        // Labels may name an article by its id or by its url.
        let key = [Some(id.as_str()), article.url.as_deref()]
            .into_iter()
            .flatten()
            .find(|k| labels.contains_key(*k));
        let Some(key) = key else { continue };
        if !found.insert(key) {
            continue; // the same article twice in the input counts once
        }
        scored.push((clusterer.resolve(assignment.story), labels[key].as_str()));
    }
    let score = bcubed(&scored);
    let missing = labels.len() - found.len();
    let stories: HashSet<u64> = scored.iter().map(|s| s.0).collect();
    let gold_stories: HashSet<&str> = scored.iter().map(|s| s.1).collect();
    let mut out = output::stdout();
    match args.format {
        Format::Json => output::write_json_line(
            &mut out,
            &json!({
                "articles": articles.len(),
                "labeled": scored.len(),
                "missing_labels": missing,
                "stories": stories.len(),
                "gold_stories": gold_stories.len(),
                "titles_only": args.titles_only,
                "without_dates": args.without_dates,
                "precision": score.precision,
                "recall": score.recall,
                "f1": score.f1,
            }),
        )?,
        Format::Text => {
            writeln!(
                out,
                "{} articles clustered, {} labeled ({} labels not in the input)",
                articles.len(),
                scored.len(),
                missing
            )?;
            writeln!(
                out,
                "B-cubed{}{}: precision {:.4} recall {:.4} F1 {:.4} ({} stories found, {} labeled)",
                if args.titles_only {
                    ", titles only"
                } else {
                    ""
                },
                if args.without_dates {
                    ", without dates"
                } else {
                    ""
                },
                score.precision,
                score.recall,
                score.f1,
                stories.len(),
                gold_stories.len()
            )?;
        }
    }
    out.flush()?;
    if scored.is_empty() {
        anyhow::bail!(
            "{}: no labeled article found in the input",
            args.labels.display()
        );
    }
    Ok(if failed {
        Outcome::PartialFailure
    } else {
        Outcome::Success
    })
}
