//! `rasd eval scrapinghub`: HTML extraction on the ScrapingHub
//! article-extraction benchmark, scored by its published method.
//!
//! Reads `DIR/ground-truth.json` (`{id: {articleBody, url}}`) and the pages
//! `DIR/html/ID.html.gz`, extracts each page's main article, and prints the
//! benchmark's metric: multiset word 4-gram shingles per page, TP/FP/FN
//! normalised per page, precision and recall averaged over pages, F1 the
//! harmonic mean of the two averages. This replicates
//! `shared/eval/score_scrapinghub.py` line by line; words are Python's
//! `\w+` (letters, digits and `_`, case kept).

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Context;
use rayon::prelude::*;

use crate::{Globals, Outcome};

/// Score HTML extraction on the ScrapingHub benchmark (shingle F1).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The benchmark folder: `ground-truth.json` and `html/*.html.gz`.
    #[arg(long, default_value = "../shared/eval/scrapinghub")]
    pub dir: PathBuf,
    /// Also write the predictions as JSON lines (`{"path","body"}`), for
    /// the Python scorer.
    #[arg(long)]
    pub write_pred: Option<PathBuf>,
    /// Print one line per page (id, precision, recall) before the summary.
    #[arg(long)]
    pub per_page: bool,
}

/// One page's shingle counts, normalised by their sum.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Overlap {
    tp: f64,
    fp: f64,
    fn_: f64,
}

/// Python's `re.findall(r'\w+', text)`.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Multiset of word 4-grams; a text shorter than 4 words is one shingle.
fn shingles(text: &str) -> HashMap<Vec<&str>, u32> {
    const N: usize = 4;
    let t = words(text);
    let mut out = HashMap::new();
    if t.is_empty() {
        return out;
    }
    let count = t.len().saturating_sub(N - 1).max(1);
    for i in 0..count {
        let gram = t[i..(i + N).min(t.len())].to_vec();
        *out.entry(gram).or_insert(0) += 1;
    }
    out
}

fn overlap(truth: &str, pred: &str) -> Overlap {
    let (a, b) = (shingles(truth), shingles(pred));
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for (k, &x) in &a {
        let y = b.get(k).copied().unwrap_or(0);
        tp += x.min(y) as f64;
        fn_ += x.saturating_sub(y) as f64;
    }
    for (k, &y) in &b {
        let x = a.get(k).copied().unwrap_or(0);
        fp += y.saturating_sub(x) as f64;
    }
    let s = tp + fp + fn_;
    if s == 0.0 {
        return Overlap {
            tp: 0.0,
            fp: 0.0,
            fn_: 0.0,
        };
    }
    Overlap {
        tp: tp / s,
        fp: fp / s,
        fn_: fn_ / s,
    }
}

/// The benchmark's summary.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Score {
    f1: f64,
    precision: f64,
    recall: f64,
}

fn score(pages: &[Overlap]) -> Score {
    let ps: Vec<f64> = pages
        .iter()
        .filter(|o| o.tp + o.fp > 0.0)
        .map(|o| o.tp / (o.tp + o.fp))
        .collect();
    let rs: Vec<f64> = pages
        .iter()
        .filter(|o| o.tp + o.fn_ > 0.0)
        .map(|o| o.tp / (o.tp + o.fn_))
        .collect();
    let mean = |v: &[f64]| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let (p, r) = (mean(&ps), mean(&rs));
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    Score {
        f1,
        precision: p,
        recall: r,
    }
}

#[derive(serde::Deserialize)]
struct Truth {
    #[serde(rename = "articleBody", default)]
    article_body: String,
}

pub fn run(args: Args, globals: Globals) -> anyhow::Result<Outcome> {
    let truth_path = args.dir.join("ground-truth.json");
    let truth: HashMap<String, Truth> = serde_json::from_slice(
        &std::fs::read(&truth_path).with_context(|| format!("reading {}", truth_path.display()))?,
    )
    .with_context(|| format!("parsing {}", truth_path.display()))?;
    let mut ids: Vec<&String> = truth.keys().collect();
    ids.sort();

    let bar = crate::output::progress(globals.progress, Some(ids.len() as u64), "scrapinghub");
    let html_dir = args.dir.join("html");
    // One page per input so a failing page is one failure, never a batch's.
    let results: Vec<(String, Result<String, String>)> = ids
        .par_iter()
        .map(|id| {
            let path = html_dir.join(format!("{id}.html.gz"));
            let result = extract_body(&path);
            bar.inc(1);
            ((*id).clone(), result)
        })
        .collect();
    bar.finish_and_clear();

    let mut failures = 0;
    let mut pages = Vec::with_capacity(results.len());
    let mut predicted = 0;
    let mut pred_out = match &args.write_pred {
        Some(p) => Some(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => None,
    };
    let mut out = crate::output::stdout();
    for (id, result) in &results {
        let body = match result {
            Ok(body) => {
                predicted += 1;
                body.as_str()
            }
            Err(err) => {
                failures += 1;
                eprintln!("rasd: {id}: {err}");
                ""
            }
        };
        if let (Some(w), Ok(_)) = (pred_out.as_mut(), result) {
            let line = serde_json::json!({"path": format!("{id}.html.gz"), "body": body});
            crate::output::write_json_line(w, &line)?;
        }
        let o = overlap(&truth[id].article_body, body);
        if args.per_page {
            let p = if o.tp + o.fp > 0.0 {
                o.tp / (o.tp + o.fp)
            } else {
                0.0
            };
            let r = if o.tp + o.fn_ > 0.0 {
                o.tp / (o.tp + o.fn_)
            } else {
                0.0
            };
            use std::io::Write;
            writeln!(out, "{id} p={p:.3} r={r:.3}")?;
        }
        pages.push(o);
    }
    if let Some(mut w) = pred_out {
        use std::io::Write;
        w.flush()?;
    }
    let s = score(&pages);
    {
        use std::io::Write;
        writeln!(
            out,
            "scrapinghub_f1={:.3} p={:.3} r={:.3} pages={} predicted={}",
            s.f1,
            s.precision,
            s.recall,
            truth.len(),
            predicted
        )?;
        out.flush()?;
    }
    if failures > 0 {
        tracing::info!(failures, "pages without a prediction");
    }
    Ok(Outcome::Success)
}

/// The body of the page's main article, through the same reader and
/// extractor as `rasd extract`.
fn extract_body(path: &std::path::Path) -> Result<String, String> {
    let opts = rasd_sources::InputOptions::default();
    let mut inputs = rasd_sources::open_inputs(&[path.to_path_buf()], &opts);
    match inputs.next() {
        Some(Ok(rasd_sources::Record::Page(page))) => rasd_extract::extract_page(&page, None)
            .map_err(|e| e.to_string())
            .map(|articles| {
                articles
                    .into_iter()
                    .next()
                    .map(|a| a.body)
                    .unwrap_or_default()
            }),
        Some(Ok(rasd_sources::Record::Article(a))) => Ok(a.body),
        Some(Err(e)) => Err(e.to_string()),
        None => Err("no page read".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_python_w() {
        assert_eq!(
            words("It's a co-op, snake_case 42!"),
            ["It", "s", "a", "co", "op", "snake_case", "42"]
        );
        assert_eq!(words("قال الوزير: ٣ نقاط"), ["قال", "الوزير", "٣", "نقاط"]);
    }

    #[test]
    fn short_texts_are_one_shingle() {
        assert_eq!(shingles("one two").len(), 1);
        assert_eq!(shingles("").len(), 0);
        let s = shingles("a b c d a b c d");
        assert_eq!(s.len(), 4);
        assert_eq!(s[&vec!["a", "b", "c", "d"]], 2);
    }

    #[test]
    fn perfect_and_empty_predictions() {
        let text = "the quick brown fox jumps over the lazy dog";
        let perfect = overlap(text, text);
        assert_eq!(score(&[perfect]).f1, 1.0);
        // An empty prediction gives no precision value and recall 0.
        let empty = overlap(text, "");
        assert_eq!((empty.tp, empty.fp, empty.fn_), (0.0, 0.0, 1.0));
        let s = score(&[perfect, empty]);
        assert_eq!((s.precision, s.recall), (1.0, 0.5));
    }

    #[test]
    fn partial_overlap() {
        // truth: 6 words → 3 shingles; pred shares the first 2 and adds 1.
        let o = overlap("a b c d e f", "a b c d e x");
        assert!((o.tp - 2.0 / 4.0).abs() < 1e-12);
        assert!((o.fp - 1.0 / 4.0).abs() < 1e-12);
        assert!((o.fn_ - 1.0 / 4.0).abs() < 1e-12);
    }
}
