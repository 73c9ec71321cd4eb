//! Learns the clustering model from SaudiNewsNet and the hand-made labels:
//! writes `model/idf.tsv` (the IDF prior) and `model/weights.json` (ranker,
//! acceptor), and prints B-cubed on the labeled slice (in-sample and 2-fold).
//!
//!   cargo run --release -p rasd-cluster --example tune -- \
//!       ../shared/data/saudinewsnet.jsonl.gz crates/rasd-cluster/model [--rebuild-idf]
//!
//! `model/idf.tsv` is read as it is unless `--rebuild-idf` is given.
//!
//! The labeled slice is replayed in date order four ways (dated or not ×
//! full text or titles only); at each article every candidate story the
//! index offers gives one training pair (same gold story or not), and the
//! article then joins its gold story (teacher forcing). Both models are
//! L2-regularized logistic regressions fitted by gradient descent.

use flate2::read::GzDecoder;
use rasd_cluster::input::{parse_article, ArticleIn};
use rasd_cluster::metrics::bcubed;
use rasd_cluster::model::{Weights, ACCEPT_FEATURES, FEATURES};
use rasd_cluster::vectorize::{word_forms, Vectorizer};
use rasd_cluster::{ClusterConfig, StoryClusterer};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};

type Sample = (Vec<f32>, bool);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let corpus = args.get(1).ok_or("usage: tune CORPUS.jsonl.gz MODEL_DIR")?;
    let model_dir =
        std::path::PathBuf::from(args.get(2).ok_or("usage: tune CORPUS.jsonl.gz MODEL_DIR")?);
    let articles = read_corpus(corpus)?;
    eprintln!("{} articles", articles.len());

    // The prior is rebuilt only when asked: rebuilding it moves story
    // boundaries, so it changes together with a full re-tune and
    // re-measure (session 11: rebuilt with the current stemmer), not with
    // every refit of the weights.
    let idf_path = model_dir.join("idf.tsv");
    let prior = if args.iter().any(|a| a == "--rebuild-idf") || !idf_path.exists() {
        let prior = idf_table(&articles);
        std::fs::write(&idf_path, &prior)?;
        prior
    } else {
        std::fs::read_to_string(&idf_path)?
    };

    let labels = read_labels(&model_dir.join("labels.tsv"))?;
    let mut slice: Vec<(ArticleIn, String)> = articles
        .iter()
        .filter_map(|a| {
            let gold = labels.get(a.url.as_deref()?)?;
            Some((a.clone(), gold.clone()))
        })
        .collect();
    slice.sort_by(|a, b| a.0.published.cmp(&b.0.published));
    eprintln!(
        "{} labeled articles, {} stories",
        slice.len(),
        labels.values().collect::<HashSet<_>>().len()
    );

    let vectorizer = Vectorizer::with_prior(&prior);
    let start = Weights::default();
    let fit_all = |train: &[(ArticleIn, String)]| -> Weights {
        let mut w = start.clone();
        for dated in [true, false] {
            let mut rank = Vec::new();
            for titles_only in [false, true] {
                rank.extend(rank_samples(
                    &variant(train, dated, titles_only),
                    &vectorizer,
                    &w,
                ));
                if dated {
                    rank.extend(rank_samples(
                        &with_reruns(&variant(train, dated, titles_only)),
                        &vectorizer,
                        &w,
                    ));
                }
            }
            let fitted = logistic(&rank, FEATURES, 1e-3);
            if dated {
                w.ranker_dated = fitted;
            } else {
                w.ranker_dateless = fitted;
            }
        }
        for dated in [true, false] {
            let mut accept = Vec::new();
            for titles_only in [false, true] {
                accept.extend(accept_samples(
                    &variant(train, dated, titles_only),
                    &vectorizer,
                    &w,
                ));
                if dated {
                    accept.extend(accept_samples(
                        &with_reruns(&variant(train, dated, titles_only)),
                        &vectorizer,
                        &w,
                    ));
                }
            }
            let fitted = logistic(&accept, ACCEPT_FEATURES, 1e-3);
            if dated {
                w.acceptor_dated = fitted;
            } else {
                w.acceptor_dateless = fitted;
            }
        }
        w
    };

    let mut weights = fit_all(&slice);
    let mut report = Vec::new();
    for (name, dated, titles_only) in [
        ("dated", true, false),
        ("dateless", false, false),
        ("titles", true, true),
        ("titles-dateless", false, true),
    ] {
        let in_sample = evaluate(&variant(&slice, dated, titles_only), &vectorizer, &weights);
        // 2-fold by story: fit on half the stories, score the other half.
        let mut folds = Vec::new();
        for fold in 0..2 {
            let (train, test): (Vec<_>, Vec<_>) = slice
                .iter()
                .cloned()
                .partition(|(_, g)| (xxhash_fold(g) % 2) != fold);
            let w = fit_all(&train);
            folds.push(evaluate(
                &variant(&test, dated, titles_only),
                &vectorizer,
                &w,
            ));
        }
        let cv = (folds[0] + folds[1]) / 2.0;
        report.push(format!("{name}: bcubed_f1 {in_sample:.4} (2-fold {cv:.4})"));
    }
    for line in &report {
        println!("{line}");
    }
    weights.note = format!(
        "fitted by examples/tune.rs on {} labeled SaudiNewsNet articles (model/labels.tsv); {}",
        slice.len(),
        report.join("; ")
    );
    let mut out = std::fs::File::create(model_dir.join("weights.json"))?;
    serde_json::to_writer_pretty(&mut out, &weights)?;
    out.write_all(b"\n")?;
    Ok(())
}

fn xxhash_fold(label: &str) -> u64 {
    label.bytes().fold(1469598103934665603u64, |h, b| {
        (h ^ b as u64).wrapping_mul(1099511628211)
    })
}

fn read_corpus(path: &str) -> Result<Vec<ArticleIn>, Box<dyn std::error::Error>> {
    let reader = BufReader::new(GzDecoder::new(std::fs::File::open(path)?));
    let mut out = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        out.push(parse_article(&line?, i + 1)?);
    }
    Ok(out)
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

/// Document frequencies of token and stem forms over the corpus, for terms
/// in at least 30 documents.
fn idf_table(articles: &[ArticleIn]) -> String {
    let mut df: HashMap<(char, String), u32> = HashMap::new();
    for a in articles {
        let text = format!(
            "{} {}",
            a.title.as_deref().unwrap_or(""),
            a.body
                .as_deref()
                .map(|b| b
                    .get(..rasd_cluster::vectorize::MAX_BODY_BYTES)
                    .unwrap_or(b))
                .unwrap_or("")
        );
        let key = rasd_text::normalize::matching_key(&text);
        let mut seen = HashSet::new();
        for (token, stem) in word_forms(&key) {
            seen.insert(('t', token.to_string()));
            seen.insert(('s', stem.to_string()));
        }
        for k in seen {
            *df.entry(k).or_insert(0) += 1;
        }
    }
    let mut rows: Vec<_> = df.into_iter().filter(|(_, n)| *n >= 30).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out = format!("#docs\t{}\n", articles.len());
    for ((kind, term), n) in rows {
        out.push_str(&format!("{kind}\t{term}\t{n}\n"));
    }
    out
}

fn variant(
    slice: &[(ArticleIn, String)],
    dated: bool,
    titles_only: bool,
) -> Vec<(ArticleIn, String)> {
    slice
        .iter()
        .map(|(a, g)| {
            let mut a = a.clone();
            if !dated {
                a.published = None;
            }
            if titles_only {
                a.body = None;
            }
            (a, g.clone())
        })
        .collect()
}

/// The slice followed by two re-runs of itself 10 and 30 days later, each
/// re-run its own stories: the labels span two days, so without this the
/// model could not learn that the same words weeks apart are another event.
/// (The labeled days are 2015-08-01/02, so the shift is a string edit.)
fn with_reruns(slice: &[(ArticleIn, String)]) -> Vec<(ArticleIn, String)> {
    let mut out = slice.to_vec();
    for (from, to, tag) in [
        ("2015-08-0", "2015-08-1", "+10"),
        ("2015-08-0", "2015-09-0", "+30"),
    ] {
        for (a, g) in slice {
            let mut a = a.clone();
            a.published = a.published.map(|p| p.replacen(from, to, 1));
            out.push((a, format!("{g}{tag}")));
        }
    }
    out
}

/// Teacher-forced replay: candidate pairs with gold labels.
fn rank_samples(slice: &[(ArticleIn, String)], v: &Vectorizer, w: &Weights) -> Vec<Sample> {
    let mut out = Vec::new();
    replay(slice, v, w, |cands, gold_story, _| {
        for (features, _, story) in cands {
            out.push((features.to_vec(), Some(*story) == gold_story));
        }
    });
    out
}

fn accept_samples(slice: &[(ArticleIn, String)], v: &Vectorizer, w: &Weights) -> Vec<Sample> {
    let mut out = Vec::new();
    replay(slice, v, w, |cands, gold_story, title_only| {
        let mut ranked: Vec<_> = cands.to_vec();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        if let Some((_, logit, story)) = ranked.first() {
            let x = Weights::accept_features(*logit, ranked.get(1).map(|r| r.1), 1, title_only);
            out.push((x.to_vec(), Some(*story) == gold_story));
        }
    });
    out
}

type Scored = ([f32; FEATURES], f32, u64);

fn replay(
    slice: &[(ArticleIn, String)],
    v: &Vectorizer,
    w: &Weights,
    mut visit: impl FnMut(&[Scored], Option<u64>, bool),
) {
    let mut c = StoryClusterer::new(ClusterConfig::default(), w.clone(), v.clone());
    let mut story_of: HashMap<String, u64> = HashMap::new();
    for (a, gold) in slice {
        let p = c.prepare(a, None);
        let cands: Vec<Scored> = c
            .candidates(&p.doc)
            .iter()
            .map(|k| (k.features.values, w.rank_logit(&k.features), k.story))
            .collect();
        let gold_story = story_of.get(gold).map(|s| c.resolve(*s));
        visit(&cands, gold_story, p.doc.has_title && !p.doc.has_body);
        match gold_story {
            Some(s) => c.join(&p, s),
            None => {
                let s = c.open(&p);
                story_of.insert(gold.clone(), s);
            }
        }
    }
}

fn evaluate(slice: &[(ArticleIn, String)], v: &Vectorizer, w: &Weights) -> f64 {
    let mut c = StoryClusterer::new(ClusterConfig::default(), w.clone(), v.clone());
    let stories: Vec<u64> = slice.iter().map(|(a, _)| c.add(a, None).story).collect();
    let pairs: Vec<(u64, &str)> = stories
        .iter()
        .zip(slice)
        .map(|(s, (_, g))| (c.resolve(*s), g.as_str()))
        .collect();
    bcubed(&pairs).f1
}

/// L2-regularized logistic regression by full-batch gradient descent.
fn logistic(samples: &[Sample], dims: usize, l2: f32) -> Vec<f32> {
    let mut w = vec![0.0f32; dims];
    if samples.is_empty() {
        return w;
    }
    let n = samples.len() as f32;
    let lr = 0.5;
    for _ in 0..4000 {
        let mut grad = vec![0.0f32; dims];
        for (x, y) in samples {
            let p = rasd_cluster::model::sigmoid(x.iter().zip(&w).map(|(a, b)| a * b).sum());
            let err = p - if *y { 1.0 } else { 0.0 };
            for (g, xi) in grad.iter_mut().zip(x) {
                *g += err * xi;
            }
        }
        for (i, (wi, g)) in w.iter_mut().zip(&grad).enumerate() {
            let reg = if i == 0 { 0.0 } else { l2 * *wi };
            *wi -= lr * (g / n + reg);
        }
    }
    w
}
