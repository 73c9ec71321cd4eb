//! `rasd eval search`: the relevance check of the Arabic analyzer.
//!
//! Indexes SaudiNewsNet twice in a temporary directory, once with rasd's
//! Arabic analyzer and once with tantivy's default tokenizer, runs the
//! judged queries (`crates/rasd-search/eval/queries.tsv`, built into the
//! binary; `--queries` reads another file) on both and prints nDCG@10 per
//! query and the mean of each. Articles are named by their URL. With
//! `--pool N` it prints instead the union of both analyzers' top N per
//! query, with titles, for judging new queries.

use crate::output::{self, Format};
use crate::{Globals, Outcome};
use anyhow::Context;
use rasd_search::{Analyzer, IndexDoc, IndexOptions, SearchIndex, SearchRequest};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::PathBuf;

/// The judged queries shipped with rasd.
const QUERIES: &str = include_str!("../../../../rasd-search/eval/queries.tsv");
/// Rank cut-off of the score.
const K: usize = 10;

/// Score search relevance (nDCG@10) of the Arabic analyzer against tantivy's default tokenizer.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The SaudiNewsNet corpus (JSON lines, gzipped).
    #[arg(long, default_value = "../shared/data/saudinewsnet.jsonl.gz")]
    pub corpus: PathBuf,

    /// Judged queries: `query<TAB>relevant url<TAB>…` per line, `#` comments
    /// [default: the set built into rasd].
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,

    /// Print both analyzers' top N per query (pooled, with titles) for judging, instead of scoring.
    #[arg(long, value_name = "N")]
    pub pool: Option<usize>,

    /// Output format: text, or json (one line per query, then the summary).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// One judged query.
struct Judged {
    query: String,
    relevant: HashSet<String>,
}

#[derive(Serialize)]
struct QueryScore<'a> {
    query: &'a str,
    relevant: usize,
    arabic: f64,
    tantivy_default: f64,
}

#[derive(Serialize)]
struct Summary {
    queries: usize,
    documents: u64,
    ndcg10_arabic: f64,
    ndcg10_tantivy_default: f64,
}

fn parse_queries(text: &str) -> Vec<Judged> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let query = cols.next()?.trim().to_string();
            let relevant = cols
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect();
            Some(Judged { query, relevant })
        })
        .collect()
}

/// SaudiNewsNet articles, named by URL.
fn load_corpus(path: &PathBuf) -> anyhow::Result<Vec<IndexDoc>> {
    let file = std::fs::File::open(path).with_context(|| format!("{}", path.display()))?;
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
    let mut docs = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("{}: line {}", path.display(), n + 1))?;
        let v: serde_json::Value = serde_json::from_str(&line)
            .with_context(|| format!("{}: line {}", path.display(), n + 1))?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let Some(url) = s("url") else { continue };
        docs.push(IndexDoc {
            id: url.clone(),
            url: Some(url),
            path: None,
            title: s("title"),
            body: s("content").unwrap_or_default(),
            source: s("source"),
            published: s("date_extracted").map(|d| d.chars().take(10).collect()),
            lang: Some("ar".into()),
            entities: Vec::new(),
        });
    }
    Ok(docs)
}

fn build(
    dir: &std::path::Path,
    analyzer: Analyzer,
    docs: &[IndexDoc],
) -> anyhow::Result<SearchIndex> {
    let options = IndexOptions {
        analyzer,
        writer_heap_bytes: 400_000_000,
        writer_threads: 2,
    };
    let mut index = SearchIndex::open_with(dir, true, &options)?;
    index.upsert(docs)?;
    index.commit()?;
    Ok(index)
}

fn top(
    index: &SearchIndex,
    query: &str,
    n: usize,
) -> anyhow::Result<Vec<(String, Option<String>)>> {
    let request = SearchRequest {
        query: query.to_string(),
        limit: n,
        ..SearchRequest::default()
    };
    Ok(index
        .search(&request, &rasd_search::no_stories)?
        .hits
        .into_iter()
        .map(|h| (h.id, h.title))
        .collect())
}

/// nDCG@K with binary gains: DCG of the ranking over the DCG of an ideal one.
pub fn ndcg(ranked: &[String], relevant: &HashSet<String>) -> f64 {
    let gain = |i: usize| 1.0 / ((i + 2) as f64).log2();
    let dcg: f64 = ranked
        .iter()
        .take(K)
        .enumerate()
        .filter(|(_, id)| relevant.contains(*id))
        .map(|(i, _)| gain(i))
        .sum();
    let ideal: f64 = (0..relevant.len().min(K)).map(gain).sum();
    if ideal == 0.0 {
        0.0
    } else {
        dcg / ideal
    }
}

pub fn run(args: Args, globals: Globals) -> anyhow::Result<Outcome> {
    let text = match &args.queries {
        Some(path) => {
            std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?
        }
        None => QUERIES.to_string(),
    };
    let judged = parse_queries(&text);
    anyhow::ensure!(!judged.is_empty(), "no judged queries");
    let bar = output::progress(globals.progress, None, "indexing");
    let docs = load_corpus(&args.corpus)?;
    let temp = tempfile::tempdir()?;
    let arabic = build(&temp.path().join("arabic"), Analyzer::Arabic, &docs)?;
    let baseline = build(
        &temp.path().join("default"),
        Analyzer::TantivyDefault,
        &docs,
    )?;
    bar.finish_and_clear();
    let mut out = output::stdout();
    if let Some(n) = args.pool {
        let n = n.clamp(1, 100);
        for j in &judged {
            writeln!(out, "## {}", j.query)?;
            let mut seen = HashMap::new();
            for (name, index) in [("A", &arabic), ("D", &baseline)] {
                for (rank, (id, title)) in top(index, &j.query, n)?.into_iter().enumerate() {
                    let entry = seen.entry(id).or_insert((String::new(), title));
                    entry.0.push_str(&format!("{name}{} ", rank + 1));
                }
            }
            let mut pooled: Vec<_> = seen.into_iter().collect();
            pooled.sort();
            for (id, (ranks, title)) in pooled {
                let mark = if j.relevant.contains(&id) { "R" } else { "?" };
                writeln!(out, "{mark}\t{id}\t{}\t{ranks}", title.unwrap_or_default())?;
            }
        }
        out.flush()?;
        return Ok(Outcome::Success);
    }
    let (mut sum_a, mut sum_d) = (0.0, 0.0);
    for j in &judged {
        let ids = |index: &SearchIndex| -> anyhow::Result<Vec<String>> {
            Ok(top(index, &j.query, K)?
                .into_iter()
                .map(|(id, _)| id)
                .collect())
        };
        let score = QueryScore {
            query: &j.query,
            relevant: j.relevant.len(),
            arabic: ndcg(&ids(&arabic)?, &j.relevant),
            tantivy_default: ndcg(&ids(&baseline)?, &j.relevant),
        };
        sum_a += score.arabic;
        sum_d += score.tantivy_default;
        match args.format {
            Format::Json => output::write_json_line(&mut out, &score)?,
            Format::Text => writeln!(
                out,
                "{:.3}  {:.3}  ({} relevant)  {}",
                score.arabic, score.tantivy_default, score.relevant, score.query
            )?,
        }
    }
    let summary = Summary {
        queries: judged.len(),
        documents: arabic.num_docs(),
        ndcg10_arabic: sum_a / judged.len() as f64,
        ndcg10_tantivy_default: sum_d / judged.len() as f64,
    };
    match args.format {
        Format::Json => output::write_json_line(&mut out, &summary)?,
        Format::Text => writeln!(
            out,
            "nDCG@10 over {} queries, {} articles: Arabic analyzer {:.3}, tantivy default tokenizer {:.3}",
            summary.queries, summary.documents, summary.ndcg10_arabic, summary.ndcg10_tantivy_default
        )?,
    }
    out.flush()?;
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndcg_rewards_relevant_articles_ranked_first() {
        let relevant: HashSet<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
        let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(ndcg(&own(&["a", "b", "c"]), &relevant), 1.0);
        assert_eq!(ndcg(&own(&["c", "d"]), &relevant), 0.0);
        let late = ndcg(&own(&["c", "a", "b"]), &relevant);
        assert!(late > 0.0 && late < 1.0);
    }

    #[test]
    fn shipped_queries_parse() {
        let judged = parse_queries(QUERIES);
        assert!(judged.len() >= 20);
        assert!(judged
            .iter()
            .all(|j| !j.query.is_empty() && !j.relevant.is_empty()));
    }
}
