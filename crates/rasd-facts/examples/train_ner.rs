//! Trains the NER model shipped in `model/ner.bin.gz`.
//!
//! ```text
//! cargo run --release -p rasd-facts --example train_ner -- [--dev [--folds K] [--propagate]
//!     [--window N] [--dev-out FILE]] [--epochs N] [--bits B]
//!     [--prune Q] [--lexicon-folds K] [--seed S] [--shared DIR]
//!     [--clusters FILE|none] [--kmeans FILE|none] [--kmeans-levels I,J,…]
//!     [--names NAMES|none] [--no-agree]
//!     [--agree-anergazet] [--out FILE]
//! ```
//!
//! Data: `DIR/data/anercorp/train.conll` (ANERcorp training split) and the
//! ANERgazet lists in `DIR/data/anercorp/gazetteers/`, plus the hand-written
//! name lists `model/names/*.tsv` (`TYPE<TAB>name`; `--names NAMES` reads
//! another directory, `--names none` none) and the word clusters
//! `model/clusters.tsv.gz` and `model/kmeans.tsv.gz` made by
//! `build_clusters` (`--kmeans-levels` keeps only the k-means columns
//! given, 0-based). `DIR` defaults to `../shared` beside the checkout.
//!
//! The hand-written names are checked against the training annotations
//! ([`agree_with_annotations`]) before they enter the gazetteer; in
//! cross-validation, against the fold's training part only. `--no-agree`
//! enters them as written, `--agree-anergazet` checks ANERgazet's lists the
//! same way (both lost F1: see docs/MEASUREMENTS.md).
//!
//! `--dev` holds out the last 10% of the sentences (sentence index ≥
//! ⌊0.9·n⌋), trains on the rest and prints dev scores after every epoch;
//! nothing is written. With `--folds K` it cross-validates instead: K
//! consecutive folds, each held out once, scores summed over the folds.
//! `--propagate` scores [`Model::tag_document`] over windows of
//! `--window` sentences (as `rasd eval ner` does) instead of sentence by
//! sentence. Without it the model is trained on every sentence
//! and written to `--out` (default `model/ner.bin.gz` in this crate).

use anyhow::{bail, Context};
use rasd_facts::clusters::{WordClusters, MAX_FLAT};
use rasd_facts::gazetteer::{agree_with_annotations, list_names, Gazetteer};
use rasd_facts::score::Score;
use rasd_facts::train::{average, train, TrainConfig};
use rasd_facts::{conll, EntityType, Model};
use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut shared = crate_dir.join("../../../shared");
    let mut out = crate_dir.join("model/ner.bin.gz");
    let mut dev = false;
    let mut propagate = false;
    let mut folds = 1usize;
    let mut models = 1usize;
    let mut window = rasd_facts::model::DOCUMENT_WINDOW;
    let mut dev_out: Option<PathBuf> = None;
    let mut clusters_path = Some(crate_dir.join("model/clusters.tsv.gz"));
    let mut kmeans_path = Some(crate_dir.join("model/kmeans.tsv.gz"));
    let mut kmeans_levels: Option<Vec<usize>> = None;
    let mut names_dir = Some(crate_dir.join("model/names"));
    let mut no_agree = false;
    let mut agree_anergazet = false;
    let mut config = TrainConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--dev" => dev = true,
            "--propagate" => propagate = true,
            "--folds" => folds = value()?.parse()?,
            "--models" => models = value()?.parse()?,
            "--window" => window = value()?.parse()?,
            "--dev-out" => dev_out = Some(value()?.into()),
            "--epochs" => config.epochs = value()?.parse()?,
            "--bits" => config.bits = value()?.parse()?,
            "--prune" => config.prune = value()?.parse()?,
            "--lexicon-folds" => config.lexicon_folds = value()?.parse()?,
            "--seed" => config.seed = value()?.parse()?,
            "--shared" => shared = value()?.into(),
            "--out" => out = value()?.into(),
            "--no-agree" => no_agree = true,
            "--agree-anergazet" => agree_anergazet = true,
            "--names" => names_dir = Some(value()?).filter(|v| v != "none").map(PathBuf::from),
            "--kmeans" => kmeans_path = Some(value()?).filter(|v| v != "none").map(PathBuf::from),
            "--kmeans-levels" => {
                kmeans_levels = Some(
                    value()?
                        .split(',')
                        .map(str::parse)
                        .collect::<Result<_, _>>()?,
                )
            }
            "--clusters" => {
                clusters_path = Some(value()?).filter(|v| v != "none").map(PathBuf::from)
            }
            other => bail!("unknown argument {other}"),
        }
    }

    let anercorp = shared.join("data/anercorp");
    let train_path = anercorp.join("train.conll");
    let text = std::fs::read_to_string(&train_path)
        .with_context(|| format!("reading {}", train_path.display()))?;
    let sentences = conll::parse(&text, true).with_context(|| train_path.display().to_string())?;

    let mut gazetteer = Gazetteer::default();
    let mut anergazet = Vec::new();
    for (file, ty) in [
        ("AlignedGazetteer_Pers.txt", EntityType::Person),
        ("AlignedGazetteer_Loc.txt", EntityType::Location),
        ("AlignedGazetteer_Org.txt", EntityType::Organization),
    ] {
        let path = anercorp.join("gazetteers").join(file);
        let list = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        if agree_anergazet {
            anergazet.extend(list_names(&list).map(|name| (ty, name.to_owned())));
        } else {
            gazetteer.add_lines(ty, &list);
        }
    }
    let mut hand_names = match &names_dir {
        Some(dir) => read_name_lists(dir)?,
        None => Vec::new(),
    };
    hand_names.extend(anergazet);
    let raw = hand_names.len();
    // The hand-written names, checked against the sentences a model learns
    // from (in cross-validation, the fold's training part only: the held-out
    // labels must not choose the names).
    let gazetteer_for = |train_part: &[conll::Sentence]| -> Gazetteer {
        let mut g = gazetteer.clone();
        let agreed = if no_agree {
            hand_names.clone()
        } else {
            agree_with_annotations(&hand_names, train_part)
        };
        eprintln!(
            "names: {} of {raw} agree with the annotations",
            agreed.len()
        );
        for (ty, name) in &agreed {
            g.add(*ty, name);
        }
        g.finish();
        g
    };
    let mut clusters = match &clusters_path {
        Some(path) => read_clusters(path)?,
        None => WordClusters::default(),
    };
    if let Some(path) = &kmeans_path {
        clusters = read_kmeans(path, kmeans_levels.as_deref(), clusters)?;
        eprintln!(
            "k-means table: {} levels, {} words",
            clusters.flat_levels(),
            clusters.flat_rows().len()
        );
    }

    let started = Instant::now();
    if dev {
        // Fold k holds out sentences k·n/K .. (k+1)·n/K; with one fold, the last 10%.
        let n = sentences.len();
        let held_out: Vec<(usize, usize)> = if folds <= 1 {
            vec![(n * 9 / 10, n)]
        } else {
            (0..folds)
                .map(|k| (k * n / folds, (k + 1) * n / folds))
                .collect()
        };
        let mut per_epoch: Vec<Score> = vec![Score::default(); config.epochs];
        let mut last_model = None;
        let mut averaged = Score::default();
        for &(from, to) in &held_out {
            let dev_part = &sentences[from..to];
            let train_part: Vec<conll::Sentence> = sentences[..from]
                .iter()
                .chain(&sentences[to..])
                .cloned()
                .collect();
            let gazetteer = gazetteer_for(&train_part);
            eprintln!(
                "dev sentences {from}..{to} ({} dev tokens)",
                dev_part.iter().map(|s| s.tokens.len()).sum::<usize>()
            );
            let tokens: Vec<Vec<String>> = dev_part.iter().map(|s| s.tokens.clone()).collect();
            let tag_all = |model: &Model| -> Vec<Vec<rasd_facts::Tag>> {
                if propagate {
                    tokens
                        .chunks(window)
                        .flat_map(|w| model.tag_document(w))
                        .collect()
                } else {
                    tokens.iter().map(|t| model.tag(t)).collect()
                }
            };
            let model = train(
                &train_part,
                &gazetteer,
                &clusters,
                &config,
                |epoch, model| {
                    let score = &mut per_epoch[epoch - 1];
                    for (s, p) in dev_part.iter().zip(&tag_all(model)) {
                        score.add(&s.tags, p);
                    }
                },
            );
            let model = if models > 1 {
                let mut all = vec![model];
                for j in 1..models {
                    let config = TrainConfig {
                        seed: config.seed + j as u64,
                        ..config.clone()
                    };
                    all.push(train(
                        &train_part,
                        &gazetteer,
                        &clusters,
                        &config,
                        |_, _| {},
                    ));
                }
                let mean = average(&all).context("models differ")?;
                for (s, p) in dev_part.iter().zip(&tag_all(&mean)) {
                    averaged.add(&s.tags, p);
                }
                mean
            } else {
                model
            };
            last_model = Some((model, dev_part));
        }
        for (epoch, score) in per_epoch.iter().enumerate() {
            let all = score.overall();
            let per_type: Vec<String> = EntityType::ALL
                .iter()
                .map(|&ty| {
                    let c = score.of_type(ty);
                    format!(
                        "{ty} {:.3} (P {:.3} R {:.3})",
                        c.f1(),
                        c.precision(),
                        c.recall()
                    )
                })
                .collect();
            println!(
                "epoch {:2} dev P {:.4} R {:.4} F1 {:.4} | {}",
                epoch + 1,
                all.precision(),
                all.recall(),
                all.f1(),
                per_type.join(" "),
            );
        }
        if models > 1 {
            let all = averaged.overall();
            println!(
                "mean of {models} models: dev P {:.4} R {:.4} F1 {:.4} | {}",
                all.precision(),
                all.recall(),
                all.f1(),
                EntityType::ALL
                    .iter()
                    .map(|&ty| {
                        let c = averaged.of_type(ty);
                        format!(
                            "{ty} {:.3} (P {:.3} R {:.3})",
                            c.f1(),
                            c.precision(),
                            c.recall()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
        eprintln!("{:.0}s", started.elapsed().as_secs_f64());
        if let (Some(path), Some((model, dev_part))) = (dev_out, last_model) {
            // token, gold tag, predicted tag: conlleval's input format.
            let mut text = String::new();
            let tokens: Vec<Vec<String>> = dev_part.iter().map(|s| s.tokens.clone()).collect();
            let tagged: Vec<Vec<rasd_facts::Tag>> = if propagate {
                tokens
                    .chunks(window)
                    .flat_map(|w| model.tag_document(w))
                    .collect()
            } else {
                tokens.iter().map(|t| model.tag(t)).collect()
            };
            for (s, predicted) in dev_part.iter().zip(tagged) {
                for ((token, gold), pred) in s.tokens.iter().zip(&s.tags).zip(&predicted) {
                    text.push_str(&format!("{token} {gold} {pred}\n"));
                }
                text.push('\n');
            }
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        }
        return Ok(());
    }

    let gazetteer = gazetteer_for(&sentences);
    let mut all = Vec::new();
    for j in 0..models.max(1) {
        let config = TrainConfig {
            seed: config.seed + j as u64,
            ..config.clone()
        };
        all.push(train(
            &sentences,
            &gazetteer,
            &clusters,
            &config,
            |epoch, _| {
                eprintln!(
                    "model {}: epoch {epoch} done, {:.0}s",
                    j + 1,
                    started.elapsed().as_secs_f64()
                );
            },
        ));
    }
    let model: Model = average(&all).context("models differ")?;
    let bytes = model.encode();
    std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "wrote {} ({} bytes) in {:.1}s",
        out.display(),
        bytes.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The text of a gzip file.
fn read_gzip_text(path: &PathBuf) -> anyhow::Result<String> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(text)
}

/// Reads `build_clusters` output: `HASH<TAB>PATH` lines, the hash in hex
/// and the path as a bit string.
fn read_clusters(path: &PathBuf) -> anyhow::Result<WordClusters> {
    let text = read_gzip_text(path)?;
    let mut pairs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let at = || format!("{}:{}", path.display(), n + 1);
        let (hash, bits) = line
            .split_once('\t')
            .with_context(|| format!("{}: no tab", at()))?;
        let hash = u32::from_str_radix(hash, 16).with_context(at)?;
        if bits.len() as u32 > rasd_facts::clusters::MAX_DEPTH {
            bail!("{}: path too long", at());
        }
        let path = u16::from_str_radix(&format!("1{bits}"), 2).with_context(at)?;
        pairs.push((hash, path));
    }
    Ok(WordClusters::from_pairs(pairs))
}

/// Reads every `*.tsv` name list of `dir` (in name order): `TYPE<TAB>name`
/// lines, `#` comments and blank lines skipped.
fn read_name_lists(dir: &std::path::Path) -> anyhow::Result<Vec<(EntityType, String)>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .with_context(|| format!("reading {}", dir.display()))?;
    paths.retain(|p| p.extension().is_some_and(|e| e == "tsv"));
    paths.sort();
    let mut names = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (label, name) = line
                .split_once('\t')
                .with_context(|| format!("{}:{}: no tab", path.display(), n + 1))?;
            let ty = EntityType::from_label(label)
                .with_context(|| format!("{}:{}: bad type {label}", path.display(), n + 1))?;
            names.push((ty, name.to_owned()));
        }
    }
    Ok(names)
}

/// Reads `build_clusters --kmeans` output: a `# k K1 K2 …` line, then
/// `HASH<TAB>ID1<TAB>ID2…` lines (ids 0-based), and adds the columns
/// `keep` (all by default) to `clusters` as its flat clusterings.
fn read_kmeans(
    path: &PathBuf,
    keep: Option<&[usize]>,
    clusters: WordClusters,
) -> anyhow::Result<WordClusters> {
    let text = read_gzip_text(path)?;
    let mut rows = Vec::new();
    let mut columns = 0;
    for (n, line) in text.lines().enumerate() {
        let at = || format!("{}:{}", path.display(), n + 1);
        if let Some(ks) = line.strip_prefix("# k ") {
            columns = ks.split_whitespace().count();
            continue;
        }
        let mut fields = line.split('\t');
        let hash = u32::from_str_radix(fields.next().unwrap_or_default(), 16).with_context(at)?;
        let ids: Vec<u16> = fields
            .map(|f| f.parse::<u16>().ok().and_then(|id| id.checked_add(1)))
            .collect::<Option<_>>()
            .with_context(|| format!("{}: bad cluster id", at()))?;
        if ids.len() != columns {
            bail!("{}: {} ids for {columns} clusterings", at(), ids.len());
        }
        let chosen: Vec<usize> = match keep {
            Some(k) => k.to_vec(),
            None => (0..columns).collect(),
        };
        if chosen.len() > MAX_FLAT || chosen.iter().any(|&c| c >= columns) {
            bail!("bad k-means columns {chosen:?}");
        }
        let mut row = [0u16; MAX_FLAT];
        for (slot, &c) in row.iter_mut().zip(&chosen) {
            *slot = ids[c];
        }
        rows.push((hash, row));
    }
    let levels = keep.map_or(columns, <[usize]>::len);
    Ok(clusters.with_flat(levels, rows))
}
