//! Fits the pairwise model of `rasd similar` (`model/pairs.json`) on pairs of
//! the hand-labeled SaudiNewsNet slice (`model/labels.tsv`): every pair of
//! labeled articles of one gold story is a positive, every pair of different
//! stories that looks related (see `HARD_NEGATIVE_COSINE`) a negative, in
//! three views (full text, title only, body only). Both classes get equal total weight,
//! so the score is the same-story probability at even prior odds. Prints the
//! 2-fold (by story) accuracy on the slice and, given the SemEval pairs, the
//! Pearson and accuracy there as a dev check (never fitted on them).
//!
//!   cargo run --release -p rasd-cluster --example fit_pairs -- \
//!       ../shared/data/saudinewsnet.jsonl.gz crates/rasd-cluster/model \
//!       ../shared/eval/semeval2022-ar

use flate2::read::GzDecoder;
use rasd_cluster::input::{parse_article, parse_pair, ArticleIn};
use rasd_cluster::metrics::pearson;
use rasd_cluster::pairs::{pair_vector, PairScorer, PairWeights, PAIR_FEATURES};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};

type Sample = ([f32; PAIR_FEATURES], bool);

const HARD_NEGATIVE_COSINE: f32 = 0.1;
/// The features the model uses: bias and the character n-gram cosine, the
/// one most robust to Arabic clitics, inflection and spelling variants. The
/// word cosines are computed but left at weight 0: titles are often missing
/// or split off wrongly in pair input, the word cosines are nearly collinear
/// with the character one (a joint fit gives it a negative weight), and they
/// did not help on the SemEval dev pairs.
const ACTIVE: [usize; 2] = [0, 8];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: fit_pairs CORPUS.jsonl.gz MODEL_DIR [SEMEVAL_DIR]";
    let corpus = args.get(1).ok_or(usage)?;
    let model_dir = std::path::PathBuf::from(args.get(2).ok_or(usage)?);
    let labels = read_labels(&model_dir.join("labels.tsv"))?;
    let reader = BufReader::new(GzDecoder::new(std::fs::File::open(corpus)?));
    let mut slice: Vec<(ArticleIn, String)> = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let article = parse_article(&line?, i + 1)?;
        if let Some(gold) = article.url.as_deref().and_then(|u| labels.get(u)) {
            slice.push((article.clone(), gold.clone()));
        }
    }
    eprintln!("{} labeled articles", slice.len());

    let scorer = PairScorer::default();
    let views: [fn(&ArticleIn) -> ArticleIn; 3] = [
        |a| a.clone(),
        |a| ArticleIn {
            body: None,
            ..a.clone()
        },
        |a| ArticleIn {
            title: None,
            ..a.clone()
        },
    ];
    // samples[k] = (story of i, story of j, features, same)
    let mut samples: Vec<(&str, &str, Sample)> = Vec::new();
    for view in views {
        let docs: Vec<_> = slice
            .iter()
            .map(|(a, _)| scorer.prepare(&view(a)))
            .collect();
        for i in 0..docs.len() {
            for j in i + 1..docs.len() {
                let (gi, gj) = (slice[i].1.as_str(), slice[j].1.as_str());
                samples.push((gi, gj, (pair_vector(&docs[i], &docs[j]), gi == gj)));
            }
        }
    }
    // Negatives are the pairs that look related (whole-text token cosine at
    // least HARD_NEGATIVE_COSINE): the pairs `rasd similar` gets asked about.
    // Most pairs of the slice share nothing, and fitting on them teaches only
    // that unrelated texts differ.
    samples.retain(|s| s.2 .1 || s.2 .0[5] >= HARD_NEGATIVE_COSINE);
    let positives = samples.iter().filter(|s| s.2 .1).count();
    eprintln!("{} pairs, {positives} same-story", samples.len());

    // 2-fold by story: a pair is in a fold when both its stories are.
    let mut folds = Vec::new();
    for fold in 0..2u64 {
        let side = |g: &str| xxhash_rust::xxh3::xxh3_64(g.as_bytes()) % 2 == fold;
        let train: Vec<Sample> = samples
            .iter()
            .filter(|s| side(s.0) && side(s.1))
            .map(|s| s.2)
            .collect();
        let test: Vec<Sample> = samples
            .iter()
            .filter(|s| !side(s.0) && !side(s.1))
            .map(|s| s.2)
            .collect();
        let w = PairWeights {
            weights: logistic(&train),
            ..PairWeights::default()
        };
        folds.push(balanced_accuracy(&test, &w));
    }
    let all: Vec<Sample> = samples.iter().map(|s| s.2).collect();
    let mut weights = PairWeights {
        weights: logistic(&all),
        threshold: 0.5,
        story_days: 3.0,
        note: String::new(),
    };
    let in_sample = balanced_accuracy(&all, &weights);
    let cv = (folds[0] + folds[1]) / 2.0;
    let mut note = format!(
        "fitted by examples/fit_pairs.rs on {} pairs ({positives} same-story) of {} labeled SaudiNewsNet articles (model/labels.tsv; negatives: pairs with whole-text token cosine >= {HARD_NEGATIVE_COSINE}), classes weighted equally, features {ACTIVE:?}; balanced accuracy {in_sample:.4} (2-fold by story {cv:.4})",
        all.len(),
        slice.len()
    );
    if let Some(dir) = args.get(3) {
        let (p, acc) = semeval(
            std::path::Path::new(dir),
            &PairScorer::new(
                rasd_cluster::vectorize::Vectorizer::default(),
                weights.clone(),
            ),
        )?;
        note.push_str(&format!(
            "; SemEval dev check (not fitted): Pearson {p:.4}, accuracy {acc:.4}"
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

fn read_labels(
    path: &std::path::Path,
) -> Result<HashMap<String, String>, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path)?;
    Ok(text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(u, s)| (u.to_string(), s.to_string()))
        .collect())
}

/// Pearson of the scores against `(4 − overall) / 3` and accuracy of
/// `same_story` against `overall ≤ 2`, as `score_similar.py` computes them;
/// also prints each feature's own Pearson.
fn semeval(
    dir: &std::path::Path,
    scorer: &PairScorer,
) -> Result<(f64, f64), Box<dyn std::error::Error>> {
    let gold_text = std::fs::read_to_string(dir.join("gold.tsv"))?;
    let overall: HashMap<String, f64> = gold_text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Some((cols.first()?.to_string(), cols.get(2)?.parse().ok()?))
        })
        .collect();
    let (mut scores, mut sims, mut hits) = (Vec::new(), Vec::new(), 0usize);
    let mut features: Vec<Vec<f64>> = vec![Vec::new(); PAIR_FEATURES];
    for (i, line) in std::fs::read_to_string(dir.join("pairs.jsonl"))?
        .lines()
        .enumerate()
    {
        let pair = parse_pair(line, i + 1)?;
        let Some(o) = pair.id.as_ref().and_then(|id| overall.get(id)) else {
            continue;
        };
        let (a, b) = (scorer.prepare(&pair.a), scorer.prepare(&pair.b));
        for (k, v) in pair_vector(&a, &b).iter().enumerate() {
            features[k].push(*v as f64);
        }
        let s = scorer.score_prepared(&a, &b);
        scores.push(s.score as f64);
        sims.push((4.0 - o) / 3.0);
        hits += usize::from(s.same_story == (*o <= 2.0));
    }
    for (k, f) in features.iter().enumerate().skip(1) {
        eprintln!("feature {k}: SemEval Pearson {:.4}", pearson(f, &sims));
    }
    Ok((
        pearson(&scores, &sims),
        hits as f64 / scores.len().max(1) as f64,
    ))
}

fn balanced_accuracy(samples: &[Sample], w: &PairWeights) -> f64 {
    let (mut tp, mut pos, mut tn, mut neg) = (0.0, 0.0, 0.0, 0.0);
    for (x, y) in samples {
        let said = w.probability(x) >= w.threshold;
        if *y {
            pos += 1.0;
            tp += f64::from(u8::from(said));
        } else {
            neg += 1.0;
            tn += f64::from(u8::from(!said));
        }
    }
    (tp / f64::max(pos, 1.0) + tn / f64::max(neg, 1.0)) / 2.0
}

/// L2-regularized logistic regression by full-batch gradient descent, each
/// class weighted to half the total.
fn logistic(samples: &[Sample]) -> Vec<f32> {
    let mut w = vec![0.0f32; PAIR_FEATURES];
    let pos = samples.iter().filter(|s| s.1).count().max(1) as f32;
    let neg = (samples.len() as f32 - pos).max(1.0);
    let (lr, l2) = (2.0, 1e-4);
    for _ in 0..20_000 {
        let mut grad = [0.0f32; PAIR_FEATURES];
        for (x, y) in samples {
            let p = rasd_cluster::model::sigmoid(x.iter().zip(&w).map(|(a, b)| a * b).sum());
            let (err, weight) = if *y {
                (p - 1.0, 0.5 / pos)
            } else {
                (p, 0.5 / neg)
            };
            for (g, xi) in grad.iter_mut().zip(x) {
                *g += weight * err * xi;
            }
        }
        for (i, (wi, g)) in w.iter_mut().zip(&grad).enumerate() {
            if !ACTIVE.contains(&i) {
                continue;
            }
            let reg = if i == 0 { 0.0 } else { l2 * *wi };
            *wi -= lr * (g + reg);
        }
    }
    w
}
