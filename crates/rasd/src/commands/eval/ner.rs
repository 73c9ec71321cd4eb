//! `rasd eval ner`: score the embedded NER model on gold CoNLL data with
//! conlleval's entity-level measure (exact span and type), micro-averaged,
//! and per type.

use crate::commands::ner::read_input;
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use anyhow::Context;
use rasd_facts::model::DOCUMENT_WINDOW;
use rasd_facts::score::{Counts, Score};
use rasd_facts::{conll, EntityType, Model};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// Score NER on gold CoNLL data (entity-level micro F1).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Gold CoNLL file: token first, BIO tag last (`-` reads standard input).
    #[arg(long, value_name = "FILE")]
    pub conll: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

fn counts_json(c: &Counts) -> serde_json::Value {
    json!({
        "precision": c.precision(),
        "recall": c.recall(),
        "f1": c.f1(),
        "true_positives": c.true_positives,
        "false_positives": c.false_positives,
        "false_negatives": c.false_negatives,
    })
}

pub fn run(args: Args, globals: Globals) -> anyhow::Result<Outcome> {
    let text = read_input(&args.conll)?;
    let sentences =
        conll::parse(&text, true).with_context(|| format!("parsing {}", args.conll.display()))?;
    let model = Model::embedded();
    let bar = output::progress(globals.progress, Some(sentences.len() as u64), "eval ner");
    let started = Instant::now();
    let mut score = Score::default();
    for window in sentences.chunks(DOCUMENT_WINDOW) {
        let tokens: Vec<Vec<String>> = window.iter().map(|s| s.tokens.clone()).collect();
        for (sentence, tags) in window.iter().zip(model.tag_document(&tokens)) {
            score.add(&sentence.tags, &tags);
        }
        bar.inc(window.len() as u64);
    }
    let seconds = started.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let all = score.overall();
    let mut out = output::stdout();
    match args.format {
        Format::Json => {
            let per_type: serde_json::Map<String, serde_json::Value> = EntityType::ALL
                .iter()
                .map(|&ty| (ty.label().to_owned(), counts_json(&score.of_type(ty))))
                .collect();
            let mut summary = counts_json(&all);
            summary["sentences"] = json!(sentences.len());
            summary["tokens"] = json!(score.tokens());
            summary["token_accuracy"] = json!(score.token_accuracy());
            summary["per_type"] = json!(per_type);
            summary["tokens_per_second"] = json!(score.tokens() as f64 / seconds.max(1e-9));
            output::write_json_line(&mut out, &summary)?;
        }
        Format::Text => {
            writeln!(
                out,
                "{} sentences, {} tokens, token accuracy {:.4}",
                sentences.len(),
                score.tokens(),
                score.token_accuracy()
            )?;
            writeln!(out, "type  precision  recall  f1      gold  found  correct")?;
            let row = |out: &mut dyn Write, name: &str, c: &Counts| {
                writeln!(
                    out,
                    "{name:<5} {:.4}     {:.4}  {:.4}  {:>4}  {:>5}  {:>7}",
                    c.precision(),
                    c.recall(),
                    c.f1(),
                    c.true_positives + c.false_negatives,
                    c.true_positives + c.false_positives,
                    c.true_positives
                )
            };
            for ty in EntityType::ALL {
                row(&mut out, ty.label(), &score.of_type(ty))?;
            }
            row(&mut out, "all", &all)?;
            writeln!(out, "micro F1 {:.4}", all.f1())?;
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}
