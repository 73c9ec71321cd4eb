//! Fits the pairwise model of `rasd similar` (`model/pairs.json`): a ridge
//! regression of the graded SemEval-2022 same-story similarity
//! (`(4 − overall) / 3`) on [`pair_vector`]'s features, clamped to [0, 1].
//! Reports the honest number first: the leave-one-out Pearson and accuracy
//! (each pair scored by weights and a threshold fitted without it), then the
//! in-sample ones. With a corpus, cross-checks the fitted score on the
//! hand-labeled SaudiNewsNet slice (`model/labels.tsv`, never fitted on):
//! ROC AUC of the score for same-story pairs and balanced accuracy at the
//! threshold, over every positive pair and the negatives that look related
//! (whole-text token cosine ≥ 0.1).
//!
//!   cargo run --release -p rasd-cluster --example fit_pairs -- \
//!       ../shared/eval/semeval2022-ar crates/rasd-cluster/model \
//!       ../shared/data/saudinewsnet.jsonl.gz

use flate2::read::GzDecoder;
use rasd_cluster::input::{parse_article, parse_pair, ArticleIn};
use rasd_cluster::metrics::pearson;
use rasd_cluster::pairs::{pair_vector, PairScorer, PairWeights, FEATURE_NAMES, PAIR_FEATURES};
use rasd_cluster::vectorize::Vectorizer;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};

/// Ridge penalty on the non-bias weights, set before looking at the CV
/// score (the features are cosines in [0, 1]; 54 pairs).
const RIDGE: f64 = 0.1;
/// The features the model uses; the rest get weight 0.
const ACTIVE: [usize; 5] = [1, 2, 3, 4, 5];
const HARD_NEGATIVE_COSINE: f32 = 0.1;

struct Pair {
    x: [f32; PAIR_FEATURES],
    informative: bool,
    similarity: f64,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: fit_pairs SEMEVAL_DIR MODEL_DIR [CORPUS.jsonl.gz]";
    let semeval = std::path::PathBuf::from(args.get(1).ok_or(usage)?);
    let model_dir = std::path::PathBuf::from(args.get(2).ok_or(usage)?);
    let scorer = PairScorer::new(Vectorizer::default(), PairWeights::default());
    let pairs = read_semeval(&semeval, &scorer)?;
    let sims: Vec<f64> = pairs.iter().map(|p| p.similarity).collect();
    for (k, name) in FEATURE_NAMES.iter().enumerate().skip(1) {
        let f: Vec<f64> = pairs.iter().map(|p| f64::from(p.x[k])).collect();
        eprintln!("feature {name}: Pearson {:.4}", pearson(&f, &sims));
    }
    let unjudged = pairs.iter().filter(|p| !p.informative).count();
    eprintln!(
        "{} pairs, {unjudged} with a side that is not an article",
        pairs.len()
    );

    // Leave one out: weights, uninformative score and threshold all fitted
    // without the held-out pair.
    let (mut held_scores, mut held_hits) = (Vec::new(), 0usize);
    for i in 0..pairs.len() {
        let train: Vec<&Pair> = pairs
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, p)| p)
            .collect();
        let w = fit(&train);
        let s = score(&w, &pairs[i]);
        held_scores.push(f64::from(s));
        held_hits += usize::from((s >= w.threshold) == is_same(&pairs[i]));
    }
    let cv_pearson = pearson(&held_scores, &sims);
    let cv_acc = held_hits as f64 / pairs.len() as f64;
    let all: Vec<&Pair> = pairs.iter().collect();
    let mut weights = fit(&all);
    let in_scores: Vec<f64> = pairs
        .iter()
        .map(|p| f64::from(score(&weights, p)))
        .collect();
    let in_pearson = pearson(&in_scores, &sims);
    let in_acc = pairs
        .iter()
        .zip(&in_scores)
        .filter(|(p, s)| (**s >= f64::from(weights.threshold)) == is_same(p))
        .count() as f64
        / pairs.len() as f64;
    let mut note = format!(
        "fitted by examples/fit_pairs.rs: ridge (alpha {RIDGE}) of the SemEval-2022 ar similarity on features {:?} of {} pairs ({unjudged} not judgeable: the training mean); leave-one-out Pearson {cv_pearson:.4}, accuracy {cv_acc:.4}; in-sample Pearson {in_pearson:.4}, accuracy {in_acc:.4}",
        ACTIVE.map(|k| FEATURE_NAMES[k]),
        pairs.len()
    );
    if let Some(corpus) = args.get(3) {
        let scorer = PairScorer::new(Vectorizer::default(), weights.clone());
        let (auc, bal) = cross_check(corpus, &model_dir.join("labels.tsv"), &scorer)?;
        note.push_str(&format!(
            "; SaudiNewsNet labeled slice (not fitted): AUC {auc:.4}, balanced accuracy {bal:.4}"
        ));
    }
    println!("{note}");
    weights.note = note;
    std::fs::write(
        model_dir.join("pairs.json"),
        serde_json::to_string_pretty(&weights)? + "\n",
    )?;
    Ok(())
}

fn is_same(p: &Pair) -> bool {
    // overall ≤ 2 ⇔ similarity ≥ 2/3
    p.similarity >= 2.0 / 3.0 - 1e-6
}

fn score(w: &PairWeights, p: &Pair) -> f32 {
    if p.informative {
        w.similarity(&p.x)
    } else {
        w.uninformative
    }
}

/// Ridge weights on the judgeable pairs, the training mean for the rest, and
/// the threshold that classifies the training pairs best.
fn fit(train: &[&Pair]) -> PairWeights {
    let judged: Vec<&&Pair> = train.iter().filter(|p| p.informative).collect();
    let dims = ACTIVE.len() + 1;
    let row = |p: &Pair| -> Vec<f64> {
        std::iter::once(1.0)
            .chain(ACTIVE.iter().map(|k| f64::from(p.x[*k])))
            .collect()
    };
    let mut a = vec![vec![0.0; dims]; dims];
    let mut b = vec![0.0; dims];
    for p in &judged {
        let r = row(p);
        for i in 0..dims {
            b[i] += r[i] * p.similarity;
            for j in 0..dims {
                a[i][j] += r[i] * r[j];
            }
        }
    }
    for (i, line) in a.iter_mut().enumerate().skip(1) {
        line[i] += RIDGE;
    }
    let beta = solve(a, b);
    let mut weights = vec![0.0f32; PAIR_FEATURES];
    weights[0] = beta[0] as f32;
    for (slot, k) in ACTIVE.iter().enumerate() {
        weights[*k] = beta[slot + 1] as f32;
    }
    let mean = train.iter().map(|p| p.similarity).sum::<f64>() / train.len().max(1) as f64;
    let mut w = PairWeights {
        weights,
        uninformative: mean as f32,
        ..PairWeights::default()
    };
    let scores: Vec<f32> = train.iter().map(|p| score(&w, p)).collect();
    let mut cuts: Vec<f32> = scores.clone();
    cuts.sort_by(f32::total_cmp);
    let accuracy = |t: f32| {
        train
            .iter()
            .zip(&scores)
            .filter(|(p, s)| (**s >= t) == is_same(p))
            .count()
    };
    let mut best = (0usize, 0.5f32);
    for pair in cuts.windows(2) {
        let t = (pair[0] + pair[1]) / 2.0;
        let hits = accuracy(t);
        if hits > best.0 {
            best = (hits, t);
        }
    }
    w.threshold = best.1;
    w
}

/// Solves `a · x = b` by Gaussian elimination with partial pivoting (a
/// handful of unknowns: no linear-algebra crate needed).
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|x, y| a[*x][col].abs().total_cmp(&a[*y][col].abs()))
            .unwrap_or(col);
        a.swap(col, pivot);
        b.swap(col, pivot);
        let d = a[col][col];
        if d.abs() < 1e-12 {
            continue;
        }
        let (pivot_row, pivot_b) = (a[col].clone(), b[col]);
        for (r, (row, br)) in a.iter_mut().zip(b.iter_mut()).enumerate() {
            if r != col {
                let f = row[col] / d;
                for (x, p) in row.iter_mut().zip(&pivot_row).skip(col) {
                    *x -= f * p;
                }
                *br -= f * pivot_b;
            }
        }
    }
    (0..n)
        .map(|i| {
            if a[i][i].abs() < 1e-12 {
                0.0
            } else {
                b[i] / a[i][i]
            }
        })
        .collect()
}

fn read_semeval(
    dir: &std::path::Path,
    scorer: &PairScorer,
) -> Result<Vec<Pair>, Box<dyn std::error::Error>> {
    let gold_text = std::fs::read_to_string(dir.join("gold.tsv"))?;
    let mut lines = gold_text.lines();
    let head: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |name: &str| {
        head.iter()
            .position(|h| *h == name)
            .ok_or("gold.tsv column")
    };
    let (id_col, overall_col) = (col("id")?, col("overall")?);
    let overall: HashMap<String, f64> = lines
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Some((
                cols.get(id_col)?.to_string(),
                cols.get(overall_col)?.parse().ok()?,
            ))
        })
        .collect();
    let mut out = Vec::new();
    for (i, line) in std::fs::read_to_string(dir.join("pairs.jsonl"))?
        .lines()
        .enumerate()
    {
        let pair = parse_pair(line, i + 1)?;
        let Some(o) = pair.id.as_ref().and_then(|id| overall.get(id)) else {
            continue;
        };
        let (a, b) = (scorer.prepare(&pair.a), scorer.prepare(&pair.b));
        out.push(Pair {
            x: pair_vector(&a, &b),
            informative: a.informative && b.informative,
            similarity: (4.0 - o) / 3.0,
        });
    }
    Ok(out)
}

/// AUC and balanced accuracy of the scorer on pairs of the labeled slice.
fn cross_check(
    corpus: &str,
    labels_path: &std::path::Path,
    scorer: &PairScorer,
) -> Result<(f64, f64), Box<dyn std::error::Error>> {
    let labels: HashMap<String, String> = std::fs::read_to_string(labels_path)?
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(u, s)| (u.to_string(), s.to_string()))
        .collect();
    let reader = BufReader::new(GzDecoder::new(std::fs::File::open(corpus)?));
    let mut slice: Vec<(ArticleIn, String)> = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let article = parse_article(&line?, i + 1)?;
        if let Some(gold) = article.url.as_deref().and_then(|u| labels.get(u)) {
            slice.push((article.clone(), gold.clone()));
        }
    }
    let docs: Vec<_> = slice.iter().map(|(a, _)| scorer.prepare(a)).collect();
    let (mut pos, mut neg) = (Vec::new(), Vec::new());
    for i in 0..docs.len() {
        for j in i + 1..docs.len() {
            let same = slice[i].1 == slice[j].1;
            let related = pair_vector(&docs[i], &docs[j])[1] >= HARD_NEGATIVE_COSINE;
            if !same && !related {
                continue;
            }
            let s = scorer.score_prepared(&docs[i], &docs[j]).score;
            if same {
                pos.push(s)
            } else {
                neg.push(s)
            }
        }
    }
    eprintln!(
        "{} labeled articles: {} same-story pairs, {} related other pairs",
        slice.len(),
        pos.len(),
        neg.len()
    );
    let mut wins = 0.0;
    for p in &pos {
        for n in &neg {
            wins += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    let auc = wins / (pos.len() * neg.len()).max(1) as f64;
    let t = scorer.weights().threshold;
    let tpr = pos.iter().filter(|s| **s >= t).count() as f64 / pos.len().max(1) as f64;
    let tnr = neg.iter().filter(|s| **s < t).count() as f64 / neg.len().max(1) as f64;
    Ok((auc, (tpr + tnr) / 2.0))
}
