//! NER throughput on one thread, for machines too busy for criterion's
//! wall-clock numbers: run under `perf stat -e task-clock` and divide the
//! printed token count by the task-clock seconds.
//!
//! ```text
//! cargo run --release -p rasd-facts --example ner_speed -- ../shared/data/anercorp/train.conll 5 [MODEL]
//! ```
//!
//! `MODEL` is a model file to time instead of the embedded one. On a
//! shared machine, compare the user CPU time of runs with different round
//! counts (`/usr/bin/time -f %U`): their difference is the tagging alone.

use anyhow::Context;
use rasd_facts::model::DOCUMENT_WINDOW;
use rasd_facts::{conll, Model};
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .context("usage: ner_speed FILE.conll [ROUNDS] [MODEL]")?;
    let rounds: usize = args.next().map_or(Ok(3), |r| r.parse())?;
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    let sentences: Vec<Vec<String>> = conll::parse(&text, false)?
        .into_iter()
        .map(|s| s.tokens)
        .collect();
    let loaded;
    let model = match args.next() {
        Some(path) => {
            let bytes = std::fs::read(&path).with_context(|| format!("reading {path}"))?;
            loaded = Model::decode(&bytes)?;
            &loaded
        }
        None => Model::embedded(),
    };
    model.tag(&sentences[0]);
    let started = Instant::now();
    let mut tokens = 0usize;
    for _ in 0..rounds {
        // As `rasd ner` tags: windows of consecutive sentences.
        for window in sentences.chunks(DOCUMENT_WINDOW) {
            tokens += model
                .tag_document(window)
                .iter()
                .map(Vec::len)
                .sum::<usize>();
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{tokens} tokens in {secs:.2}s wall ({:.0} tokens/s wall)",
        tokens as f64 / secs
    );
    Ok(())
}
