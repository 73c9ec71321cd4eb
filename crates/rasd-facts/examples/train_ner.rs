//! Trains the NER model shipped in `model/ner.bin.gz`.
//!
//! ```text
//! cargo run --release -p rasd-facts --example train_ner -- [--dev [--dev-out FILE]] [--epochs N] [--bits B]
//!     [--prune Q] [--shared DIR] [--out FILE]
//! ```
//!
//! Data: `DIR/data/anercorp/train.conll` (ANERcorp training split) and the
//! ANERgazet lists in `DIR/data/anercorp/gazetteers/`, plus the hand-written
//! `model/extra_names.tsv` (recent names ANERgazet predates). `DIR`
//! defaults to `../shared` beside the checkout.
//!
//! `--dev` holds out the last 10% of the sentences (sentence index ≥
//! ⌊0.9·n⌋), trains on the rest and prints dev scores after every epoch;
//! nothing is written. Without it the model is trained on every sentence
//! and written to `--out` (default `model/ner.bin.gz` in this crate).

use anyhow::{bail, Context};
use rasd_facts::gazetteer::Gazetteer;
use rasd_facts::score::Score;
use rasd_facts::train::{train, TrainConfig};
use rasd_facts::{conll, EntityType, Model};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut shared = crate_dir.join("../../../shared");
    let mut out = crate_dir.join("model/ner.bin.gz");
    let mut dev = false;
    let mut propagate = false;
    let mut window = rasd_facts::model::DOCUMENT_WINDOW;
    let mut dev_out: Option<PathBuf> = None;
    let mut config = TrainConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--dev" => dev = true,
            "--propagate" => propagate = true,
            "--window" => window = value()?.parse()?,
            "--dev-out" => dev_out = Some(value()?.into()),
            "--epochs" => config.epochs = value()?.parse()?,
            "--bits" => config.bits = value()?.parse()?,
            "--prune" => config.prune = value()?.parse()?,
            "--shared" => shared = value()?.into(),
            "--out" => out = value()?.into(),
            other => bail!("unknown argument {other}"),
        }
    }

    let anercorp = shared.join("data/anercorp");
    let train_path = anercorp.join("train.conll");
    let text = std::fs::read_to_string(&train_path)
        .with_context(|| format!("reading {}", train_path.display()))?;
    let sentences = conll::parse(&text, true).with_context(|| train_path.display().to_string())?;

    let mut gazetteer = Gazetteer::default();
    for (file, ty) in [
        ("AlignedGazetteer_Pers.txt", EntityType::Person),
        ("AlignedGazetteer_Loc.txt", EntityType::Location),
        ("AlignedGazetteer_Org.txt", EntityType::Organization),
    ] {
        let path = anercorp.join("gazetteers").join(file);
        let list = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        gazetteer.add_lines(ty, &list);
    }
    let extra_path = crate_dir.join("model/extra_names.tsv");
    let extra = std::fs::read_to_string(&extra_path)
        .with_context(|| format!("reading {}", extra_path.display()))?;
    for (n, line) in extra.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (label, name) = line
            .split_once('\t')
            .with_context(|| format!("{}:{}: no tab", extra_path.display(), n + 1))?;
        let ty = EntityType::from_label(label)
            .with_context(|| format!("{}:{}: bad type {label}", extra_path.display(), n + 1))?;
        gazetteer.add(ty, name);
    }
    gazetteer.finish();

    let started = Instant::now();
    if dev {
        let cut = sentences.len() * 9 / 10;
        let (train_part, dev_part) = sentences.split_at(cut);
        eprintln!(
            "dev split: train sentences 0..{cut}, dev sentences {cut}..{} ({} dev tokens)",
            sentences.len(),
            dev_part.iter().map(|s| s.tokens.len()).sum::<usize>()
        );
        let model = train(train_part, &gazetteer, &config, |epoch, model| {
            let mut score = Score::default();
            let tokens: Vec<Vec<String>> = dev_part.iter().map(|s| s.tokens.clone()).collect();
            let predicted: Vec<Vec<rasd_facts::Tag>> = if propagate {
                tokens
                    .chunks(window)
                    .flat_map(|w| model.tag_document(w))
                    .collect()
            } else {
                tokens.iter().map(|t| model.tag(t)).collect()
            };
            for (s, p) in dev_part.iter().zip(&predicted) {
                score.add(&s.tags, p);
            }
            let all = score.overall();
            let per_type: Vec<String> = EntityType::ALL
                .iter()
                .map(|&ty| format!("{ty} {:.3}", score.of_type(ty).f1()))
                .collect();
            println!(
                "epoch {epoch:2} dev P {:.4} R {:.4} F1 {:.4} | {} | {:.0}s",
                all.precision(),
                all.recall(),
                all.f1(),
                per_type.join(" "),
                started.elapsed().as_secs_f64()
            );
        });
        if let Some(path) = dev_out {
            // token, gold tag, predicted tag: conlleval's input format.
            let mut text = String::new();
            for s in dev_part {
                let predicted = model.tag(&s.tokens);
                for ((token, gold), pred) in s.tokens.iter().zip(&s.tags).zip(&predicted) {
                    text.push_str(&format!("{token} {gold} {pred}\n"));
                }
                text.push('\n');
            }
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        }
        return Ok(());
    }

    let model: Model = train(&sentences, &gazetteer, &config, |epoch, _| {
        eprintln!(
            "epoch {epoch} done, {:.0}s",
            started.elapsed().as_secs_f64()
        );
    });
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
