//! `rasd cluster`: Group articles of a JSONL file into stories and topics, without a store.
//!
//! Reads `{"id","title","body","published","source","lang"}` lines (files,
//! `.gz`, or `-` for stdin), places them in publication order with
//! [`rasd_cluster::StoryClusterer`] and writes `{"id","story","topic"}` per
//! article (plus `"dateless"` / `"future_date"` flags when set), in input order.

use crate::json_lines;
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use rasd_cluster::input::{parse_article, ArticleIn};
use rasd_cluster::{Assignment, StoryClusterer};
use std::io::Write;
use std::path::PathBuf;

/// Group articles of a JSONL file into stories and topics, without a store.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSONL files of articles (`.gz` allowed; `-` reads stdin).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The current date (YYYY-MM-DD) for spotting future dates; default: today.
    #[arg(long)]
    pub now: Option<String>,
}

/// Today in days since 1970-01-01 (the binary's clock; the library reads none).
pub(crate) fn today_days() -> Option<f64> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    Some(secs / 86_400.0)
}

#[derive(serde::Serialize)]
struct Row<'a> {
    id: &'a str,
    story: u64,
    topic: u64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    dateless: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    future_date: bool,
}

/// Reads `--now` (default: today) as days since 1970-01-01.
pub(crate) fn now_days(now: Option<&str>) -> anyhow::Result<Option<f64>> {
    Ok(match now {
        Some(text) => Some(
            rasd_cluster::time::parse_days(text)
                .ok_or_else(|| anyhow::anyhow!("--now {text:?} is not a YYYY-MM-DD date"))?,
        ),
        None => today_days(),
    })
}

/// Reads article lines from `paths`, each with the id it is reported by
/// (its `id`, else its `url`, else `path:line`); `true` when some line failed.
pub(crate) fn read_articles(paths: &[PathBuf]) -> anyhow::Result<(Vec<(String, ArticleIn)>, bool)> {
    let mut articles: Vec<(String, ArticleIn)> = Vec::new();
    let failed = json_lines::for_each_line(paths, |path, number, line| {
        Ok(parse_article(line, number).map(|a| {
            let id =
                a.id.clone()
                    .or_else(|| a.url.clone())
                    .unwrap_or_else(|| format!("{}:{number}", path.display()));
            articles.push((id, a));
        }))
    })?;
    Ok((articles, failed))
}

/// Places `articles` in publication order (stable; dateless ones last,
/// placed by content alone) with a fresh clusterer; the assignments come
/// back in input order.
pub(crate) fn place_in_order(
    articles: &[(String, ArticleIn)],
    now: Option<f64>,
    progress: bool,
    label: &'static str,
) -> (StoryClusterer, Vec<Option<Assignment>>) {
    let mut order: Vec<(Option<f64>, usize)> = articles
        .iter()
        .enumerate()
        .map(|(i, (_, a))| {
            (
                a.published
                    .as_deref()
                    .and_then(rasd_cluster::time::parse_days),
                i,
            )
        })
        .collect();
    order.sort_by(|a, b| match (a.0, b.0) {
        (Some(x), Some(y)) => x.total_cmp(&y).then(a.1.cmp(&b.1)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    });
    let bar = output::progress(progress, Some(articles.len() as u64), label);
    let mut clusterer = StoryClusterer::default();
    let mut placed = vec![None; articles.len()];
    for (_, i) in order {
        placed[i] = Some(clusterer.add(&articles[i].1, now));
        bar.inc(1);
    }
    bar.finish_and_clear();
    (clusterer, placed)
}

pub fn run(args: Args, globals: Globals) -> anyhow::Result<Outcome> {
    let now = now_days(args.now.as_deref())?;
    let (articles, failed) = read_articles(&args.paths)?;
    let (clusterer, placed) = place_in_order(&articles, now, globals.progress, "cluster");
    let mut out = output::stdout();
    for ((id, _), assignment) in articles.iter().zip(placed) {
        let Some(a) = assignment else { continue };
        let story = clusterer.resolve(a.story);
        let row = Row {
            id,
            story,
            topic: clusterer.topic(story).unwrap_or(a.topic),
            dateless: a.dateless,
            future_date: a.future_date,
        };
        match args.format {
            Format::Json => output::write_json_line(&mut out, &row)?,
            Format::Text => writeln!(out, "{}\t{}\t{}", row.id, row.story, row.topic)?,
        }
    }
    out.flush()?;
    Ok(if failed {
        Outcome::PartialFailure
    } else {
        Outcome::Success
    })
}
