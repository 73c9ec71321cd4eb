//! Trains the NER model shipped in `model/ner.bin.gz`.
//!
//! ```text
//! cargo run --release -p rasd-facts --example train_ner -- [--dev] [--epochs N] [--bits B]
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
    let mut config = TrainConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--dev" => dev = true,
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
        train(train_part, &gazetteer, &config, |epoch, model| {
            let mut score = Score::default();
            for s in dev_part {
                score.add(&s.tags, &model.tag(&s.tokens));
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
        return Ok(());
    }

    let model: Model = train(&sentences, &gazetteer, &config, |epoch, _| {
        eprintln!("epoch {epoch} done, {:.0}s", started.elapsed().as_secs_f64());
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
